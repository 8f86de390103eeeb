"""Assessment & Hilfeplan: correcting and deleting what was written, on the real store."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.consent.write import record_legal_basis
from app.services.plan.read import case_plan
from app.services.plan.records import NewGoal
from app.services.plan.write import add_assessment, add_goal, add_measure, add_referral
from app.vault.store import Vault
from db.models import Assessment, AuditLog, Goal, Measure, Referral
from tests.ui.casefile.sections_support import Seed, answer_confirmation, as_in_window
from tests.ui.model_check import check_model
from tests.ui.settle import settle
from ui.casefile._form import set_date
from ui.context import AppContext


def _referral(v: Vault, seed: Seed) -> str:
    """A referral to the Jobcenter on a recorded legal basis; one for the Ausländerbehörde is
    recorded too, so the referral can be moved there (after the warning)."""
    for institution in (seed.jobcenter, seed.abh):
        record_legal_basis(v, seed.case_id, institution, "education_work", "§ 69 SGB X",
                           "Vermittlung", date(2026, 11, 1))
    return add_referral(v, seed.case_id, seed.jobcenter, "Beratung Arbeit", date(2026, 11, 3),
                        ["education_work"])


def _plan_section(qtbot: QtBot, ctx: AppContext, seed: Seed) -> tuple[Any, dict[str, str]]:
    """A case with one assessment, two goals (the first with two measures) and a referral."""
    from ui.casefile.sections import PlanSection

    v = ctx.vault()
    uuids = {
        "assessment": add_assessment(v, seed.case_id, "housing", resources=None,
                                     needs="Wohnung gesucht", client_view=None,
                                     assessed_on=date(2026, 11, 2)),
        "goal": add_goal(v, seed.case_id, NewGoal("language", "Sprachkurs B1 abschliessen",
                                                  "Zertifikat", date(2027, 6, 30))),
        "other_goal": add_goal(v, seed.case_id, NewGoal("housing", "Wohnung finden", None,
                                                        None)),
        "referral": _referral(v, seed),
    }
    uuids["measure"] = add_measure(v, uuids["goal"], "Anmeldung beim Kurstraeger")
    uuids["measure2"] = add_measure(v, uuids["goal"], "Kinderbetreuung klaeren")
    section = as_in_window(ctx, PlanSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    section.show()
    for model in (section.assessment_model, section.goal_model, section.measure_model,
                  section.referral_model):
        check_model(model)
    section.refresh()
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 1
                    and section.goal_model.rowCount() == 2, timeout=10000)
    return section, uuids


def _deleted(vault: Vault, model: Any, uuid: str) -> tuple[bool, list[str]]:
    """Whether the row is a tombstone (it still exists), and its audit kinds."""
    with vault.session() as s:
        flag = s.execute(select(model.deleted).where(model.uuid == uuid)).scalar_one()
        kinds = list(s.execute(select(AuditLog.kind).where(AuditLog.object_uuid == uuid)
                               .order_by(AuditLog.seq)).scalars())
    return bool(flag), kinds


def test_edit_assessment_goal_measure_referral_and_read_back(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section, uuids = _plan_section(qtbot, ctx, seed)
    af = section.assessment_form
    assert not section.assessment_actions.edit_button.isEnabled()  # nothing selected yet
    assert section.assessment_actions.edit_button.text() == "Bearbei&ten…"

    # Assessment: Enter on the row opens the same form, pre-filled.
    section.assessments.setFocus()
    section.assessments.selectRow(0)
    assert section.assessment_actions.edit_button.isEnabled()
    qtbot.keyClick(section.assessments, Qt.Key.Key_Return)
    assert af.title() == "Assessment bearbeiten" and af.cancel.isVisible()
    assert af.inputs["needs"].toPlainText() == "Wohnung gesucht"
    assert af.inputs["life_domain"].currentData() == "housing"
    assert af.date("assessed_on") == date(2026, 11, 2)
    assert not section.has_unsaved_changes()
    # Emptied: the German message stands next to "Bedarfe" and nothing is stored.
    af.inputs["needs"].clear()
    assert section.has_unsaved_changes()
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    needs_label = af.errors.labels["needs"]
    qtbot.waitUntil(lambda: needs_label.isVisibleTo(section), timeout=10000)
    assert needs_label.text().startswith("Bitte Ressourcen, Bedarfe")
    ctx.wait_idle()
    assert case_plan(ctx.vault(), seed.case_id).assessments[0].needs == "Wohnung gesucht"
    af.inputs["needs"].setPlainText("Größere Wohnung gesucht")
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.assessment_model.rows()[0].cells[2]
                    == "Größere Wohnung gesucht", timeout=10000)
    assert section.message.text() == "Das Assessment wurde geändert."
    assert af.title() == "Assessment erfassen" and not af.cancel.isVisible()
    ctx.wait_idle()
    assert case_plan(ctx.vault(), seed.case_id).assessments[0].needs == "Größere Wohnung gesucht"

    # Goal: double-click on the row.
    section.tabs.setCurrentIndex(1)
    gf = section.goal_form
    rect = section.goals.visualRect(section.goal_model.index(0, 1))
    qtbot.mouseClick(section.goals.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(section.goals.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert gf.title() == "Ziel bearbeiten"
    assert gf.inputs["description"].toPlainText() == "Sprachkurs B1 abschliessen"
    gf.inputs["description"].setPlainText("   ")
    qtbot.mouseClick(gf.save, Qt.MouseButton.LeftButton)
    label = gf.errors.labels["description"]
    qtbot.waitUntil(lambda: label.text() == "Bitte das Ziel beschreiben.", timeout=10000)
    gf.inputs["description"].setPlainText("Sprachkurs B2 abschliessen")
    set_date(gf.inputs["target_date"], date(2027, 12, 31))
    qtbot.mouseClick(gf.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rows()[0].cells[1:4] == (
        "Sprachkurs B2 abschliessen", "Zertifikat", "31.12.2027"), timeout=10000)

    # Measure: through the button under the measure list.
    section.goals.selectRow(0)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 2, timeout=10000)
    section.measures.selectRow(0)
    mf = section.measure_form
    qtbot.mouseClick(section.measure_actions.edit_button, Qt.MouseButton.LeftButton)
    assert mf.title() == "Maßnahme bearbeiten"
    assert mf.inputs["description"].text() == "Anmeldung beim Kurstraeger"
    mf.inputs["description"].setText("Anmeldung bei der VHS")
    set_date(mf.inputs["due_on"], date(2027, 1, 15))
    qtbot.mouseClick(mf.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 2 and section.measure_model
                    .rows()[0].cells[:3] == ("Anmeldung bei der VHS", "", "15.01.2027"),
                    timeout=10000)

    # Referral: "Abbrechen" leaves it as it was; then a real correction.
    section.tabs.setCurrentIndex(2)
    rf = section.referral_form
    section.referrals.selectRow(0)
    qtbot.mouseClick(section.referral_actions.edit_button, Qt.MouseButton.LeftButton)
    combo = rf.inputs["institution"]
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == seed.jobcenter
    rf.inputs["purpose"].setText("etwas anderes")
    qtbot.mouseClick(rf.cancel, Qt.MouseButton.LeftButton)
    assert rf.title() == "Vermittlung erfassen" and rf.inputs["purpose"].text() == ""
    qtbot.mouseClick(section.referral_actions.edit_button, Qt.MouseButton.LeftButton)
    assert rf.inputs["purpose"].text() == "Beratung Arbeit"
    combo.setCurrentIndex(combo.findData(seed.abh))
    rf.inputs["purpose"].setText("Klärung der Duldung")
    # Another institution: the referral discloses again, so categories are asked for ...
    qtbot.mouseClick(rf.save, Qt.MouseButton.LeftButton)
    categories_error = rf.errors.labels["data_categories"]
    qtbot.waitUntil(lambda: categories_error.isVisibleTo(section), timeout=10000)
    assert "Datenkategorien" in categories_error.text()
    # ... and the foreigners' authority warning is confirmed before it is saved.
    rf.categories.boxes["education_work"].setChecked(True)
    qtbot.mouseClick(rf.save, Qt.MouseButton.LeftButton)
    assert "Ausländerbehörde" in answer_confirmation(qtbot, section,
                                                     "Hinweis bestätigen und &speichern")
    qtbot.waitUntil(lambda: section.referral_model.rows()[0].cells[:2] == (
        "Ausländerbehörde Dortmund", "Klärung der Duldung"), timeout=10000)
    ctx.wait_idle()

    plan = case_plan(ctx.vault(), seed.case_id)
    goal = next(g for g in plan.goals if g.uuid == uuids["goal"])
    assert (goal.description, goal.target_date) == ("Sprachkurs B2 abschliessen",
                                                     date(2027, 12, 31))
    assert [(m.description, m.due_on) for m in goal.measures] == [
        ("Anmeldung bei der VHS", date(2027, 1, 15)), ("Kinderbetreuung klaeren", None)]
    assert (plan.referrals[0].institution_uuid, plan.referrals[0].purpose) == (
        seed.abh, "Klärung der Duldung")
    for model, key in ((Assessment, "assessment"), (Goal, "goal"), (Measure, "measure"),
                       (Referral, "referral")):
        assert _deleted(ctx.vault(), model, uuids[key]) == (
            False, ["record.created", "record.updated"])
    assert not section.has_unsaved_changes()


def test_delete_asks_cancel_keeps_confirm_tombstones(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section, uuids = _plan_section(qtbot, ctx, seed)
    v = ctx.vault()

    # Assessment: "Abbrechen" keeps it.
    section.assessments.selectRow(0)
    qtbot.mouseClick(section.assessment_actions.delete_button, Qt.MouseButton.LeftButton)
    asked = answer_confirmation(qtbot, section, "&Abbrechen")
    assert "Lebensbereich „Wohnen“ vom 02.11.2026 wird gelöscht" in asked
    assert "im Protokoll bleibt vermerkt" in asked
    assert "['&Abbrechen', 'Assessment &löschen']" in asked
    settle(ctx)
    assert section.assessment_model.rowCount() == 1
    assert len(case_plan(v, seed.case_id).assessments) == 1
    assert _deleted(v, Assessment, uuids["assessment"]) == (False, ["record.created"])
    # The Delete key asks the same; confirming removes it from list and read service.
    section.assessments.setFocus()
    section.assessments.selectRow(0)
    qtbot.keyClick(section.assessments, Qt.Key.Key_Delete)
    answer_confirmation(qtbot, section, "Assessment &löschen")
    qtbot.waitUntil(lambda: section.assessment_model.rowCount() == 0, timeout=10000)
    assert section.message.text() == "Das Assessment wurde gelöscht."
    ctx.wait_idle()
    assert case_plan(v, seed.case_id).assessments == ()
    assert _deleted(v, Assessment, uuids["assessment"]) == (
        True, ["record.created", "record.deleted"])

    # A goal takes its measures along, and the question says so.
    section.tabs.setCurrentIndex(1)
    section.goals.selectRow(0)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 2, timeout=10000)
    qtbot.mouseClick(section.goal_actions.delete_button, Qt.MouseButton.LeftButton)
    asked = answer_confirmation(qtbot, section, "Ziel &löschen")
    assert "„Sprachkurs B1 abschliessen“" in asked
    assert "Seine 2 Maßnahmen werden mit gelöscht." in asked
    qtbot.waitUntil(lambda: section.goal_model.rowCount() == 1, timeout=10000)
    assert section.goal_model.rows()[0].cells[1] == "Wohnung finden"
    assert section.measure_model.rowCount() == 0
    ctx.wait_idle()
    plan = case_plan(v, seed.case_id)
    assert [g.uuid for g in plan.goals] == [uuids["other_goal"]]
    assert _deleted(v, Goal, uuids["goal"])[0]
    for key in ("measure", "measure2"):
        assert _deleted(v, Measure, uuids[key]) == (True, ["record.created", "record.deleted"])

    # A single measure of the remaining goal.
    add_measure(v, uuids["other_goal"], "Wohnungsamt anrufen")
    section.refresh()
    section.goals.selectRow(0)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 1, timeout=10000)
    section.measures.selectRow(0)
    measure_uuid = section.measure_model.rows()[0].key
    qtbot.mouseClick(section.measure_actions.delete_button, Qt.MouseButton.LeftButton)
    assert "„Wohnungsamt anrufen“" in answer_confirmation(qtbot, section, "Maßnahme &löschen")
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 0, timeout=10000)
    ctx.wait_idle()
    assert case_plan(v, seed.case_id).goals[0].measures == ()
    assert _deleted(v, Measure, measure_uuid)[0]

    # Referral, while it is open for editing: the form goes back to adding.
    section.tabs.setCurrentIndex(2)
    section.referrals.selectRow(0)
    qtbot.mouseClick(section.referral_actions.edit_button, Qt.MouseButton.LeftButton)
    assert section.referral_form.editing == uuids["referral"]
    qtbot.mouseClick(section.referral_actions.delete_button, Qt.MouseButton.LeftButton)
    assert "an „Jobcenter Dortmund“ vom 03.11.2026" in answer_confirmation(
        qtbot, section, "Vermittlung &löschen")
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 0, timeout=10000)
    assert section.referral_form.editing is None
    assert section.referral_form.title() == "Vermittlung erfassen"
    ctx.wait_idle()
    assert case_plan(v, seed.case_id).referrals == ()
    assert _deleted(v, Referral, uuids["referral"]) == (
        True, ["record.created", "record.deleted"])


def test_a_correction_in_progress_survives_as_a_draft(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections import PlanSection

    section, uuids = _plan_section(qtbot, ctx, seed)
    section.tabs.setCurrentIndex(1)
    section.goals.selectRow(0)
    qtbot.mouseClick(section.goal_actions.edit_button, Qt.MouseButton.LeftButton)
    section.goal_form.inputs["description"].setPlainText("Sprachkurs C1")
    state = section.draft_state()
    assert state is not None and set(state) == {"goal"}
    other = PlanSection(ctx, seed.case_id)
    qtbot.addWidget(other)
    other.restore_draft(state)
    assert other.goal_form.editing == uuids["goal"]
    assert other.goal_form.title() == "Ziel bearbeiten"
    assert other.has_unsaved_changes()
    other.refresh()
    qtbot.waitUntil(lambda: other.goal_model.rowCount() == 2, timeout=10000)
    qtbot.mouseClick(other.goal_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: other.message.text() == "Das Ziel wurde geändert.", timeout=10000)
    ctx.wait_idle()
    goals = {g.uuid: g for g in case_plan(ctx.vault(), seed.case_id).goals}
    assert goals[uuids["goal"]].description == "Sprachkurs C1"
    assert len(goals) == 2  # changed, not added
