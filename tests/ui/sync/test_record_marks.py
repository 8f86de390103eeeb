"""Each record's own sync state in the case file, on two real vaults sharing a case through a
temp folder: a task both changed carries "⚠" in its row with the field to decide; a journal
entry written here after the last bundle carries the quiet "↑" and says to whom it has not
gone yet; after the next sync that mark is gone while the conflict stays until decided."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.devices.read import own_device
from app.services.handover.write import share_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.sync.write import run_sync
from app.services.tasks.write import add_task, update_task
from tests.ui.sync.support import ALT, WAIT, activate, colleague, share, trust_each_other
from tests.ui.sync.test_case_line import open_in_workspace
from ui.casefile._table import RowsModel
from ui.context import AppContext

ROLES = Qt.ItemDataRole


def cell(model: RowsModel, row: int, role: Qt.ItemDataRole = ROLES.DisplayRole) -> str:
    return str(model.data(model.index(row, 0), role) or "")


def row_of(model: RowsModel, text: str) -> int:
    """The row whose cells hold ``text`` (-1 while it has not loaded)."""
    return next((i for i, r in enumerate(model.rows()) if text in r.cells), -1)


def test_records_show_their_conflict_and_what_is_not_sent_yet(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    case_id = create_case(here, NewCase("Ayse", "Oeztuerk", "DO"))
    case = rows_by_id(here, [case_id])[0]
    soon = clock.today() + timedelta(days=7)
    appointment = add_task(here, case_id, "Termin Ausländerbehörde", soon)
    add_task(here, case_id, "Antrag Wohnberechtigungsschein", soon)
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        share_case(here, case.uuid, own_device(there).fingerprint)
        run_sync(here)
        run_sync(there)
        # Both correct the same task's title: a conflict on both sides.
        update_task(there, appointment, title="Termin ABH am Montag")
        update_task(here, appointment, title="Termin ABH am Dienstag")
        run_sync(here)
        run_sync(there)
        run_sync(here)
        # Written after the last bundle: not with the colleague yet.
        add_journal_entry(here, case_id, NewJournalEntry(
            "phone", "Rückruf wegen Wohnungsbesichtigung", clock.now() - timedelta(hours=1)))

        ws, tab = open_in_workspace(qtbot, ctx, case_id)
        activate(qtbot, ws)
        qtbot.keyClick(tab.nav, Qt.Key.Key_6, ALT)  # Aufgaben & Fristen
        tasks = tab.section("tasks").model  # type: ignore[attr-defined]
        assert isinstance(tasks, RowsModel)
        qtbot.waitUntil(lambda: row_of(tasks, "Termin ABH am Dienstag") >= 0
                        and cell(tasks, row_of(tasks, "Termin ABH am Dienstag")).startswith("⚠ "),
                        timeout=WAIT)
        marked = row_of(tasks, "Termin ABH am Dienstag")
        assert cell(tasks, marked, ROLES.ToolTipRole).startswith(
            "Konflikt bei Titel: im Abgleich lösen")
        assert "Konflikt bei Titel" in cell(tasks, marked, ROLES.AccessibleTextRole)
        calm = row_of(tasks, "Antrag Wohnberechtigungsschein")
        assert cell(tasks, calm)[:1] not in ("⚠", "↑")  # sent, and nobody else changed it
        assert "Konflikt" not in cell(tasks, calm, ROLES.ToolTipRole)

        qtbot.keyClick(tab.nav, Qt.Key.Key_4, ALT)  # Verlauf
        journal = tab.section("journal").model  # type: ignore[attr-defined]
        assert isinstance(journal, RowsModel)
        qtbot.waitUntil(lambda: journal.rowCount() == 1 and cell(journal, 0).startswith("↑ "),
                        timeout=WAIT)
        assert cell(journal, 0, ROLES.ToolTipRole).startswith(
            "Noch nicht an Katharina Nowak gesendet")
        assert cell(journal, 0, ROLES.AccessibleTextRole).endswith(
            "Noch nicht an Katharina Nowak gesendet")

        # The next sync takes the entry along: its mark goes, the conflict waits for a person.
        ctx.wait_idle()
        run_sync(here)
        tab.refresh()
        qtbot.waitUntil(lambda: journal.rowCount() == 1
                        and not cell(journal, 0).startswith("↑"), timeout=WAIT)
        assert "gesendet" not in cell(journal, 0, ROLES.ToolTipRole)
        assert cell(tasks, row_of(tasks, "Termin ABH am Dienstag")).startswith("⚠ ")
