"""Dates typed key by key into the case file's forms, read back from the vault: what is typed
is saved, and a date that cannot be read stops the save with a German message at the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.services.cases.read import case_documentation
from app.services.consent.read import may_disclose
from app.services.plan.read import case_plan
from app.services.residence.read import statuses
from app.services.tasks.read import follow_ups_for_case
from tests.ui.casefile.sections_support import Seed, as_in_window
from ui.context import AppContext
from ui.date_field import DateField

T = 10000


def type_date(qtbot: QtBot, field: DateField, text: str) -> None:
    """Into the field, over what it shows, key by key, then Tab out as a person does."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=T)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert not field.hasFocus()


def show_active(qtbot: QtBot, section: Any) -> None:
    """On screen and active, so Tab moves the focus as it does for a person."""
    qtbot.addWidget(section)
    section.resize(1280, 720)
    section.show()
    qtbot.waitExposed(section)
    section.activateWindow()
    section.refresh()


def shown(qtbot: QtBot, widget: QLabel) -> None:
    qtbot.waitUntil(lambda: widget.isVisibleTo(widget.window()) and bool(widget.text()),
                    timeout=T)


def open_tasks(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import TasksSection

    section = as_in_window(ctx, TasksSection(ctx, seed.case_id))
    show_active(qtbot, section)
    return section


def test_task_due_on_typed_as_day_and_month_is_saved_this_year(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = open_tasks(qtbot, ctx, seed)
    qtbot.keyClicks(section.title, "Arztbrief anfordern")
    type_date(qtbot, section.due_on, "10.12.")
    assert section.due_on.text() == f"10.12.{ctx.vault().clock.today().year}"
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "angelegt" in section.message.text(), timeout=T)
    ctx.wait_idle()
    saved = [f for f in follow_ups_for_case(ctx.vault(), seed.case_id) if f.kind == "task"]
    assert [(f.title, f.due_on) for f in saved] == [
        ("Arztbrief anfordern", date(ctx.vault().clock.today().year, 12, 10))]


def test_task_with_an_impossible_due_date_is_not_saved(qtbot: QtBot, seed: Seed,
                                                       ctx: AppContext) -> None:
    section = open_tasks(qtbot, ctx, seed)
    qtbot.keyClicks(section.title, "Arztbrief anfordern")
    section.due_on.clear()
    qtbot.keyClicks(section.due_on, "31.02.")
    # Alt+A clicks "Aufgabe anlegen" without leaving the field: the save itself must refuse.
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    message = section.due_on.message  # the form's message row below the field
    assert message is not None
    shown(qtbot, message)
    assert message.text().startswith("Den 31.02.")
    ctx.wait_idle()
    assert not [f for f in follow_ups_for_case(ctx.vault(), seed.case_id) if f.kind == "task"]
    assert section.title.text() == "Arztbrief anfordern"
    # A half-typed date never breaks the draft sealed at lock, nor "anything unsaved?".
    assert section.has_unsaved_changes()
    assert section.draft_state() == {"title": "Arztbrief anfordern",  # the last readable date
                                     "due_on": ctx.vault().clock.today().isoformat(),
                                     "assignee": ["text", ""]}


def test_documentation_dates_typed_are_saved_and_a_wrong_one_blocks_the_save(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections.documentation import DocumentationSection

    section = as_in_window(ctx, DocumentationSection(ctx, seed.case_id))
    show_active(qtbot, section)
    qtbot.waitUntil(section.isEnabled, timeout=T)
    year = ctx.vault().clock.today().year
    type_date(qtbot, section.dates["working_agreement_on"], "04.12.")
    type_date(qtbot, section.dates["dp_info_given_on"], "021226")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.saved_note.text() == "Gespeichert.", timeout=T)
    ctx.wait_idle()
    values = case_documentation(ctx.vault(), seed.case_id).values
    assert values["working_agreement_on"] == date(year, 12, 4)
    assert values["dp_info_given_on"] == date(2026, 12, 2)

    # A wrong date next to a good change: nothing is saved, the message is at the field.
    type_date(qtbot, section.dates["working_agreement_on"], "05.12.")
    type_date(qtbot, section.dates["plan_signed_on"], "99.12.")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    label = section.errors.labels["plan_signed_on"]
    shown(qtbot, label)
    assert label.text().startswith("Den 99.12.")
    assert section.saved_note.text() == ""
    ctx.wait_idle()
    values = case_documentation(ctx.vault(), seed.case_id).values
    assert values["working_agreement_on"] == date(year, 12, 4)
    assert values["plan_signed_on"] is None
    # Sealed at lock, a date that cannot be read keeps the date it had: never "no date".
    type_date(qtbot, section.dates["dp_info_given_on"], "zz")
    assert section.draft_state() == {"working_agreement_on": f"{year}-12-05"}
    type_date(qtbot, section.dates["dp_info_given_on"], "02.12.2026")
    # Emptied again, the optional date is simply not given; the save goes through.
    type_date(qtbot, section.dates["plan_signed_on"], "")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.saved_note.text() == "Gespeichert.", timeout=T)
    ctx.wait_idle()
    assert case_documentation(ctx.vault(), seed.case_id).values["working_agreement_on"] == \
        date(year, 12, 5)


