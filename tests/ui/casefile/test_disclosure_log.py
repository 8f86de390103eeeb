"""Einwilligungen shows the disclosure log: what went to whom, when, on which basis."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent, record_legal_basis
from app.services.plan.write import add_referral
from tests.ui.casefile.sections_support import PURPOSE, Seed, open_consents
from tests.ui.model_check import check_model
from ui.context import AppContext


def test_the_consents_section_lists_what_was_disclosed(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    v = ctx.vault()
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["education_work"], PURPOSE,
                                               date(2026, 1, 5)))
    record_legal_basis(v, seed.case_id, seed.abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Anfrage zur Wohnsitzauflage", date(2026, 2, 1))
    section = open_consents(qtbot, ctx, seed)
    log = section.disclosure_log
    check_model(log.model)
    qtbot.waitUntil(lambda: log.empty.text() != "" and not log.empty.isHidden(), timeout=10000)
    assert log.model.rowCount() == 0

    add_referral(v, seed.case_id, seed.jobcenter, PURPOSE, date(2026, 11, 25),
                 ["education_work"])
    add_referral(v, seed.case_id, seed.abh, "Mitteilung", date(2026, 11, 25), ["residence"],
                 warning_acknowledged=True)
    section.refresh()
    qtbot.waitUntil(lambda: log.model.rowCount() == 2, timeout=10000)
    assert log.empty.isHidden()
    rows = sorted(r.cells[1:] for r in log.model.rows())
    assert rows == [
        ("Ausländerbehörde Dortmund", "Aufenthalt", "Mitteilung",
         "Rechtsgrundlage § 87 Abs. 1 AufenthG, Begründung: Anfrage zur Wohnsitzauflage"
         " – Hinweis bestätigt", "Vermittlung"),
        ("Jobcenter Dortmund", "Bildung, Ausbildung und Arbeit", PURPOSE,
         f"Einwilligung vom 05.01.2026 (Zweck: {PURPOSE})", "Vermittlung")]
    assert all(r.cells[0] for r in log.model.rows())  # when, to the minute
    # The full text of every cell is its tooltip (cells are cut to fit the width).
    first = log.model.rows()[0]
    assert first.tooltips == first.cells
