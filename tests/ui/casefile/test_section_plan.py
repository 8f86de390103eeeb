"""Assessment & Hilfeplan section: adding assessments, goals, measures, evaluation, referrals."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from tests.ui.casefile.sections_support import (
    Seed,
    as_in_window,
)
from tests.ui.model_check import check_model
from ui.casefile._form import set_date
from ui.context import AppContext


def test_plan_assessment_goals_measures_evaluation_referral(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

    from ui.casefile.sections import PlanSection

    section = as_in_window(ctx, PlanSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    for model in (section.assessment_model, section.goal_model, section.measure_model,
                  section.referral_model):
        check_model(model)
    section.refresh()
    referral = section.referral_form
    combo = referral.inputs["institution"]
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=10000)

    # Goal without description: the German message appears right under the field.
    section.tabs.setCurrentIndex(1)
    goal = section.goal_form
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    label = goal.errors.labels["description"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert label.text() == "Bitte das Ziel beschreiben."
    form_layout = goal.layout_
    field_row = form_layout.getWidgetPosition(goal.inputs["description"])[0]
    assert form_layout.getWidgetPosition(label)[0] == field_row + 1
    assert section.goal_model.rowCount() == 0

    description = goal.inputs["description"]
    assert isinstance(description, QPlainTextEdit)
    qtbot.keyClicks(description, "Sprachkurs B1 abschliessen")
    indicator = goal.inputs["indicator"]
    assert isinstance(indicator, QLineEdit)
    qtbot.keyClicks(indicator, "Zertifikat B1 liegt vor")
    set_date(goal.inputs["target_date"], date(2027, 6, 30))
    goal_domain = goal.inputs["life_domain"]
    assert isinstance(goal_domain, QComboBox)
    goal_domain.setCurrentIndex(goal_domain.findData("language"))
    assert section.has_unsaved_changes()
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rowCount() == 1, timeout=10000)
    row = section.goal_model.rows()[0]
    assert row.cells[1:4] == ("Sprachkurs B1 abschliessen", "Zertifikat B1 liegt vor",
                              "30.06.2027")
    assert row.cells[5] == "noch nicht bewertet"
    assert not label.isVisibleTo(section)

    # Measures and evaluation belong to the selected goal.
    assert not section.measure_form.isEnabled()
    section.goals.selectRow(0)
    assert section.measure_form.isEnabled()
    qtbot.keyClicks(section.measure_form.inputs["description"], "Anmeldung beim Kurstraeger")
    qtbot.mouseClick(section.measure_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 1, timeout=10000)
    assert section.measure_model.rows()[0].cells[0] == "Anmeldung beim Kurstraeger"
    assert section.measure_model.rows()[0].cells[3] == "offen"
    attainment = section.evaluation_form.inputs["attainment"]
    assert isinstance(attainment, QComboBox)
    attainment.setCurrentIndex(attainment.findData("teilweise"))
    qtbot.mouseClick(section.evaluation_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rows()[0].cells[5] == "teilweise", timeout=10000)
    attainment.setCurrentIndex(attainment.findData("nicht_erreicht"))
    qtbot.mouseClick(section.evaluation_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rows()[0].cells[5] == "nicht erreicht",
                    timeout=10000)

    # Assessment: nothing filled in → message at "Bedarfe"; then a real entry.
    section.tabs.setCurrentIndex(0)
    af = section.assessment_form
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    needs_label = af.errors.labels["needs"]
    qtbot.waitUntil(lambda: needs_label.isVisibleTo(section), timeout=10000)
    assert "Bedarfe" in needs_label.text()
    qtbot.keyClicks(af.inputs["needs"], "Wohnung gesucht")
    af.inputs["client_view"].setPlainText("Möchte näher an die Schule ziehen")  # type: ignore
    domain = af.inputs["life_domain"]
    assert isinstance(domain, QComboBox)
    domain.setCurrentIndex(domain.findData("housing"))
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.assessment_model.rowCount() == 1, timeout=10000)
    assessed = section.assessment_model.rows()[0].cells
    assert assessed[0] == "Wohnen" and assessed[2] == "Wohnung gesucht"
    assert assessed[3] == "Möchte näher an die Schule ziehen"
    assert assessed[4] == date.today().strftime("%d.%m.%Y")

    # Referral: institution picked from the directory.
    section.tabs.setCurrentIndex(2)
    qtbot.mouseClick(referral.save, Qt.MouseButton.LeftButton)
    assert referral.errors.labels["institution"].text() == "Bitte die Institution wählen."
    combo.setCurrentIndex(combo.findData(seed.jobcenter))
    qtbot.keyClicks(referral.inputs["purpose"], "Beratung zu Arbeitsaufnahme")
    # Which data go with it is asked (the consent gate itself: test_referral_gate.py).
    qtbot.mouseClick(referral.save, Qt.MouseButton.LeftButton)
    categories_error = referral.errors.labels["data_categories"]
    qtbot.waitUntil(lambda: "Datenkategorien" in categories_error.text(), timeout=10000)
    ctx.wait_idle()
    record_consent(ctx.vault(), seed.case_id, NewConsent(
        seed.jobcenter, ["education_work"], "Beratung zu Arbeitsaufnahme", date(2026, 1, 1)))
    referral.categories.boxes["education_work"].setChecked(True)
    qtbot.mouseClick(referral.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 1, timeout=10000)
    assert section.referral_model.rows()[0].cells[:2] == ("Jobcenter Dortmund",
                                                         "Beratung zu Arbeitsaufnahme")
    assert not section.has_unsaved_changes()


def test_plan_draft_survives_a_new_section(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections import PlanSection

    first = PlanSection(ctx, seed.case_id)
    qtbot.addWidget(first)
    assert first.draft_state() is None
    first.goal_form.inputs["description"].setPlainText("Ausbildungsplatz finden")  # type: ignore
    set_date(first.goal_form.inputs["target_date"], date(2027, 8, 1))
    state = first.draft_state()
    assert state is not None and set(state) == {"goal"}
    second = PlanSection(ctx, seed.case_id)
    qtbot.addWidget(second)
    second.restore_draft(state)
    assert second.goal_form.value().description == "Ausbildungsplatz finden"
    assert second.goal_form.value().target_date == date(2027, 8, 1)
