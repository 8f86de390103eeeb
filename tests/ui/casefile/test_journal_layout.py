"""Verlauf at 1280×720 (a laptop screen): the journal list gets the height, not the form."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from tests.ui.casefile.casefile_helpers import TIMEOUT, loaded_journal, open_case
from ui.context import AppContext


def test_journal_shows_at_least_ten_entries_at_1280x720(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    start = datetime.now().astimezone() - timedelta(days=40)
    for i in range(25):
        add_journal_entry(ctx.vault(), case_id, NewJournalEntry(
            "office", f"Beratungsgespraech Nummer {i + 1}", start + timedelta(days=i)))
    widget = open_case(qtbot, ctx, case_id, "journal")
    widget.resize(1280, 720)
    journal = loaded_journal(qtbot, widget)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 25, timeout=TIMEOUT)
    table = journal.table

    def visible() -> list[int]:
        return [r for r in range(journal.model.rowCount())
                if table.rowViewportPosition(r) >= 0
                and table.rowViewportPosition(r) + table.rowHeight(r)
                <= table.viewport().height()]

    # The layout at the new size comes with the event loop: wait for it, up to the timeout.
    qtbot.waitUntil(lambda: len(visible()) >= 10, timeout=TIMEOUT)
    shot = os.environ.get("LOTSE_SCREENSHOT_DIR")
    if shot:  # to look at it: LOTSE_SCREENSHOT_DIR=/tmp pytest this file
        widget.grab().save(os.path.join(shot, "verlauf_1280x720.png"))
    assert len(visible()) >= 10, f"only {len(visible())} entries visible"
    # The quick entry is still there and reachable.
    assert journal.text.isVisible() and journal.save_button.isVisible()
