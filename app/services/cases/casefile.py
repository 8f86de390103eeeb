"""Reads for the sections of the desktop case file; each read of case data is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.services.cases.write import resolve_case
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Household,
    Person,
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


PERSON_READ_FIELDS = (
    "given_names", "family_name", "birth_name", "date_of_birth", "place_of_birth",
    "nationality", "gender", "languages", "interpreter_needed", "phone", "email",
    "address_street", "address_postcode", "address_city", "household_role",
)


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


