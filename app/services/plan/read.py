"""Read the assessment and the help plan of one case (goals, measures, referrals) in one go."""

from __future__ import annotations

from sqlalchemy import select

from app import catalogues
from app.services.cases.queries import resolve_case
from app.services.plan.records import (
    ATTAINMENT_LABELS,
    AssessmentRow,
    CasePlan,
    GoalRow,
    MeasureRow,
    ReferralRow,
)
from app.vault.store import Vault
from db.models import Assessment, Goal, Institution, Measure, Referral


def case_plan(vault: Vault, case_ref: str | int) -> CasePlan:
    """Everything the plan section shows (the person's view is audited by the case file)."""
    domains = {d.code: d.label for d in catalogues.life_domains()}
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        assessments = tuple(
            AssessmentRow(a.uuid, a.life_domain, domains.get(a.life_domain, a.life_domain),
                          a.resources, a.needs, a.client_view, a.assessed_on, a.is_reassessment)
            for a in s.execute(select(Assessment).where(
                Assessment.case_id == case.id, Assessment.deleted.is_(False))
                .order_by(Assessment.assessed_on, Assessment.id)).scalars())
        goals = s.execute(select(Goal).where(Goal.case_id == case.id, Goal.deleted.is_(False))
                          .order_by(Goal.position, Goal.id)).scalars().all()
        measures: dict[int, list[MeasureRow]] = {}
        if goals:
            for m in s.execute(select(Measure).where(
                    Measure.goal_id.in_([g.id for g in goals]), Measure.deleted.is_(False))
                    .order_by(Measure.id)).scalars():
                measures.setdefault(m.goal_id, []).append(
                    MeasureRow(m.uuid, m.description, m.responsible_text, m.due_on, m.status))
        goal_rows = tuple(
            GoalRow(g.uuid, g.life_domain, domains.get(g.life_domain, g.life_domain),
                    g.description, g.indicator, g.target_date, g.responsible, g.agreed_on,
                    g.attainment,
                    ATTAINMENT_LABELS.get(g.attainment or "", ""), g.evaluated_on,
                    tuple(measures.get(g.id, [])))
            for g in goals)
        referrals = tuple(
            ReferralRow(r.uuid, inst_uuid, name, r.purpose, r.referred_on, r.outcome)
            for r, inst_uuid, name in s.execute(
                select(Referral, Institution.uuid, Institution.name)
                .join(Institution, Institution.id == Referral.institution_id)
                .where(Referral.case_id == case.id, Referral.deleted.is_(False))
                .order_by(Referral.referred_on, Referral.id)).all())
    return CasePlan(assessments, goal_rows, referrals)


def goal_uuids(vault: Vault, case_ref: str | int) -> list[str]:
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        return list(s.execute(select(Goal.uuid).where(
            Goal.case_id == case.id, Goal.deleted.is_(False)).order_by(Goal.position, Goal.id)
        ).scalars())
