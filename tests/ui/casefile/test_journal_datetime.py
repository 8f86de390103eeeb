"""When a contact happened is typed, not spun: "10.12." and "1430" key by key are saved as
10.12. 14:30 local time, and a time that does not exist stops the save at the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.journal.read import journal
from tests.ui.casefile.sections_support import Seed, as_in_window
from tests.ui.casefile.test_date_typing import T, show_active, type_date
from ui.context import AppContext


def open_journal(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import JournalSection

    section = as_in_window(ctx, JournalSection(ctx, seed.case_id))
    show_active(qtbot, section)
    qtbot.waitUntil(section.isEnabled, timeout=T)
    return section


def _type_time(qtbot: QtBot, section: Any, text: str) -> None:
    field = section.occurred_at.time
    assert field.hasFocus()  # Tab from the date lands in the time, as for a person
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_a_typed_date_and_time_are_saved(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = open_journal(qtbot, ctx, seed)
    section.contact_kind.setCurrentIndex(section.contact_kind.findData("phone"))
    type_date(qtbot, section.occurred_at.date, "10.12.")
    _type_time(qtbot, section, "1430")
    assert section.occurred_at.time.text() == "14:30"
    section.text.setFocus()
    qtbot.keyClicks(section.text, "Rueckruf Jobcenter")
    qtbot.keyClick(section.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=T)
    year = ctx.vault().clock.today().year
    [entry] = journal(ctx.vault(), seed.case_id)
    assert entry.occurred_at.astimezone().replace(tzinfo=None) == datetime(year, 12, 10, 14, 30)


def test_a_time_that_does_not_exist_saves_nothing(qtbot: QtBot, seed: Seed,
                                                  ctx: AppContext) -> None:
    section = open_journal(qtbot, ctx, seed)
    section.contact_kind.setCurrentIndex(section.contact_kind.findData("phone"))
    type_date(qtbot, section.occurred_at.date, "heute")
    _type_time(qtbot, section, "25:10")
    section.text.setFocus()
    qtbot.keyClicks(section.text, "Rueckruf Jobcenter")
    qtbot.keyClick(section.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    message = section.occurred_at.date.message
    assert message is not None
    qtbot.waitUntil(lambda: "Uhrzeit" in message.text() and message.isVisible(), timeout=T)
    ctx.wait_idle()
    assert journal(ctx.vault(), seed.case_id) == []
    assert section.text.toPlainText() == "Rueckruf Jobcenter"  # nothing typed is lost
