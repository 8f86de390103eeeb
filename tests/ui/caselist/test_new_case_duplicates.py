"""'Neuer Fall' warns before creating a likely duplicate and shows the existing case: open it
instead, or create anyway (audited, without names)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.cases.read import case_ids
from app.services.cases.records import CaseFilter, NewCase
from app.services.cases.write import create_case
from tests.ui.caselist import caselist_helpers
from tests.ui.caselist.caselist_helpers import TIMEOUT
from tests.ui.model_check import check_model
from tests.ui.settle import settle
from ui.caselist.new_case_dialog import NewCaseDialog
from ui.caselist.page import CaseListPage
from ui.context import AppContext

page_for = caselist_helpers.page_for


def _type_anna(qtbot: QtBot, ctx: AppContext, page: CaseListPage,
               born: str = "12.03.1990") -> NewCaseDialog:
    """"Neuer Fall" (Ctrl+N belongs to the workspace: tests/ui/test_navigation.py), then the new
    client typed as a caseworker types her (ü as "ue")."""
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    check_model(dialog.duplicates.model)
    qtbot.keyClicks(dialog.given_names, "Anna")
    qtbot.keyClicks(dialog.family_name, "Mueller")
    qtbot.keyClicks(dialog.date_of_birth, born)
    qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_Return)  # "Fall anlegen" is the default
    qtbot.waitUntil(dialog.duplicates.isVisible, timeout=TIMEOUT)
    settle(ctx)
    return dialog


def _existing(ctx: AppContext) -> tuple[int, str]:
    case = create_case(ctx.vault(), NewCase("Anna", "Müller", "DO", date_of_birth=date(1990, 3,
                                                                                      12)))
    create_case(ctx.vault(), NewCase("Anna", "Schmidt", "DO", date_of_birth=date(1990, 3, 12)))
    with ctx.vault().read_session() as s:
        from db.models import CaseFile

        number = s.execute(select(CaseFile.case_number).where(CaseFile.id == case)).scalar_one()
    return case, number


@pytest.mark.parametrize("born", ["12.03.1990", "12.03.90", "120390", "12.3.90"])
def test_the_warning_lists_the_existing_case_and_opens_it(
        qtbot: QtBot, ctx: AppContext, page_for: object, born: str) -> None:
    """However the birth date is typed (the one date field), the same person is found."""
    existing, number = _existing(ctx)
    page: CaseListPage = page_for()  # type: ignore[operator]
    dialog = _type_anna(qtbot, ctx, page, born)
    assert dialog.date_of_birth.text() == "12.03.1990"  # written the German way on Enter
    rows = dialog.duplicates.model.rows()
    assert [r.cells for r in rows] == [(number, "Müller, Anna", "12.03.1990",
                                        "Test Fallmanagerin", "offen",
                                        "gleicher Name, gleiches Geburtsdatum")]
    assert "möglicherweise schon einen" in dialog.duplicates.text.text()
    assert len(case_ids(ctx.vault(), CaseFilter())) == 2  # nothing created yet
    # Pressing "Fall anlegen" again does not slip past the warning.
    qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_Return)
    settle(ctx)
    assert dialog.isVisible() and len(case_ids(ctx.vault(), CaseFilter())) == 2

    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        dialog.duplicates.open_button.setFocus()
        qtbot.keyClick(dialog.duplicates.open_button, Qt.Key.Key_Space)
    assert opened.args == [existing, ""]
    assert not dialog.isVisible()
    settle(ctx)
    assert len(case_ids(ctx.vault(), CaseFilter())) == 2


def test_create_anyway_creates_and_audits_without_names(
        qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    from db.models import AuditLog, CaseFile

    existing, _ = _existing(ctx)
    page: CaseListPage = page_for()  # type: ignore[operator]
    dialog = _type_anna(qtbot, ctx, page)
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        dialog.duplicates.anyway_button.setFocus()
        qtbot.keyClick(dialog.duplicates.anyway_button, Qt.Key.Key_Space)
    new_id = opened.args[0]
    assert new_id != existing and not dialog.isVisible()
    settle(ctx)
    with ctx.vault().read_session() as s:
        uuids = dict(s.execute(select(CaseFile.id, CaseFile.uuid)).tuples().all())
        entry = s.execute(select(AuditLog).where(AuditLog.kind == "case.duplicate_confirmed")
                          ).scalar_one()
    assert entry.object_uuid == uuids[new_id]
    assert entry.detail == {"possible_duplicate_of": [uuids[existing]]}


def _open_dialog(qtbot: QtBot, page: CaseListPage) -> NewCaseDialog:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()  # as the window manager does; offscreen leaves the page active
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    assert dialog.given_names.hasFocus()
    qtbot.keyClicks(dialog.given_names, "Kerem")
    qtbot.keyClick(dialog.given_names, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.family_name, "Demir")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Tab)
    assert dialog.date_of_birth.hasFocus()  # the next field on Tab
    return dialog


def test_a_birth_date_in_the_future_or_no_date_is_refused_and_nothing_created(
        qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    page: CaseListPage = page_for()  # type: ignore[operator]
    dialog = _open_dialog(qtbot, page)
    message = dialog.errors["date_of_birth"]
    for typed, says in (("+3", "Das Geburtsdatum liegt in der Zukunft."),
                        ("12.03.2040", "Das Geburtsdatum liegt in der Zukunft."),
                        ("30.02.80", "Den 30.02.1980 gibt es nicht."),
                        ("Maerz 80", "ist kein Datum")):
        qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.date_of_birth, typed)
        qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_Return)
        qtbot.waitUntil(message.isVisible, timeout=TIMEOUT)
        assert says in message.text()
        assert dialog.date_of_birth.hasFocus()  # back at the field, message read out with it
        assert says in dialog.date_of_birth.accessibleDescription()
        settle(ctx)
        assert dialog.isVisible() and case_ids(ctx.vault(), CaseFilter()) == []


def test_a_two_digit_year_of_birth_is_in_the_past_and_saved_as_typed(
        qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    """"12.03.40" is an 86-year-old: 1940, not a refusal for 2040."""
    from db.models import CaseFile, Person

    page: CaseListPage = page_for()  # type: ignore[operator]
    dialog = _open_dialog(qtbot, page)
    qtbot.keyClicks(dialog.date_of_birth, "12.03.40")
    qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_Tab)
    assert dialog.date_of_birth.text() == "12.03.1940"
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        dialog.create_button.setFocus()
        qtbot.keyClick(dialog.create_button, Qt.Key.Key_Space)
    with ctx.vault().read_session() as s:
        born = s.execute(select(Person.date_of_birth)
                         .join(CaseFile, CaseFile.person_id == Person.id)
                         .where(CaseFile.id == opened.args[0])).scalar_one()
    assert born == date(1940, 3, 12)
