"""Records of the plan domain: assessments, goals with measures, referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ATTAINMENT = ("erreicht", "teilweise", "nicht_erreicht")


@dataclass(frozen=True)
class NewGoal:
    life_domain: str
    description: str
    indicator: str | None
    target_date: date | None
    responsible: str | None = None
    agreed_on: date | None = None


ATTAINMENT_LABELS = {"erreicht": "erreicht", "teilweise": "teilweise",
                     "nicht_erreicht": "nicht erreicht"}


@dataclass(frozen=True)
class AssessmentRow:
    uuid: str
    life_domain: str
    life_domain_label: str
    resources: str | None
    needs: str | None
    client_view: str | None
    assessed_on: date
    is_reassessment: bool


@dataclass(frozen=True)
class MeasureRow:
    uuid: str
    description: str
    responsible: str | None
    due_on: date | None
    status: str


@dataclass(frozen=True)
class GoalRow:
    uuid: str
    life_domain: str
    life_domain_label: str
    description: str
    indicator: str | None
    target_date: date | None
    responsible: str | None
    agreed_on: date | None
    attainment: str | None
    attainment_label: str  # German, "" when not yet evaluated
    evaluated_on: date | None
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class ReferralRow:
    uuid: str
    institution_uuid: str
    institution_name: str
    purpose: str
    referred_on: date
    outcome: str | None


@dataclass(frozen=True)
class CasePlan:
    assessments: tuple[AssessmentRow, ...]
    goals: tuple[GoalRow, ...]
    referrals: tuple[ReferralRow, ...]
