"""Einwilligungen and the Hilfeplan tables at 1280×720: every column in view, dates whole,
rows one line high, the full text in the tooltip (QT_SCALE_FACTOR=1.5 runs the same)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.plan.records import NewGoal
from app.services.plan.write import add_assessment, add_goal, add_measure, add_referral
from tests.ui.casefile.sections_support import Seed
from tests.ui.settle import settle
from ui.casefile.sections._fit import DATE_SAMPLE, one_line_height
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext

PURPOSE = "Vermittlung in Arbeit und Ausbildung mit Begleitung zum Erstgespräch"
LONG = "Größere Wohnung für fünf Personen in der Nähe der Schule der Kinder, barrierefrei"


def _fill(ctx: AppContext, seed: Seed) -> None:
    v = ctx.vault()
    categories = ["identity_contact", "residence", "health", "family_children",
                  "education_work", "finances_benefits"]
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, categories, PURPOSE,
                                               date(2026, 1, 5), date(2027, 1, 5)))
    add_referral(v, seed.case_id, seed.jobcenter, PURPOSE, date(2026, 11, 3), categories)
    add_assessment(v, seed.case_id, "housing", resources=LONG, needs=LONG, client_view=LONG,
                   assessed_on=date(2026, 11, 2))
    goal = add_goal(v, seed.case_id, NewGoal("language", LONG, LONG, date(2027, 6, 30), LONG))
    add_measure(v, goal, LONG, responsible_text=LONG, due_on=date(2026, 12, 1))


def _check(view: QTableView, date_columns: tuple[int, ...]) -> None:
    name = view.accessibleName()
    header = view.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert sum(widths) <= view.viewport().width(), (name, widths, view.viewport().width())
    assert min(widths) > 20, (name, widths)
    needed = view.fontMetrics().horizontalAdvance(DATE_SAMPLE)
    for column in date_columns:
        assert widths[column] >= needed, (name, column, widths)
    model = view.model()
    assert model.rowCount() > 0, name
    for row in range(model.rowCount()):
        assert view.rowHeight(row) <= one_line_height(view), (name, row, view.rowHeight(row))
        for column in range(model.columnCount()):
            index = model.index(row, column)  # the tooltip (role 3) holds the full text
            assert str(model.data(index)) in str(model.data(index, 3) or ""), (name, row, column)


def _window(qtbot: QtBot, ctx: AppContext, seed: Seed, section: str) -> CaseFileWidget:
    widget = CaseFileWidget(ctx, seed.case_id, section=section)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    settle(ctx)
    return widget


def test_the_consent_list_and_the_disclosure_log_fit(qtbot: QtBot, seed: Seed,
                                                     ctx: AppContext) -> None:
    from ui.casefile.sections import ConsentsSection

    _fill(ctx, seed)
    widget = _window(qtbot, ctx, seed, "consents")
    section = widget.section("consents")
    assert isinstance(section, ConsentsSection)
    qtbot.waitUntil(lambda: section.list_model.rowCount() == 1, timeout=10000)
    categories = section.list_model.rows()[0].cells[1]
    assert categories.startswith("Identität und Kontaktdaten, Aufenthalt, Gesundheit")
    _check(section.list_view, (3, 4))
    _check(section.disclosure_log.view, ())


def test_the_plan_tables_fit(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections import PlanSection

    _fill(ctx, seed)
    widget = _window(qtbot, ctx, seed, "plan")
    section = widget.section("plan")
    assert isinstance(section, PlanSection)
    qtbot.waitUntil(lambda: section.goal_model.rowCount() == 1, timeout=10000)
    section.goals.selectRow(0)
    for tab, views in ((0, ((section.assessments, (4,)),)),
                       (1, ((section.goals, (3,)), (section.measures, (2,)))),
                       (2, ((section.referrals, (2,)),))):
        section.tabs.setCurrentIndex(tab)
        settle(ctx)
        for view, dates in views:
            _check(view, dates)
