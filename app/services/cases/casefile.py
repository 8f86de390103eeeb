"""Reads for the sections of the desktop case file; each read of case data is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.services.cases.records import JournalRow, PhaseStep, StatusEntry
from app.services.cases.write import resolve_case
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Household,
    JournalEntry,
    Person,
    PhaseTransition,
    ResidenceStatus,
)


@dataclass(frozen=True)
class CaseHeader:
    id: int
    case_number: str
    given_names: str
    family_name: str
    phase: str
    municipality: str
    case_manager: str
    next_deadline: date | None
    closed_on: date | None
    overdue: bool = False  # the next deadline lies before today (by the vault's clock)


@dataclass(frozen=True)
class HouseholdMember:
    given_names: str
    family_name: str
    role: str | None
    date_of_birth: date | None


@dataclass(frozen=True)
class PersonData:
    """The client's editable fields (names as in cases.PERSON_FIELDS) and the household."""

    values: dict[str, object]
    household_label: str | None
    household: list[HouseholdMember] = field(default_factory=list)


@dataclass(frozen=True)
class StatusView:
    today: date
    statuses: list[StatusEntry]


@dataclass(frozen=True)
class Closure:
    """How a closed case ended: the first thing anyone reopening it needs to know."""

    closed_on: date | None
    reason: str | None  # German label (the code itself when the catalogue lacks it)
    handover_note: str | None


@dataclass(frozen=True)
class PhaseView:
    phase: str
    history: list[PhaseStep]
    closure: Closure | None = None  # only for closed cases


PERSON_READ_FIELDS = (
    "given_names", "family_name", "birth_name", "date_of_birth", "place_of_birth",
    "nationality", "gender", "languages", "interpreter_needed", "phone", "email",
    "address_street", "address_postcode", "address_city", "household_role",
)


def _status_label(kind: str) -> str:
    return catalogues.label_or_code(catalogues.status_kinds(), kind)


def _read(s: Session, case: CaseFile, section: str) -> None:
    audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section=section)


def header(vault: Vault, case_ref: str | int) -> CaseHeader:
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        person = s.get_one(Person, case.person_id)
        manager = s.get_one(CaseManager, case.case_manager_id)
        _read(s, case, "header")
        return CaseHeader(case.id, case.case_number, person.given_names, person.family_name,
                          case.phase, case.municipality, manager.display_name,
                          case.next_deadline, case.closed_on,
                          overdue=case.next_deadline is not None
                          and case.next_deadline < vault.clock.today())


def person_data(vault: Vault, case_ref: str | int) -> PersonData:
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        person = s.get_one(Person, case.person_id)
        values: dict[str, object] = {name: getattr(person, name) for name in PERSON_READ_FIELDS}
        values["languages"] = list(person.languages or [])
        members: list[HouseholdMember] = []
        label = None
        if person.household_id is not None:
            label = s.get_one(Household, person.household_id).label
            others = s.execute(select(Person).where(
                Person.household_id == person.household_id, Person.id != person.id,
                Person.deleted.is_(False)).order_by(Person.sort_key)).scalars()
            members = [HouseholdMember(p.given_names, p.family_name, p.household_role,
                                       p.date_of_birth) for p in others]
        _read(s, case, "person")
        return PersonData(values, label, members)


def statuses(vault: Vault, case_ref: str | int) -> StatusView:
    """The residence-status timeline, newest validity first."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == case.person_id, ResidenceStatus.deleted.is_(False))
            .order_by(ResidenceStatus.valid_from.desc(), ResidenceStatus.id.desc())).scalars()
        entries = [StatusEntry(r.uuid, r.kind, _status_label(r.kind), r.legal_basis,
                               r.valid_from, r.valid_until, r.work_permission,
                               r.residence_obligation, r.document_seen_on) for r in rows]
        _read(s, case, "statuses")
        return StatusView(vault.clock.today(), entries)


def journal(vault: Vault, case_ref: str | int, limit: int = 500) -> list[JournalRow]:
    """Journal entries, newest first."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(JournalEntry).where(
            JournalEntry.case_id == case.id, JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc(), JournalEntry.id.desc())
            .limit(limit)).scalars()
        result = [JournalRow(j.id, j.uuid, j.occurred_at, j.contact_kind, j.place,
                             j.interpreter_used, j.interpreter_language, j.duration_minutes,
                             j.entry_kind, j.text) for j in rows]
        _read(s, case, "journal")
        return result


def phase_view(vault: Vault, case_ref: str | int) -> PhaseView:
    """The current phase and every step taken (oldest first)."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        steps = s.execute(select(PhaseTransition).where(PhaseTransition.case_id == case.id)
                          .order_by(PhaseTransition.at, PhaseTransition.id)).scalars()
        history = [PhaseStep(t.from_phase, t.to_phase, t.at, t.reason, t.override_reason,
                             list(t.missing_items or [])) for t in steps]
        _read(s, case, "phase")
        closure = None
        if case.phase == "closed":
            labels = {r.code: r.label for r in catalogues.close_reasons()}
            reason = labels.get(case.close_reason, case.close_reason) if case.close_reason \
                else None
            closure = Closure(case.closed_on, reason, case.handover_note)
        return PhaseView(case.phase, history, closure)
