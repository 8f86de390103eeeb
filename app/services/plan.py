"""Assessment per life domain, goals with measures and attainment, referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed, reject_unknown_fields
from app.services.cases import resolve_case
from app.vault.store import Vault
from db.models import Assessment, Consent, Goal, Institution, Measure, Referral

ATTAINMENT = ("erreicht", "teilweise", "nicht_erreicht")


def _check_domain(code: str) -> None:
    if code not in {d.code for d in catalogues.life_domains()}:
        raise ValidationFailed("Unbekannter Lebensbereich.", f"unknown life domain {code!r}",
                               field="life_domain")


def add_assessment(vault: Vault, case_ref: str | int, life_domain: str, *, resources: str | None,
                   needs: str | None, client_view: str | None, assessed_on: date,
                   is_reassessment: bool = False) -> str:
    _check_domain(life_domain)
    if not (resources or needs or client_view):
        raise ValidationFailed("Bitte Ressourcen, Bedarfe oder die Sicht der Klientin / des "
                               "Klienten eintragen.", "empty assessment", field="needs")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = Assessment(case_id=case.id, life_domain=life_domain, resources=resources,
                         needs=needs, client_view=client_view, assessed_on=assessed_on,
                         is_reassessment=is_reassessment)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "assessment", row.uuid, case=case.uuid)
        return row.uuid


@dataclass(frozen=True)
class NewGoal:
    life_domain: str
    description: str
    indicator: str | None
    target_date: date | None
    responsible: str | None = None
    agreed_on: date | None = None


def add_goal(vault: Vault, case_ref: str | int, new: NewGoal) -> str:
    _check_domain(new.life_domain)
    if not new.description.strip():
        raise ValidationFailed("Bitte das Ziel beschreiben.", "goal without description",
                               field="description")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = Goal(case_id=case.id, life_domain=new.life_domain,
                   description=new.description.strip(), indicator=new.indicator,
                   target_date=new.target_date, responsible=new.responsible,
                   agreed_on=new.agreed_on)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "goal", row.uuid, case=case.uuid)
        return row.uuid


def _goal(s: object, goal_uuid: str) -> Goal:
    goal = s.execute(select(Goal).where(Goal.uuid == goal_uuid,  # type: ignore[attr-defined]
                                        Goal.deleted.is_(False))).scalar()
    if goal is None:
        raise NotFound("Das Ziel wurde nicht gefunden.", f"no goal {goal_uuid}")
    return goal  # type: ignore[no-any-return]


def add_measure(vault: Vault, goal_uuid: str, description: str, *,
                responsible_text: str | None = None, due_on: date | None = None) -> str:
    if not description.strip():
        raise ValidationFailed("Bitte die Maßnahme beschreiben.", "measure without description",
                               field="description")
    with vault.session() as s:
        goal = _goal(s, goal_uuid)
        row = Measure(goal_id=goal.id, description=description.strip(),
                      responsible_text=responsible_text, due_on=due_on)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "measure", row.uuid, goal=goal.uuid)
        return row.uuid


def evaluate_goal(vault: Vault, goal_uuid: str, attainment: str, note: str | None,
                  evaluated_on: date) -> None:
    if attainment not in ATTAINMENT:
        raise ValidationFailed("Bitte „erreicht“, „teilweise“ oder „nicht erreicht“ wählen.",
                               f"unknown attainment {attainment!r}", field="attainment")
    with vault.session() as s:
        goal = _goal(s, goal_uuid)
        goal.attainment, goal.attainment_note, goal.evaluated_on = attainment, note, evaluated_on
        audit.record(s, audit.Kind.RECORD_UPDATED, "goal", goal.uuid, fields=["attainment"])


def add_referral(vault: Vault, case_ref: str | int, institution_uuid: str, purpose: str,
                 referred_on: date, consent_uuid: str | None = None) -> str:
    if not purpose.strip():
        raise ValidationFailed("Bitte den Anlass der Vermittlung angeben.", "purpose missing",
                               field="purpose")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = s.execute(select(Institution).where(Institution.uuid == institution_uuid)).scalar()
        if inst is None:
            raise NotFound("Die Institution wurde nicht gefunden.", "no such institution")
        consent_id = s.execute(select(Consent.id).where(Consent.uuid == consent_uuid)
                               ).scalar() if consent_uuid else None
        row = Referral(case_id=case.id, institution_id=inst.id, purpose=purpose.strip(),
                       referred_on=referred_on, consent_id=consent_id)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "referral", row.uuid, case=case.uuid)
        return row.uuid


GOAL_FIELDS = frozenset({"description", "indicator", "target_date", "responsible", "agreed_on"})


def update_goal(vault: Vault, goal_uuid: str, **changes: object) -> None:
    reject_unknown_fields(changes, GOAL_FIELDS)
    with vault.session() as s:
        goal = _goal(s, goal_uuid)
        for name, value in changes.items():
            setattr(goal, name, value)
        audit.record(s, audit.Kind.RECORD_UPDATED, "goal", goal.uuid, fields=sorted(changes))


def goal_uuids(vault: Vault, case_ref: str | int) -> list[str]:
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        return list(s.execute(select(Goal.uuid).where(
            Goal.case_id == case.id, Goal.deleted.is_(False)).order_by(Goal.position, Goal.id)
        ).scalars())
