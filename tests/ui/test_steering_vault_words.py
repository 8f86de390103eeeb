"""What the rest of a steering committee's vault says, at 1280×720 by the keyboard: Einstellungen
offers only what applies there (no Vorlagen; no default municipality, weeks without contact,
e-mail or phone; the name is the one on its key card), the sync line counts waiting and refused
reports but no conflicts, and Hilfe → Einführung explains Berichte, Eingang and the key cards.
A casework vault says what it said before.

The committee's vault took in one report from a trusted sender; a second sender's report waits,
because the committee has not yet compared her fingerprint."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.account.read import owner_profile
from app.services.devices.read import own_device
from app.services.devices.write import trust
from app.services.steering.read import reports
from app.services.steering.write import export_report
from app.services.sync.read import status
from app.services.sync.records import BundleOutcome, SyncReport, SyncStatus
from app.services.sync.write import run_sync
from app.settings import load_settings
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.support.steering_world import CaseSpec, add_cases
from tests.support.vault_copy import copied_vault
from tests.ui.layout_probe import clipped
from tests.ui.sync.support import share, trust_each_other
from tests.ui.test_demo_and_help import opened
from tests.ui.window_helpers import T, lock_by_keyboard
from ui.main_window import MainWindow
from ui.orientation import STEERING_TEXT, TEXT, OrientationDialog
from ui.settings.page import SettingsPage
from ui.sync.labels import report_line, status_line
from ui.sync.shell import OPEN_CASEWORK_DE, OPEN_STEERING_DE
from ui.workspace import Page

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
LINE = r"^Zuletzt abgeglichen (\d\d:\d\d|\d\d\.\d\d\. \d\d:\d\d) · "
STEERING_LINE = re.compile(LINE + r"wartet 1 · abgewiesen 0$")
CASEWORK_LINE = re.compile(LINE + r"Ausgang 0 · wartet 0 · abgewiesen 0 · Konflikte 0$")


def cases(place: str) -> list[CaseSpec]:
    return [CaseSpec("newly_arrived", place, date(2026, 3, 2), None, None, "assessment",
                     "duldung", "consent", "jobcenter")] * 6


@pytest.fixture
def board_dir(vault: Vault, tmp_path: Path, clock: FixedClock) -> Path:
    """The committee's vault, locked: a report from ``vault`` taken in, one from a sender it
    has not confirmed yet waiting."""
    folder = tmp_path / "lenkung"
    board = copied_vault(folder, PASSPHRASE, owner_name="Lenkungskreis Dortmund",
                         municipality="DO", vault_code="LK01", clock=clock, role="steering")
    other = copied_vault(tmp_path / "bielefeld", PASSPHRASE, owner_name="Katharina Nowak",
                         municipality="BI", vault_code="B2ND", clock=clock)
    try:
        add_cases(vault, cases("DO"), as_of=clock.today())
        add_cases(other, cases("BI"), as_of=clock.today())
        share(tmp_path / "share", vault, other, board)
        trust_each_other(vault, board)
        trust(other, own_device(board).fingerprint_display)  # not the other way round yet
        for sender in (vault, other):
            export_report(sender, date(2026, 1, 1), date(2026, 10, 31))
            run_sync(sender)
        run_sync(board)
        assert len(reports(board)) == 1 and status(board).waiting == 1
    finally:
        other.lock()
        board.lock()
    return folder


def settings_page(qtbot: QtBot, window: MainWindow) -> SettingsPage:
    ws = window.workspace
    assert ws is not None
    qtbot.keyClick(window, Qt.Key.Key_2 if window.steering else Qt.Key.Key_7, CTRL)
    qtbot.waitUntil(lambda: ws.current_page() == Page.SETTINGS, timeout=T)
    page = ws.pages[Page.SETTINGS]
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: page.display_name.text() != "", timeout=T)
    return page


def tab_texts(page: SettingsPage) -> list[str]:
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


def shown_labels(page: SettingsPage) -> set[str]:
    """The rows shown in "Arbeitsplatz und Profil"."""
    box = page.save_button.parentWidget()
    assert box is not None
    return {label.text() for label in box.findChildren(QLabel)
            if label.buddy() is not None and label.isVisibleTo(box)}


def focus_by_alt(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> QWidget | None:
    qtbot.keyClick(window, key, ALT)
    QApplication.processEvents()
    return QApplication.focusWidget()


def orientation(qtbot: QtBot, window: MainWindow) -> str:
    window.help_menu.orientation_action.trigger()  # Hilfe → Einführung
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(OrientationDialog)),
                    timeout=T)
    dialog = next(d for d in window.findChildren(OrientationDialog) if d.isVisible())
    text = dialog.text.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # "Verstanden"
    assert not dialog.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=T)
    return text


def test_steering_settings_offer_only_what_applies_there(qtbot: QtBot, board_dir: Path) -> None:
    window = opened(qtbot, board_dir)
    page = settings_page(qtbot, window)
    assert tab_texts(page) == ["Allge&mein", "Schl&üssel", "&Austausch"]
    assert page.templates_tab is None
    assert shown_labels(page) == {"Sperren nach &Leerlauf:", "&Name (auf der Schlüsselkarte):"}
    for hidden in (page.municipality, page.quiet_weeks, page.email, page.phone):
        assert not hidden.isVisibleTo(page)
    assert page.display_name.text() == "Lenkungskreis Dortmund"
    assert page.backup_button.isVisibleTo(page) and page.restore_box.isVisibleTo(page)
    assert clipped(page) == []

    # The hidden rows' letters lead nowhere; the name is reached by its own.
    for key in (Qt.Key.Key_K, Qt.Key.Key_W, Qt.Key.Key_E, Qt.Key.Key_T):
        assert focus_by_alt(qtbot, window, key) not in (page.municipality, page.quiet_weeks,
                                                         page.email, page.phone)
    assert focus_by_alt(qtbot, window, Qt.Key.Key_N) is page.display_name
    page.display_name.selectAll()
    qtbot.keyClicks(page.display_name, "Lenkungskreis KIM Dortmund")
    vault = window.session.vault()
    before = load_settings(vault)
    qtbot.keyClick(window, Qt.Key.Key_S, ALT)  # "Einstellungen speichern"
    qtbot.waitUntil(lambda: page.save_message.text() == "Gespeichert.", timeout=T)
    assert owner_profile(vault).display_name == "Lenkungskreis KIM Dortmund"
    after = load_settings(vault)  # what was hidden is saved as it was
    assert (after.quiet_weeks, after.default_municipality) == (before.quiet_weeks,
                                                               before.default_municipality)

    # Schlüssel: the keys it trusts, not an own certificate key to export or withdraw.
    page.tabs.tabBar().setFocus()  # the tab bar, reached by Tab, then the arrow key
    qtbot.keyClick(page.tabs.tabBar(), Qt.Key.Key_Right)
    keys = page.keys_tab
    assert page.tabs.currentWidget() is keys
    assert keys.table.isVisibleTo(keys) and not keys.own_box.isVisibleTo(keys)
    asked: list[str] = []
    keys.choose_save_path = lambda name: asked.append(name) or ""
    qtbot.keyClick(window, Qt.Key.Key_X, ALT)  # "Schlüsselkarte exportieren" is not there
    assert asked == []


def test_the_steering_sync_line_counts_reports_not_conflicts(qtbot: QtBot,
                                                             board_dir: Path) -> None:
    window = opened(qtbot, board_dir)
    line = window.sync.widget
    qtbot.waitUntil(lambda: STEERING_LINE.match(line.text()) is not None, timeout=T)
    assert "Konflikte" not in line.text() and "Ausgang" not in line.text()
    assert line.line.toolTip() == OPEN_STEERING_DE
    qtbot.keyClick(window, Qt.Key.Key_F5)  # after a run by the keyboard, the same words
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Abgleich"),
                    timeout=T)
    assert "gesendet" not in window.statusBar().currentMessage()  # it sends nothing of its own
    qtbot.waitUntil(lambda: STEERING_LINE.match(line.text()) is not None, timeout=T)


def test_the_steering_introduction_explains_the_committees_work(qtbot: QtBot,
                                                                 board_dir: Path) -> None:
    window = opened(qtbot, board_dir)
    text = orientation(qtbot, window)
    assert text == STEERING_TEXT
    text = " ".join(text.split())  # as the dialog wraps it
    for words in ("Berichte", "„&lt;&nbsp;5“", "verdeckt", "Eingang", "Absender vertrauen",
                  "Austauschordner", "Fingerabdruck", "rufen Sie den Absender an", "Strg+L",
                  "F1"):
        assert words in text
    for case_work in ("Heute", "Fallakte", "Strg+N", "Verzeichnis"):
        assert case_work not in text
    lock_by_keyboard(qtbot, window)  # still this vault's, while it is locked
    assert orientation(qtbot, window) == STEERING_TEXT


def test_a_casework_vault_says_what_it_said(qtbot: QtBot, vault: Vault, vault_dir: Path,
                                            tmp_path: Path) -> None:
    share(tmp_path / "share", vault)
    vault.lock()
    window = opened(qtbot, vault_dir)
    line = window.sync.widget
    qtbot.waitUntil(lambda: CASEWORK_LINE.match(line.text()) is not None, timeout=T)
    assert line.line.toolTip() == OPEN_CASEWORK_DE
    page = settings_page(qtbot, window)
    assert tab_texts(page) == ["Allge&mein", "V&orlagen", "Schl&üssel", "&Austausch"]
    assert {"Standard-&Kommune:", "„Heute“: &Wochen ohne Kontakt:", "&Name (Fallmanager:in):",
            "&E-Mail:", "&Telefon:"} <= shown_labels(page)
    assert focus_by_alt(qtbot, window, Qt.Key.Key_T) is page.phone
    assert page.keys_tab.own_box.isVisibleTo(page.keys_tab)
    assert orientation(qtbot, window) == TEXT


def test_the_line_without_conflicts_only_in_a_steering_vault() -> None:
    """Every form of the line, for both roles: a casework vault's words are unchanged."""
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    when = f"{at.astimezone():%d.%m. %H:%M}"
    synced = SyncStatus("S:\\Lotse", True, at, outbox=0, waiting=2, rejected=1, conflicts=0)
    assert status_line(synced) == (f"Zuletzt abgeglichen {when} · Ausgang 0 · wartet 2 · "
                                   "abgewiesen 1 · Konflikte 0")
    assert status_line(synced, steering=True) == (f"Zuletzt abgeglichen {when} · wartet 2 · "
                                                  "abgewiesen 1")
    sending = SyncStatus("S:\\Lotse", True, None, outbox=1, waiting=0, rejected=0, conflicts=0)
    assert status_line(sending, steering=True) == (
        "Noch nie abgeglichen · Ausgang 1 · wartet 0 · abgewiesen 0")
    away = SyncStatus("S:\\Lotse", False, at, outbox=0, waiting=0, rejected=0, conflicts=3)
    assert status_line(away) == "Austauschordner nicht erreichbar – Ausgang 0"
    assert status_line(away, steering=True) == "Austauschordner nicht erreichbar"
    unset = SyncStatus(None, False, None, outbox=0, waiting=0, rejected=0, conflicts=2)
    assert status_line(unset) == "Kein Austauschordner eingerichtet · Konflikte 2"
    assert status_line(unset, steering=True) == "Kein Austauschordner eingerichtet"


def test_the_summary_after_a_run_names_no_outbox_in_a_steering_vault() -> None:
    """After a run the committee hears what came in; a casework vault's words are unchanged."""
    done = SyncReport(applied=[BundleOutcome("b1.lotse", "steering", "Katharina Nowak (DO)",
                                             "ab" * 32, None, "Bericht übernommen.")])
    assert report_line(done) == "Abgleich beendet: 1 übernommen, 0 warten, 0 abgewiesen, " \
        "0 gesendet."
    assert report_line(done, steering=True) == "Abgleich beendet: 1 übernommen, 0 warten, " \
        "0 abgewiesen."
    away = SyncReport(share_reachable=False)
    assert report_line(away).endswith("gehen beim nächsten Abgleich hinaus.")
    assert report_line(away, steering=True) == \
        "Abgleich: Der Austauschordner ist nicht erreichbar."
