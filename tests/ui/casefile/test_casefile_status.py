"""The case file's residence-status timeline: expiry highlighted, new status added."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services.cases.read import get_case
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from tests.ui.casefile.casefile_helpers import TIMEOUT, open_case, row, section_of
from tests.ui.model_check import check_model
from ui.casefile._form import set_date
from ui.casefile.sections.status import StatusSection
from ui.context import AppContext

# The fixture lives in the helper module; naming it here makes pytest use it.


def test_status_timeline_marks_expiry_and_adds(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    today = ctx.vault().clock.today()
    add_status(ctx.vault(), case_id, NewStatus(kind="duldung", valid_from=today - timedelta(90),
                                               valid_until=today + timedelta(30),
                                               work_permission="with_consent",
                                               document_seen_on=today - timedelta(85)))
    widget = open_case(qtbot, ctx, case_id, "status")
    status = section_of(widget, "status", StatusSection)
    qtbot.waitUntil(lambda: status.model.rowCount() == 1, timeout=TIMEOUT)
    check_model(status.model)
    cells = row(status.model, 0)
    assert cells[0] == catalogues.status_kind("duldung").label
    assert cells[3] == f"{(today + timedelta(30)).strftime('%d.%m.%Y')} (läuft in 30 Tagen ab)"
    assert cells[4] == "mit Zustimmung der Ausländerbehörde"
    assert status.model.rows()[0].highlight
    assert "markiert" in status.status.text()

    status.kind.setCurrentIndex(status.kind.findData("aufenthaltserlaubnis_25b"))
    set_date(status.valid_from, today)
    set_date(status.valid_until, today.replace(year=today.year + 2))
    qtbot.mouseClick(status.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.model.rowCount() == 2, timeout=TIMEOUT)
    assert not status.model.rows()[0].highlight  # two years ahead: nothing to do yet
    assert not status.model.rows()[1].highlight  # the old Duldung is superseded, not urgent
    ctx.wait_idle()
    assert len(get_case(ctx.vault(), case_id).statuses) == 2
