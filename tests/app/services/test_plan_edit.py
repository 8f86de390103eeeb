"""Correcting and removing assessments, goals, measures and referrals: tombstones and audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import NotFound, ValidationFailed
from app.services.cases.read import list_cases
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.write import record_legal_basis
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.plan.read import case_plan
from app.services.plan.records import NewGoal
from app.services.plan.write import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    delete_assessment,
    delete_goal,
    delete_measure,
    delete_referral,
    update_assessment,
    update_goal,
    update_measure,
    update_referral,
)
from app.services.tasks.write import add_task
from app.vault.store import Vault
from db.models import Assessment, AuditLog, Goal, Measure, Referral


def _kinds(vault: Vault, uuid: str) -> list[str]:
    with vault.session() as s:
        return list(s.execute(select(AuditLog.kind).where(AuditLog.object_uuid == uuid)
                              .order_by(AuditLog.seq)).scalars())


def _deleted(vault: Vault, model: type[Assessment | Goal | Measure | Referral], uuid: str
             ) -> bool:
    with vault.session() as s:
        return bool(s.execute(select(model.deleted).where(model.uuid == uuid)).scalar_one())


def _referral(vault: Vault, case: int, institution: str) -> str:
    """A referral on a recorded legal basis (it passes the consent gate)."""
    record_legal_basis(vault, case, institution, "education_work", "§ 69 SGB X", "Vermittlung",
                       date(2026, 11, 1))
    return add_referral(vault, case, institution, "Beratung", date(2026, 11, 2),
                        ["education_work"])


@pytest.fixture
def case(vault: Vault) -> int:
    return create_case(vault, NewCase("Bashir", "Rahimi", "DO"))


def test_update_assessment_goal_measure_referral_read_back(vault: Vault, case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    mbe = add_institution(vault, NewInstitution("MBE Caritas", "mbe", "DO"))
    a = add_assessment(vault, case, "housing", resources=None, needs="Wohnung",
                       client_view=None, assessed_on=date(2026, 11, 1))
    g = add_goal(vault, case, NewGoal("language", "B1 erreichen", None, None))
    m = add_measure(vault, g, "Kurs suchen")
    r = _referral(vault, case, jc)

    update_assessment(vault, a, needs="Größere Wohnung", life_domain="family_children",
                      assessed_on=date(2026, 11, 3))
    update_goal(vault, g, description="  B2 erreichen ", life_domain="education_school",
                agreed_on=date(2026, 11, 4))
    update_measure(vault, m, description="Kurs buchen", due_on=date(2026, 12, 1))
    record_legal_basis(vault, case, mbe, "education_work", "§ 69 SGB X", "Erstberatung",
                       date(2026, 11, 1))
    update_referral(vault, r, institution_uuid=mbe, purpose="Erstberatung",
                    data_categories=["education_work"])

    plan = case_plan(vault, case)
    assessment = plan.assessments[0]
    assert (assessment.needs, assessment.life_domain, assessment.assessed_on) == (
        "Größere Wohnung", "family_children", date(2026, 11, 3))
    goal = plan.goals[0]
    assert (goal.description, goal.life_domain, goal.agreed_on) == (
        "B2 erreichen", "education_school", date(2026, 11, 4))
    assert (goal.measures[0].description, goal.measures[0].due_on) == (
        "Kurs buchen", date(2026, 12, 1))
    referral = plan.referrals[0]
    assert (referral.institution_name, referral.institution_uuid, referral.purpose) == (
        "MBE Caritas", mbe, "Erstberatung")
    for uuid in (a, g, m, r):
        assert _kinds(vault, uuid) == ["record.created", "record.updated"]
    # Saving the same values again changes nothing and audits nothing.
    update_measure(vault, m, description="Kurs buchen")
    assert _kinds(vault, m) == ["record.created", "record.updated"]


def test_updates_validate_and_reject_unknown_fields(vault: Vault, case: int) -> None:
    a = add_assessment(vault, case, "housing", resources=None, needs="Wohnung",
                       client_view=None, assessed_on=date(2026, 11, 1))
    g = add_goal(vault, case, NewGoal("language", "B1 erreichen", None, None))
    m = add_measure(vault, g, "Kurs suchen")
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    r = _referral(vault, case, jc)
    cases: list[tuple[object, str | None]] = []
    for call in (lambda: update_assessment(vault, a, needs=" "),
                 lambda: update_assessment(vault, a, life_domain="mars"),
                 lambda: update_goal(vault, g, description=""),
                 lambda: update_measure(vault, m, description=" "),
                 lambda: update_referral(vault, r, purpose=""),
                 lambda: update_referral(vault, r, institution_uuid="nope"),
                 lambda: update_assessment(vault, a, case_id=2),
                 lambda: update_measure(vault, m, status="done"),
                 lambda: update_referral(vault, r, consent_id=1)):
        with pytest.raises(ValidationFailed) as caught:
            call()
        cases.append((caught.value.message_de, caught.value.field))
    assert [f for _, f in cases] == ["needs", "life_domain", "description", "description",
                                     "purpose", "institution", None, None, None]
    assert cases[-1][0] == "Diese Angaben können hier nicht geändert werden."
    plan = case_plan(vault, case)
    assert plan.assessments[0].needs == "Wohnung" and plan.referrals[0].purpose == "Beratung"
    for uuid in (a, g, m, r):
        assert _kinds(vault, uuid) == ["record.created"]


def test_delete_tombstones_and_audits(vault: Vault, case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    a = add_assessment(vault, case, "housing", resources="Familie hilft", needs=None,
                       client_view=None, assessed_on=date(2026, 11, 1))
    g = add_goal(vault, case, NewGoal("language", "B1 erreichen", None, None))
    kept = add_goal(vault, case, NewGoal("housing", "Wohnung finden", None, None))
    m1, m2 = add_measure(vault, g, "Kurs suchen"), add_measure(vault, g, "Kita klären")
    m3 = add_measure(vault, kept, "Wohnungsamt")
    r = _referral(vault, case, jc)
    add_task(vault, case, "Termin", date(2026, 12, 24))
    deadline = list_cases(vault).rows[0].next_deadline

    delete_assessment(vault, a)
    delete_measure(vault, m3)
    assert delete_goal(vault, g) == [m1, m2]
    delete_referral(vault, r)

    plan = case_plan(vault, case)
    assert plan.assessments == () and plan.referrals == ()
    assert [x.uuid for x in plan.goals] == [kept] and plan.goals[0].measures == ()
    for model, uuid in ((Assessment, a), (Goal, g), (Measure, m1), (Measure, m2),
                        (Measure, m3), (Referral, r)):
        assert _deleted(vault, model, uuid)
        assert _kinds(vault, uuid)[-1] == "record.deleted"
    assert list_cases(vault).rows[0].next_deadline == deadline == date(2026, 12, 24)
    # Deleted records are gone for every further change.
    for call in (lambda: update_assessment(vault, a, needs="x"),
                 lambda: delete_assessment(vault, a),
                 lambda: update_goal(vault, g, description="x"), lambda: delete_goal(vault, g),
                 lambda: update_measure(vault, m1, description="x"),
                 lambda: delete_measure(vault, m2), lambda: add_measure(vault, g, "neu"),
                 lambda: update_referral(vault, r, purpose="x"), lambda: delete_referral(vault, r),
                 lambda: delete_referral(vault, "unbekannt")):
        with pytest.raises(NotFound):
            call()