def test_goal_dates_typed_are_saved_and_a_wrong_one_blocks_the_save(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections import PlanSection

    section = as_in_window(ctx, PlanSection(ctx, seed.case_id))
    show_active(qtbot, section)
    section.tabs.setCurrentIndex(1)
    goal = section.goal_form
    description = goal.inputs["description"]
    assert isinstance(description, QPlainTextEdit)
    qtbot.keyClicks(description, "Sprachkurs B1 abschliessen")
    target, agreed = goal.inputs["target_date"], goal.inputs["agreed_on"]
    assert isinstance(target, DateField) and isinstance(agreed, DateField)
    type_date(qtbot, target, "+14")
    type_date(qtbot, agreed, "30.02.")
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    label = goal.errors.labels["agreed_on"]
    shown(qtbot, label)
    assert label.text().startswith("Den 30.02.")
    ctx.wait_idle()
    assert case_plan(ctx.vault(), seed.case_id).goals == ()

    type_date(qtbot, agreed, "heute")
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rowCount() == 1, timeout=T)
    ctx.wait_idle()
    today = ctx.vault().clock.today()
    (saved,) = case_plan(ctx.vault(), seed.case_id).goals
    assert (saved.target_date, saved.agreed_on) == (today + timedelta(days=14), today)
    assert target.text() == "" and agreed.text() == ""  # the form starts over


def test_status_with_a_wrong_date_is_not_saved(qtbot: QtBot, seed: Seed,
                                               ctx: AppContext) -> None:
    from ui.casefile.sections import StatusSection

    section = as_in_window(ctx, StatusSection(ctx, seed.case_id))
    show_active(qtbot, section)
    type_date(qtbot, section.valid_from, "010126")
    type_date(qtbot, section.valid_until, "31.04.2027")
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    label = section.errors.labels["valid_until"]
    shown(qtbot, label)
    assert label.text().startswith("Den 31.04.2027 gibt es nicht.")
    ctx.wait_idle()
    assert statuses(ctx.vault(), seed.case_id).statuses == []

    type_date(qtbot, section.valid_until, "30.4.27")
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    ctx.wait_idle()
    (saved,) = statuses(ctx.vault(), seed.case_id).statuses
    assert (saved.valid_from, saved.valid_until) == (date(2026, 1, 1), date(2027, 4, 30))


def test_consent_with_a_wrong_date_is_not_saved_and_typed_dates_are(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from tests.ui.casefile.sections_support import PURPOSE, open_consents

    section = open_consents(qtbot, ctx, seed)
    section.resize(1280, 720)
    section.show()
    qtbot.waitExposed(section)
    section.activateWindow()
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    form.categories["residence"].setChecked(True)
    qtbot.keyClicks(form.purpose, PURPOSE)
    type_date(qtbot, form.given_on, "-7")
    type_date(qtbot, form.valid_until, "31.09.27")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    label = form.errors.labels["valid_until"]
    shown(qtbot, label)
    assert label.text().startswith("Den 31.09.2027 gibt es nicht.")
    ctx.wait_idle()
    today = ctx.vault().clock.today()
    assert not may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today).allowed

    type_date(qtbot, form.valid_until, "30.09.27")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in section.message.text(), timeout=T)
    ctx.wait_idle()
    assert may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                        date(2027, 9, 30)).allowed
    assert not may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            date(2027, 10, 1)).allowed
    assert not may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today - timedelta(days=8)).allowed
