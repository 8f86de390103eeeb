"""Einstellungen → Schlüssel at 1280×720 on real vaults: one office exports its key card, a
second office imports it after typing the fingerprint it heard on the phone (a wrong one is
refused, nothing trusted), then withdraws the trust; the own key is withdrawn and replaced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.keys.read import trusted_keys
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.settings.settings_helpers import WAIT
from tests.ui.settings.tabs_helpers import ALT, KEYS, open_tab, second_office
from ui.context import AppContext
from ui.settings.key_files import CARD_MAX_BYTES, TOO_BIG_DE
from ui.settings.key_import import NOT_COMPARED_DE, TOO_SHORT_DE
from ui.settings.keys_tab import REASON_MISSING_DE, KeysTab


def keys_tab(qtbot: QtBot, ctx: AppContext) -> KeysTab:
    page = open_tab(qtbot, ctx, KEYS)
    tab = page.keys_tab
    qtbot.waitUntil(lambda: tab.own is not None and tab.table.rowCount() >= 1, timeout=WAIT)
    return tab


def misheard(fingerprint_display: str) -> str:
    """The groups as read out, with one digit of the last group misheard."""
    groups = fingerprint_display.split()
    last = groups[-1][-1]
    groups[-1] = groups[-1][:-1] + ("0" if last != "0" else "1")
    return " ".join(groups)


def test_card_exported_here_is_trusted_there_after_typing_the_fingerprint(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    tab = keys_tab(qtbot, ctx)
    own = tab.own
    assert own is not None and own.own
    shown = tab.own_fingerprint.text()
    assert shown.split() == own.fingerprint_display.split() and len(shown.splitlines()) == 2
    assert tab.own_fingerprint.font().fixedPitch() or "mono" in tab.own_fingerprint.font() \
        .family().lower()

    card = tmp_path / "karte.lotsekey"
    tab.choose_save_path = lambda suggested: str(card) if suggested.endswith(".lotsekey") else ""
    qtbot.keyClick(tab.table, Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: tab.export_message.text() == f"Gespeichert: {card}", timeout=WAIT)
    written = card.read_bytes()
    assert written

    # A second export to the same name asks; "no" leaves the file as it was.
    asked: list[Path] = []

    def keep_file(path: Path) -> bool:
        asked.append(path)
        return False

    tab.ask_replace = keep_file
    qtbot.keyClick(tab.table, Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: asked == [card], timeout=WAIT)
    assert card.read_bytes() == written
    assert tab.export_message.text() == "Nichts gespeichert: die vorhandene Datei bleibt."

    with second_office(tmp_path / "bochum", clock) as other:
        there = keys_tab(qtbot, other)
        rows_before = there.table.rowCount()
        there.choose_open_path = lambda: str(card)
        qtbot.keyClick(there.table, Qt.Key.Key_I, ALT)
        panel = there.import_panel
        qtbot.waitUntil(panel.isVisible, timeout=WAIT)
        assert panel.fingerprint.text() == own.fingerprint_display
        assert own.issuer_office in panel.issuer.text()
        assert panel.compared.hasFocus()

        # Not compared yet, too short, then misheard: each refused at the field.
        qtbot.keyClicks(panel.typed, misheard(own.fingerprint_display))
        qtbot.keyClick(panel.typed, Qt.Key.Key_Return)
        assert panel.errors["compared"].text() == NOT_COMPARED_DE
        qtbot.keyClick(panel.compared, Qt.Key.Key_Space)
        assert panel.compared.isChecked()
        panel.typed.clear()
        qtbot.keyClicks(panel.typed, " ".join(own.fingerprint_display.split()[:2]))
        assert panel.count.text() == "8 von 32 Zeichen"
        qtbot.keyClick(panel.typed, Qt.Key.Key_Return)
        assert panel.errors["confirmed_fingerprint"].text() == TOO_SHORT_DE
        panel.typed.clear()
        qtbot.keyClicks(panel.typed, misheard(own.fingerprint_display))
        qtbot.keyClick(panel.typed, Qt.Key.Key_Return)
        error = panel.errors["confirmed_fingerprint"]
        qtbot.waitUntil(lambda: not error.isHidden() and error.text() != TOO_SHORT_DE,
                        timeout=WAIT)
        assert "Fingerabdruck" in error.text()
        other.wait_idle()
        assert own.fingerprint not in {k.fingerprint for k in trusted_keys(other.vault())}
        assert there.table.rowCount() == rows_before

        # As heard: all groups; lower case and without spaces is fine too.
        panel.typed.clear()
        qtbot.keyClicks(panel.typed, own.fingerprint_display.replace(" ", "").lower())
        qtbot.keyClick(panel.typed, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not panel.isVisible(), timeout=WAIT)
        assert there.trust_message.text().startswith("Übernommen: Schlüssel von")
        other.wait_idle()
        trusted = {k.fingerprint: k for k in trusted_keys(other.vault())}
        assert own.fingerprint in trusted and not trusted[own.fingerprint].own
        assert there.table.rowCount() == rows_before + 1
        row = next(i for i, r in enumerate(there.rows) if r.fingerprint == own.fingerprint)
        assert there.table.item(row, 5).text().split() == own.fingerprint_display.split()

        # Vertrauen entziehen: the row chosen with the keyboard, a confirmation first.
        there.table.setFocus()
        there.table.setCurrentCell(0, 0)
        for _ in range(row):
            qtbot.keyClick(there.table, Qt.Key.Key_Down)
        assert there.selected() is not None and there.selected().fingerprint == own.fingerprint
        qtbot.keyClick(there.table, Qt.Key.Key_T, ALT)
        answer_confirmation(qtbot, there, "Vertrauen en&tziehen")
        qtbot.waitUntil(lambda: there.table.rowCount() == rows_before, timeout=WAIT)
        other.wait_idle()
        assert own.fingerprint not in {k.fingerprint for k in trusted_keys(other.vault())}


def test_withdrawing_the_own_key_makes_a_new_one(qtbot: QtBot, ctx: AppContext) -> None:
    tab = keys_tab(qtbot, ctx)
    old = tab.own
    assert old is not None
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, ALT)
    qtbot.waitUntil(lambda: not tab.errors["reason"].isHidden(), timeout=WAIT)
    assert tab.errors["reason"].text() == REASON_MISSING_DE
    assert tab.reason.hasFocus()
    qtbot.keyClicks(tab.reason, "Laptop verloren")
    qtbot.keyClick(tab.reason, Qt.Key.Key_Z, ALT)
    question = answer_confirmation(qtbot, tab, "Schlüssel endgültig &zurückziehen")
    assert "NICHT als gültig" in question and "neuen Schlüssel" in question
    qtbot.waitUntil(lambda: tab.own is not None and tab.own.fingerprint != old.fingerprint,
                    timeout=WAIT)
    assert tab.own_fingerprint.text().split() == tab.own.fingerprint_display.split()
    ctx.wait_idle()
    keys = {k.fingerprint: k for k in trusted_keys(ctx.vault())}
    assert keys[old.fingerprint].withdrawn_on is not None
    assert keys[tab.own.fingerprint].own and keys[tab.own.fingerprint].withdrawn_on is None


def test_a_file_that_is_no_key_card_is_refused_in_german(qtbot: QtBot, ctx: AppContext,
                                                         tmp_path: Path) -> None:
    tab = keys_tab(qtbot, ctx)
    rows = tab.table.rowCount()
    junk = tmp_path / "urlaubsfoto.lotsekey"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    tab.choose_open_path = lambda: str(junk)
    qtbot.keyClick(tab.table, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: tab.trust_message.text() not in ("", "Die Schlüsselkarte wird "
                                                             "gelesen …"), timeout=WAIT)
    message = tab.trust_message.text()
    assert "Schlüsselkarte" in message and "unerwarteter" not in message
    assert not tab.import_panel.isVisible() and tab.card_data is None
    assert tab.table.rowCount() == rows

    big = tmp_path / "riesig.lotsekey"
    big.write_bytes(b"\0" * (CARD_MAX_BYTES + 1))  # refused before anything parses it
    tab.choose_open_path = lambda: str(big)
    qtbot.keyClick(tab.table, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: tab.trust_message.text() == TOO_BIG_DE, timeout=WAIT)
    assert not tab.import_panel.isVisible()
