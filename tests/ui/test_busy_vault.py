"""The desktop beside a second Lotse process that writes: the German message says the vault is
busy (not damaged), the typed text stays, and it saves once the other process is done."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.app.cli.test_cli_busy import Holder
from tests.ui.casefile.casefile_helpers import TIMEOUT, loaded_journal, open_case
from tests.ui.test_storage_faults import TEXT, type_entry
from ui.context import AppContext

BUSY_DE = ("Der Tresor wird gerade von einem anderen Lotse-Programm verwendet (zum Beispiel "
           "beim Erzeugen von Demodaten oder einer Sicherung). Es wurde nichts gespeichert; "
           "bitte versuchen Sie es erneut, wenn es fertig ist.")


def test_save_while_another_lotse_process_writes_says_so(
        qtbot: QtBot, ctx: AppContext, case_id: int, vault_dir: Path) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    type_entry(qtbot, journal)
    ctx.wait_idle()
    holder = Holder(vault_dir)  # `lotse demo` in another process, inside its transaction
    try:
        qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: journal.general_error.text() != "", timeout=TIMEOUT)
        assert journal.general_error.text() == BUSY_DE
        assert journal.text.toPlainText() == TEXT
    finally:
        holder.release()
    qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=TIMEOUT)
