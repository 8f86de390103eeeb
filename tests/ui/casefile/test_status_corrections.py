"""Aufenthalt: a Duldung without end date is refused until "Ende unbekannt" is ticked; a wrong
entry is corrected (kept, greyed, no longer driving deadlines) or removed with a reason — all
with the keyboard, read back from the vault."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import audit
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from app.services.tasks.read import follow_ups_for_case
from db.models import AuditLog, ResidenceStatus
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    column,
    history_of,
    next_row,
    open_case,
    section_of,
)
from ui.casefile._form import set_date
from ui.casefile.sections._status_parts import RemovalDialog
from ui.casefile.sections.status import StatusSection
from ui.context import AppContext

UNTIL, CORRECTION = 3, 7  # columns "Gültig bis" and "Korrektur"


def _rows(ctx: AppContext) -> list[tuple[str, str, object, bool, int | None, str | None]]:
    with ctx.vault().read_session() as s:
        return [(r.uuid, r.kind, r.valid_until, r.deleted, r.superseded_by_id,
                 r.correction_reason)
                for r in s.execute(select(ResidenceStatus).order_by(ResidenceStatus.id))
                .scalars()]


def _save(qtbot: QtBot, section: StatusSection) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None and section.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Strg+S


def test_duldung_without_end_date_needs_ende_unbekannt(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "status")
    status = section_of(widget, "status", StatusSection)
    status.kind.setCurrentIndex(status.kind.findData("duldung"))
    status.kind.setFocus()
    _save(qtbot, status)
    message = status.errors.labels["valid_until"]
    qtbot.waitUntil(lambda: message.text() != "", timeout=TIMEOUT)
    assert message.text() == ("„Duldung“ ist befristet: bitte „Gültig bis“ eintragen oder "
                              "„Ende unbekannt“ ankreuzen.")
    assert not message.isHidden() and status.valid_until.hasFocus()
    assert next_row(message, status.valid_until.parentWidget())
    ctx.wait_idle()
    assert _rows(ctx) == []

    qtbot.keyClick(status.valid_until, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(status.end_unknown.isChecked, timeout=TIMEOUT)
    assert not status.valid_until.isEnabled()
    status.kind.setFocus()
    _save(qtbot, status)
    qtbot.waitUntil(lambda: status.model.rowCount() == 1, timeout=TIMEOUT)
    ctx.wait_idle()
    [(_uuid, kind, until, *_rest)] = _rows(ctx)
    assert (kind, until) == ("duldung", None)
    assert column(status.model, UNTIL) == ["Ende unbekannt"]
    # A settlement permit has no end: the question is not even offered.
    status.kind.setCurrentIndex(status.kind.findData("niederlassungserlaubnis"))
    assert status.end_unknown.isHidden()


def test_correct_and_remove_with_the_keyboard(qtbot: QtBot, ctx: AppContext,
                                              case_id: int) -> None:
    today = ctx.vault().clock.today()
    wrong = add_status(ctx.vault(), case_id, NewStatus(
        "duldung", today - timedelta(days=10), today + timedelta(days=20)))
    widget = open_case(qtbot, ctx, case_id, "status")
    status = section_of(widget, "status", StatusSection)
    qtbot.waitUntil(lambda: status.model.rowCount() == 1, timeout=TIMEOUT)
    assert [f.source_uuid for f in follow_ups_for_case(ctx.vault(), case_id)] == [wrong]

    status.table.setFocus()
    qtbot.keyClick(status.table, Qt.Key.Key_Home)
    qtbot.keyClick(status.table, Qt.Key.Key_F2)  # Korrigieren…
    assert status.form_box.title().startswith("Eintrag „Duldung“ korrigieren")
    assert status.kind.currentData() == "duldung" and status.kind.hasFocus()
    status.kind.setCurrentIndex(status.kind.findData("aufenthaltserlaubnis_25b"))
    set_date(status.valid_from, today - timedelta(days=60))
    set_date(status.valid_until, today + timedelta(days=700))
    _save(qtbot, status)  # without a reason: refused at the reason
    message = status.errors.labels["correction_reason"]
    qtbot.waitUntil(lambda: message.text() != "", timeout=TIMEOUT)
    assert message.text() == "Bitte angeben, warum der Eintrag korrigiert wird."
    assert status.reason.hasFocus()
    qtbot.keyClicks(status.reason, "Art vom Bescheid falsch abgelesen")
    _save(qtbot, status)
    qtbot.waitUntil(lambda: status.model.rowCount() == 2, timeout=TIMEOUT)
    ctx.wait_idle()

    old, new = _rows(ctx)
    assert old[:4] == (wrong, "duldung", today + timedelta(days=20), False)
    assert old[5] == "Art vom Bescheid falsch abgelesen" and old[4] is not None
    assert new[1:5] == ("aufenthaltserlaubnis_25b", today + timedelta(days=700), False, None)
    # The wrong Duldung stays in the timeline, greyed, and no longer drives a follow-up.
    rows = status.model.rows()
    assert [r.key for r in rows] == [wrong, new[0]]
    assert rows[0].foreground and not rows[0].highlight
    assert rows[0].cells[CORRECTION] == \
        f"korrigiert am {today:%d.%m.%Y}: Art vom Bescheid falsch abgelesen"
    assert [f.source_uuid for f in follow_ups_for_case(ctx.vault(), case_id)] == [new[0]]
    assert status.form_box.title() == "Neuen Aufenthaltsstatus erfassen"

    # The correction was itself wrong: remove it (Delete key, a reason, Enter).
    status.table.setFocus()
    status.table.selectRow(1)
    qtbot.keyClick(status.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: status.findChild(RemovalDialog) is not None, timeout=TIMEOUT)
    dialog = status.findChild(RemovalDialog)
    assert dialog is not None and not dialog.remove_button.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)
    assert dialog.reason.currentData() == "recorded_in_error"
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status.model.rowCount() == 1, timeout=TIMEOUT)
    ctx.wait_idle()
    assert _rows(ctx)[1][3] is True  # tombstoned
    with ctx.vault().read_session() as s:
        log = [(a.kind, a.object_uuid, dict(a.detail or {})) for a in s.execute(
            select(AuditLog).where(AuditLog.object_type == "residence_status")
            .order_by(AuditLog.seq)).scalars()]
    assert [(k, u) for k, u, _d in log] == [
        (audit.Kind.RECORD_CREATED, wrong), (audit.Kind.RECORD_CREATED, new[0]),
        (audit.Kind.RECORD_CORRECTED, wrong), (audit.Kind.RECORD_DELETED, new[0])]
    assert log[-1][2]["reason"] == "recorded_in_error"
    # The Protokoll says what happened, and why the entry was removed.
    history = history_of(qtbot, widget)
    events = column(history, 1)
    assert "Korrigiert: Aufenthaltsstatus" in events
    removed = events.index("Gelöscht: Aufenthaltsstatus")
    assert "Grund: versehentlich erfasst" in column(history, 2)[removed]
