"""Create, read (audited), update case files and their clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed, reject_unknown_fields
from app.services.cases.queries import next_case_number
from app.services.cases.records import CaseDetail
from app.services.editing import live_id
from app.services.journal.records import JournalRow
from app.services.phases.records import PhaseStep
from app.services.residence.records import StatusEntry
from app.vault.store import Vault
from db.folding import fold_sort
from db.models import (
    CaseFile,
    CaseManager,
    Consent,
    Goal,
    JournalEntry,
    Person,
    PhaseTransition,
    Referral,
    ResidenceStatus,
    Task,
)

# Fields a caller may change through update_case (everything else has its own service call).
CASE_FIELDS = frozenset({
    "target_group", "municipality", "access_route", "indication", "complex_needs",
    "several_agencies", "regular_services_insufficient", "dp_info_given_on", "dp_info_language",
    "working_agreement_on", "plan_signed_on", "client_feedback", "handover_note", "household_id",
})
PERSON_FIELDS = frozenset({
    "given_names", "family_name", "birth_name", "date_of_birth", "place_of_birth",
    "nationality", "gender", "languages", "interpreter_needed", "phone", "email",
    "address_street", "address_postcode", "address_city", "household_id", "household_role",
})


@dataclass(frozen=True)
class NewCase:
    given_names: str
    family_name: str
    municipality: str
    target_group: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    languages: list[str] = field(default_factory=list)
    access_route: str | None = None
    opened_on: date | None = None


def sort_name(family_name: str, given_names: str) -> str:
    return fold_sort(f"{family_name} {given_names}")


MAX_ROW_ID = 2**63 - 1  # SQLite's INTEGER range


def resolve_case(session: Session, ref: str | int) -> CaseFile:
    """A case by local id, case number or uuid; tombstoned cases are not found."""
    query = select(CaseFile).where(CaseFile.deleted.is_(False))
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isascii() and text.isdigit()):
        number = int(text) if len(text) <= 64 else 0  # int() of 5,000 digits is an error
        if not 0 < number <= MAX_ROW_ID:  # SQLite cannot even bind a larger number
            raise NotFound("Der Fall wurde nicht gefunden.", f"no case {text[:24]!r}")
        query = query.where(CaseFile.id == number)
    elif len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        query = query.where(CaseFile.uuid == text)
    else:
        query = query.where(func.upper(CaseFile.case_number) == text.upper())
    case = session.execute(query).scalar()
    if case is None:
        raise NotFound("Der Fall wurde nicht gefunden.", f"no case {text!r}")
    return case


def _owner(session: Session, vault: Vault) -> CaseManager:
    return session.execute(
        select(CaseManager).where(CaseManager.uuid == vault.info.owner_uuid)).scalar_one()


def _validate_new(new: NewCase) -> None:
    if not new.family_name.strip() or not new.given_names.strip():
        missing = "family_name" if not new.family_name.strip() else "given_names"
        raise ValidationFailed("Bitte Vor- und Familiennamen angeben.", "name missing",
                               field=missing)
    if new.municipality not in {m.code for m in catalogues.municipalities()}:
        raise ValidationFailed("Unbekannte Kommune.", f"unknown municipality {new.municipality!r}",
                               field="municipality")
    if new.target_group and new.target_group not in {t.code for t in catalogues.target_groups()}:
        raise ValidationFailed("Unbekannte Zielgruppe.", "unknown target group",
                               field="target_group")


def create_case(vault: Vault, new: NewCase) -> int:
    """Open a case for a new client in phase ``intake``; returns the case id."""
    _validate_new(new)
    opened = new.opened_on or vault.clock.today()
    with vault.session() as s:
        owner = _owner(s, vault)
        person = Person(given_names=new.given_names.strip(), family_name=new.family_name.strip(),
                        date_of_birth=new.date_of_birth, nationality=new.nationality,
                        languages=list(new.languages),
                        sort_key=sort_name(new.family_name, new.given_names))
        s.add(person)
        s.flush()
        case = CaseFile(
            case_number=next_case_number(s, new.municipality, opened.year, vault.info.vault_code),
            person_id=person.id, municipality=new.municipality, target_group=new.target_group,
            case_manager_id=owner.id, phase="intake", opened_on=opened,
            access_route=new.access_route, sort_name=person.sort_key,
        )
        s.add(case)
        s.flush()
        s.add(PhaseTransition(case_id=case.id, from_phase=None, to_phase="intake",
                              at=vault.clock.now(), by_staff_id=owner.id, missing_items=[]))
        audit.record(s, audit.Kind.CASE_CREATED, "case", case.uuid)
        return case.id


def update_case(vault: Vault, ref: str | int, **changes: Any) -> None:
    reject_unknown_fields(changes, CASE_FIELDS)
    with vault.session() as s:
        case = resolve_case(s, ref)
        for name, value in changes.items():
            setattr(case, name, value)
        audit.record(s, audit.Kind.CASE_UPDATED, "case", case.uuid, fields=sorted(changes))


def update_person(vault: Vault, case_ref: str | int, **changes: Any) -> None:
    reject_unknown_fields(changes, PERSON_FIELDS)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        person = live_id(s, Person, case.person_id, "Die Person wurde nicht gefunden.")
        for name, value in changes.items():
            setattr(person, name, value)
        if not person.family_name.strip() or not person.given_names.strip():
            raise ValidationFailed("Bitte Vor- und Familiennamen angeben.", "name missing")
        person.sort_key = sort_name(person.family_name, person.given_names)
        for other in s.execute(select(CaseFile).where(
                CaseFile.person_id == person.id, CaseFile.deleted.is_(False))).scalars():
            other.sort_name = person.sort_key
        audit.record(s, audit.Kind.RECORD_UPDATED, "person", person.uuid, fields=sorted(changes))


def _status_label(kind: str) -> str:
    return catalogues.label_or_code(catalogues.status_kinds(), kind)


def get_case(vault: Vault, ref: str | int, journal_limit: int = 50) -> CaseDetail:
    """The case file; every read is written to the audit log."""
    with vault.session() as s:  # takes the write lock first: it writes the audit entry
        case = resolve_case(s, ref)
        person = s.get_one(Person, case.person_id)
        manager = s.get_one(CaseManager, case.case_manager_id)
        statuses = s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == person.id, ResidenceStatus.deleted.is_(False))
            .order_by(ResidenceStatus.valid_from)).scalars().all()
        steps = s.execute(select(PhaseTransition).where(PhaseTransition.case_id == case.id)
                          .order_by(PhaseTransition.at, PhaseTransition.id)).scalars().all()
        journal = s.execute(select(JournalEntry).where(
            JournalEntry.case_id == case.id, JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc()).limit(journal_limit)).scalars().all()
        counts = {
            name: s.execute(select(func.count()).select_from(model).where(
                getattr(model, key) == value, model.deleted.is_(False))).scalar_one()
            for name, model, key, value in (
                ("goals", Goal, "case_id", case.id), ("referrals", Referral, "case_id", case.id),
                ("tasks", Task, "case_id", case.id), ("consents", Consent, "person_id", person.id),
                ("journal", JournalEntry, "case_id", case.id))
        }
        detail = CaseDetail(
            id=case.id, uuid=case.uuid, case_number=case.case_number, phase=case.phase,
            municipality=case.municipality, target_group=case.target_group,
            opened_on=case.opened_on, closed_on=case.closed_on, close_reason=case.close_reason,
            case_manager=manager.display_name, person_uuid=person.uuid,
            given_names=person.given_names, family_name=person.family_name,
            date_of_birth=person.date_of_birth, nationality=person.nationality,
            languages=list(person.languages or []), access_route=case.access_route,
            indication=case.indication,
            statuses=[StatusEntry(r.uuid, r.kind, _status_label(r.kind), r.legal_basis,
                                  r.valid_from, r.valid_until, r.work_permission,
                                  r.residence_obligation, r.document_seen_on) for r in statuses],
            phase_history=[PhaseStep(t.from_phase, t.to_phase, t.at, t.reason, t.override_reason,
                                     list(t.missing_items or [])) for t in steps],
            journal=[JournalRow(j.id, j.uuid, j.occurred_at, j.contact_kind, j.place,
                                j.interpreter_used, j.interpreter_language, j.duration_minutes,
                                j.entry_kind, j.text) for j in journal],
            counts=counts,
        )
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid)
    return detail
