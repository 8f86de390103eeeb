"""Write the assessment per life domain, goals with measures and attainment, referrals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed, reject_unknown_fields
from app.services.cases.queries import resolve_case
from app.services.consent.write import disclose_in_session
from app.services.editing import apply_changes, live, live_id, required, tombstone
from app.services.plan.records import ATTAINMENT, NewGoal
from app.vault.store import Vault
from db.models import Assessment, CaseFile, Disclosure, Goal, Institution, Measure, Referral

# Next deadlines come from tasks, residence statuses and consents only (see
# app.services.tasks.queries), so editing or deleting plan records leaves them untouched.


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


def _goal(s: Session, goal_uuid: str) -> Goal:
    return live(s, Goal, goal_uuid, "Das Ziel wurde nicht gefunden.")


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


REFERRAL_CHANNEL = "referral"  # Disclosure.channel of what a referral hands over


def _link_basis(row: Referral, disclosures: list[Disclosure]) -> None:
    """The referral points at the consent or legal basis of its first disclosed category."""
    row.consent_id, row.legal_basis_id = disclosures[0].consent_id, disclosures[0].legal_basis_id


def add_referral(vault: Vault, case_ref: str | int, institution_uuid: str, purpose: str,
                 referred_on: date, data_categories: Sequence[str], *,
                 warning_acknowledged: bool = False) -> str:
    """A referral hands the named data categories to the institution: it is saved only when a
    consent or a recorded legal basis covers each of them (``may_disclose``), together with its
    disclosure log rows in one transaction; refused, nothing is written."""
    if not purpose.strip():
        raise ValidationFailed("Bitte den Anlass der Vermittlung angeben.", "purpose missing",
                               field="purpose")
    _check_referral_categories(data_categories)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = live(s, Institution, institution_uuid, "Die Institution wurde nicht gefunden.")
        row = Referral(case_id=case.id, institution_id=inst.id, purpose=purpose.strip(),
                       referred_on=referred_on)
        s.add(row)
        s.flush()
        disclosures = disclose_in_session(
            s, case, inst, list(data_categories), purpose.strip(), REFERRAL_CHANNEL,
            vault.clock.now(), warning_acknowledged, referral=row.uuid)
        _link_basis(row, disclosures)
        audit.record(s, audit.Kind.RECORD_CREATED, "referral", row.uuid, case=case.uuid)
        return row.uuid


def _check_referral_categories(data_categories: Sequence[str]) -> None:
    if not data_categories:
        raise ValidationFailed("Bitte angeben, welche Datenkategorien mit der Vermittlung "
                               "weitergegeben werden.", "no data categories",
                               field="data_categories")


GOAL_FIELDS = frozenset({"life_domain", "description", "indicator", "target_date",
                         "responsible", "agreed_on"})


def update_goal(vault: Vault, goal_uuid: str, **changes: object) -> None:
    reject_unknown_fields(changes, GOAL_FIELDS)
    if "life_domain" in changes:
        _check_domain(str(changes["life_domain"]))
    if "description" in changes:
        changes["description"] = required(changes["description"], "Bitte das Ziel beschreiben.",
                                           "description")
    with vault.session() as s:
        goal = _goal(s, goal_uuid)
        apply_changes(s, goal, changes)


def delete_goal(vault: Vault, goal_uuid: str) -> list[str]:
    """Tombstone a goal and its measures (they mean nothing without it); returns their uuids."""
    with vault.session() as s:
        goal = _goal(s, goal_uuid)
        measures = s.execute(select(Measure).where(Measure.goal_id == goal.id,
                                                   Measure.deleted.is_(False))).scalars().all()
        for measure in measures:
            tombstone(s, measure, goal=goal.uuid)
        tombstone(s, goal, measures=[m.uuid for m in measures])
        return [m.uuid for m in measures]


# --- correcting and removing what was written ------------------------------------------------

ASSESSMENT_FIELDS = frozenset({"life_domain", "resources", "needs", "client_view", "assessed_on",
                               "is_reassessment"})
MEASURE_FIELDS = frozenset({"description", "responsible_text", "due_on"})
REFERRAL_FIELDS = frozenset({"institution_uuid", "purpose", "referred_on"})


def update_assessment(vault: Vault, assessment_uuid: str, **changes: object) -> None:
    reject_unknown_fields(changes, ASSESSMENT_FIELDS)
    if "life_domain" in changes:
        _check_domain(str(changes["life_domain"]))
    with vault.session() as s:
        row = live(s, Assessment, assessment_uuid, "Das Assessment wurde nicht gefunden.")
        after = {name: changes.get(name, getattr(row, name))
                 for name in ("resources", "needs", "client_view")}
        if not any(str(value or "").strip() for value in after.values()):
            raise ValidationFailed("Bitte Ressourcen, Bedarfe oder die Sicht der Klientin / des "
                                   "Klienten eintragen.", "empty assessment", field="needs")
        apply_changes(s, row, changes)


def delete_assessment(vault: Vault, assessment_uuid: str) -> None:
    with vault.session() as s:
        tombstone(s, live(s, Assessment, assessment_uuid,
                            "Das Assessment wurde nicht gefunden."))


def update_measure(vault: Vault, measure_uuid: str, **changes: object) -> None:
    reject_unknown_fields(changes, MEASURE_FIELDS)
    if "description" in changes:
        changes["description"] = required(changes["description"],
                                           "Bitte die Maßnahme beschreiben.", "description")
    with vault.session() as s:
        row = live(s, Measure, measure_uuid, "Die Maßnahme wurde nicht gefunden.")
        live_id(s, Goal, row.goal_id, "Das Ziel wurde nicht gefunden.")  # e.g. deleted elsewhere
        apply_changes(s, row, changes)


def delete_measure(vault: Vault, measure_uuid: str) -> None:
    with vault.session() as s:
        tombstone(s, live(s, Measure, measure_uuid, "Die Maßnahme wurde nicht gefunden."))


def update_referral(vault: Vault, referral_uuid: str, *,
                    data_categories: Sequence[str] = (), warning_acknowledged: bool = False,
                    **changes: object) -> None:
    """Correct a referral. A referral to another institution discloses again, so it passes the
    consent gate again with ``data_categories``; categories named for the same institution are
    handed over in addition and pass the gate too. Either way the disclosures are logged with
    the correction, in its transaction."""
    reject_unknown_fields(changes, REFERRAL_FIELDS)
    if "purpose" in changes:
        changes["purpose"] = required(changes["purpose"],
                                       "Bitte den Anlass der Vermittlung angeben.", "purpose")
    with vault.session() as s:
        row = live(s, Referral, referral_uuid, "Die Vermittlung wurde nicht gefunden.")
        inst = live_id(s, Institution, row.institution_id, "Die Institution wurde nicht gefunden.")
        if "institution_uuid" in changes:
            try:
                inst = live(s, Institution, str(changes.pop("institution_uuid")),
                            "Bitte die Institution wählen.")
            except NotFound as exc:  # shown at the field: another one is to be chosen
                raise ValidationFailed(exc.message_de, exc.detail_en, field="institution") \
                    from exc
            if inst.id != row.institution_id:
                _check_referral_categories(data_categories)
                changes["institution_id"] = inst.id
        if data_categories:
            case = live_id(s, CaseFile, row.case_id, "Der Fall wurde nicht gefunden.")
            purpose = str(changes.get("purpose") or row.purpose)
            disclosures = disclose_in_session(
                s, case, inst, list(data_categories), purpose, REFERRAL_CHANNEL,
                vault.clock.now(), warning_acknowledged, referral=row.uuid)
            if "institution_id" in changes:  # the basis of the new recipient
                changes["consent_id"] = disclosures[0].consent_id
                changes["legal_basis_id"] = disclosures[0].legal_basis_id
        apply_changes(s, row, changes)


def delete_referral(vault: Vault, referral_uuid: str) -> None:
    with vault.session() as s:
        tombstone(s, live(s, Referral, referral_uuid, "Die Vermittlung wurde nicht gefunden."))
