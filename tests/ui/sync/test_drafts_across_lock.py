"""What a caseworker typed into the exchange's dialogs survives a lock: "Fall übergeben" (the
colleague and the note), "Vertretung einrichten" (the date) and a value typed for a conflict.
The lock closes them (nothing of the input stays on screen); after unlocking by the passphrase
they are open again on the same case or conflict with the input back. An untouched dialog
leaves no draft."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import get_case, rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.services.conflicts.read import conflicts
from app.services.devices.read import own_device
from app.services.handover.write import share_case
from app.services.sync.write import run_sync
from app.vault.store import Vault, open_vault
from tests.conftest import PASSPHRASE
from tests.ui.settle import settle
from tests.ui.sync.support import ALT, CTRL, WAIT, colleague, share, trust_each_other
from tests.ui.window_helpers import unlock_by_typing
from ui.casefile.window import CaseFileWidget
from ui.main_window import LOCKED, MainWindow
from ui.sync.case_dialogs import DeputyDialog, PeerChoiceDialog, TransferDialog
from ui.sync.page import SyncPage
from ui.workspace import Page

NOTE = "Übergabe wegen Elternzeit, Akte vollständig; Rückruf bei Frau Müller"
VALUE = "Sprachkurs für Mütter ab März"


def type_text(widget: QWidget, text: str) -> None:
    """Key by key, each event carrying its character: ``keyClicks`` crashes on umlauts
    (testing.md), and a key code alone types nothing for ä ö ü ß."""
    for char in text:
        code = ord(char.upper())
        key = Qt.Key(code) if code < 0x100 else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     char))


def on_screen() -> str:
    """Every text any live widget holds, in every window (dialogs have windows of their own)."""
    QApplication.processEvents()
    texts: list[str] = []
    for w in QApplication.allWidgets():
        if isinstance(w, QLabel | QLineEdit):
            texts.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            texts.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        texts.append(w.windowTitle())
    return "\n".join(texts)


def assert_locked_away(qtbot: QtBot, window: MainWindow, secret: str) -> None:
    """Locked, and no widget anywhere holds the typed input any more."""
    qtbot.waitUntil(lambda: window.ctx is None, timeout=WAIT)
    assert window.stack.currentWidget() is window.unlock_page
    qtbot.waitUntil(lambda: secret not in on_screen(), timeout=WAIT)  # deleteLater done
    for part in (p for p in secret.split() if len(p) >= 6):  # nor any telling piece of it
        assert part not in on_screen(), part


def start(qtbot: QtBot, vault_dir: Path) -> MainWindow:
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    return window


def open_case(qtbot: QtBot, window: MainWindow, case_id: int) -> CaseFileWidget:
    assert window.ctx is not None
    window.ctx.case_open_requested.emit(case_id, "")
    qtbot.waitUntil(lambda: window.workspace is not None and isinstance(
        window.workspace.currentWidget(), CaseFileWidget), timeout=WAIT)
    assert window.workspace is not None
    case = window.workspace.currentWidget()
    assert isinstance(case, CaseFileWidget) and case.case_id == case_id
    qtbot.waitUntil(case.sync_line.transfer_button.isEnabled, timeout=WAIT)
    return case


def press(qtbot: QtBot, button: QWidget) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def dialog_of(qtbot: QtBot, case: CaseFileWidget, kind: type[PeerChoiceDialog],
              peers: int) -> PeerChoiceDialog:
    line = case.sync_line
    qtbot.waitUntil(lambda: isinstance(line.dialog, kind) and line.dialog.isVisible()
                    and line.dialog.peer.count() == peers, timeout=WAIT)
    assert line.dialog is not None
    return line.dialog


def reopened_case(window: MainWindow, before: CaseFileWidget) -> CaseFileWidget:
    assert window.workspace is not None
    case = window.workspace.currentWidget()
    assert isinstance(case, CaseFileWidget) and case is not before
    return case


def test_a_handover_note_and_the_colleague_chosen_survive_a_lock(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path,
        clock: FixedClock) -> None:
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    case_uuid = rows_by_id(vault, [case_id])[0].uuid
    with colleague(tmp_path / "bielefeld", clock) as nowak, \
            colleague(tmp_path / "hamm", clock, name="Jonas Brandt", municipality="HAM",
                      code="H4MM") as brandt:
        share(tmp_path / "share", vault, nowak.vault(), brandt.vault())
        trust_each_other(vault, nowak.vault())
        trust_each_other(vault, brandt.vault())
        vault.lock()
        window = start(qtbot, vault_dir)
        case = open_case(qtbot, window, case_id)

        press(qtbot, case.sync_line.transfer_button)
        dialog = dialog_of(qtbot, case, TransferDialog, 2)
        assert isinstance(dialog, TransferDialog)
        first = dialog.peer.currentData()
        qtbot.keyClick(dialog.peer, Qt.Key.Key_Down)  # the other colleague, by keys
        chosen = dialog.peer.currentData()
        assert chosen != first
        dialog.note.setFocus()
        type_text(dialog.note, NOTE)
        assert dialog.note.toPlainText() == NOTE

        # Ctrl+L inside the dialog: the main window's shortcut does not reach it.
        qtbot.keyClick(dialog.note, Qt.Key.Key_L, CTRL)
        assert_locked_away(qtbot, window, NOTE)
        assert "sicher verwahrt" in window.unlock_page.message.text()

        unlock_by_typing(qtbot, window, PASSPHRASE)
        again = reopened_case(window, case)
        back = dialog_of(qtbot, again, TransferDialog, 2)
        assert isinstance(back, TransferDialog) and back is not dialog
        assert back.case_uuid == case_uuid
        assert back.note.toPlainText() == NOTE
        qtbot.waitUntil(lambda: back.peer.currentData() == chosen, timeout=WAIT)
        window.close()


def test_a_deputy_date_survives_a_lock_an_untouched_dialog_leaves_no_draft(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path,
        clock: FixedClock) -> None:
    case_id = create_case(vault, NewCase("Milan", "Petrovic", "DO"))
    with colleague(tmp_path / "bielefeld", clock) as nowak:
        share(tmp_path / "share", vault, nowak.vault())
        trust_each_other(vault, nowak.vault())
        vault.lock()
        window = start(qtbot, vault_dir)
        case = open_case(qtbot, window, case_id)

        # Opened and left alone: the lock closes it, and there is nothing to keep.
        press(qtbot, case.sync_line.deputy_button)
        untouched = dialog_of(qtbot, case, DeputyDialog, 1)
        drafts = window.drafts()
        assert drafts is not None and drafts["drafts"] == {} and "pages" not in drafts
        qtbot.keyClick(untouched.peer, Qt.Key.Key_L, CTRL)
        qtbot.waitUntil(lambda: window.ctx is None, timeout=WAIT)
        assert window.unlock_page.message.text() == LOCKED
        unlock_by_typing(qtbot, window, PASSPHRASE)
        case = reopened_case(window, case)
        qtbot.waitUntil(lambda: case.sync_line.data is not None, timeout=WAIT)
        assert window.ctx is not None
        settle(window.ctx)  # a reopening would come with the sync line's first read
        assert case.sync_line.dialog is None

        # A date typed (half: the year still missing) comes back as typed.
        press(qtbot, case.sync_line.deputy_button)
        dialog = dialog_of(qtbot, case, DeputyDialog, 1)
        assert isinstance(dialog, DeputyDialog)
        dialog.until.setFocus()
        qtbot.keyClicks(dialog.until, "18.12.")
        qtbot.keyClick(dialog.until, Qt.Key.Key_L, CTRL)
        assert_locked_away(qtbot, window, "18.12.")
        assert "sicher verwahrt" in window.unlock_page.message.text()

        unlock_by_typing(qtbot, window, PASSPHRASE)
        again = reopened_case(window, case)
        back = dialog_of(qtbot, again, DeputyDialog, 1)
        assert isinstance(back, DeputyDialog)
        assert back.until.text() == "18.12."
        window.close()


def test_a_value_typed_for_a_conflict_survives_a_lock(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path,
        clock: FixedClock) -> None:
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    case_row = rows_by_id(vault, [case_id])[0]
    with colleague(tmp_path / "bielefeld", clock) as nowak:
        there = nowak.vault()
        share(tmp_path / "share", vault, there)
        trust_each_other(vault, there)
        share_case(vault, case_row.uuid, own_device(there).fingerprint, None)
        run_sync(vault)
        run_sync(there)
        update_case(there, case_row.uuid, indication="Sprachkurs und Wohnung")
        update_case(vault, case_id, indication="Arbeit und Anerkennung")
        for side in (vault, there, vault):
            run_sync(side)
        [conflict] = [c for c in conflicts(vault) if c.resolved_at is None]
        vault.lock()
        window = start(qtbot, vault_dir)
        case = open_case(qtbot, window, case_id)

        # From the case file's link: the Abgleich page, this case's conflict.
        link = case.sync_line.conflicts_link
        qtbot.waitUntil(link.isVisible, timeout=WAIT)
        press(qtbot, link)
        assert window.workspace is not None
        qtbot.waitUntil(lambda: window.workspace is not None
                        and window.workspace.current_page() == Page.SYNC, timeout=WAIT)
        page = window.workspace.page(Page.SYNC)
        assert isinstance(page, SyncPage)
        tab = page.conflicts
        qtbot.waitUntil(lambda: len(tab.rows) == 1, timeout=WAIT)
        tab.table.setFocus()
        qtbot.keyClick(tab.table, Qt.Key.Key_W, ALT)  # "Anderen &Wert …"
        qtbot.waitUntil(tab.other_value.hasFocus, timeout=WAIT)
        assert tab.draft_state() is None  # opened with this vault's value: nothing typed yet
        qtbot.keyClick(tab.other_value, Qt.Key.Key_Delete)  # the text was selected
        type_text(tab.other_value, VALUE)
        assert tab.other_value.text() == VALUE

        # A sync finishing meanwhile reloads the list: the value being typed stays open.
        tab.reload()
        assert window.ctx is not None
        settle(window.ctx)  # the reload's rows delivered to the GUI thread
        assert not tab.other_box.isHidden() and tab.other_value.text() == VALUE
        assert tab.other_value.hasFocus()

        qtbot.keyClick(tab.other_value, Qt.Key.Key_L, CTRL)
        assert_locked_away(qtbot, window, VALUE)
        assert "sicher verwahrt" in window.unlock_page.message.text()

        unlock_by_typing(qtbot, window, PASSPHRASE)
        assert window.workspace is not None
        assert window.workspace.current_page() == Page.SYNC
        page = window.workspace.page(Page.SYNC)
        assert isinstance(page, SyncPage) and page.tabs.currentWidget() is page.conflicts
        tab = page.conflicts
        qtbot.waitUntil(lambda: not tab.other_box.isHidden()
                        and tab.other_value.text() == VALUE, timeout=WAIT)
        chosen = tab.selected()
        assert chosen is not None and chosen.id == conflict.id
        assert tab.case_filter.currentData() == case_row.uuid

        # The restored value is entered as it stands (Return in its field).
        tab.other_value.setFocus()
        qtbot.keyClick(tab.other_value, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.message.text().startswith("Gelöst"), timeout=WAIT)
        window.close()
    with open_vault(vault_dir, PASSPHRASE) as reopened:
        assert conflicts(reopened) == []  # none open: decided for the value typed
        assert get_case(reopened, case_id).indication == VALUE
