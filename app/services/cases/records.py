"""Records of the cases domain: list rows, the case file as read, the sections' views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from app.services.journal.records import JournalRow
from app.services.phases.records import PhaseStep
from app.services.residence.records import StatusEntry


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    uuid: str
    case_number: str
    given_names: str
    family_name: str
    phase: str
    municipality: str
    target_group: str | None
    case_manager: str
    opened_on: date
    next_deadline: date | None


@dataclass(frozen=True)
class CaseDetail:
    """The case file as read (each read is audited)."""

    id: int
    uuid: str
    case_number: str
    phase: str
    municipality: str
    target_group: str | None
    opened_on: date
    closed_on: date | None
    close_reason: str | None
    case_manager: str
    person_uuid: str
    given_names: str
    family_name: str
    date_of_birth: date | None
    nationality: str | None
    languages: list[str]
    access_route: str | None
    indication: str | None
    statuses: list[StatusEntry] = field(default_factory=list)
    phase_history: list[PhaseStep] = field(default_factory=list)
    journal: list[JournalRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


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
    """The client's editable fields (names as in cases.write.PERSON_FIELDS) and the household."""

    values: dict[str, object]
    household_label: str | None
    household: list[HouseholdMember] = field(default_factory=list)


@dataclass(frozen=True)
class CaseDocumentation:
    case_id: int
    values: dict[str, str | bool | date | None]


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


SortKey = Literal["name", "case_number", "next_deadline", "opened_on"]


DeadlineFilter = Literal["overdue", "14d", "30d", "none"]


@dataclass(frozen=True)
class CaseFilter:
    phase: str | None = None
    target_group: str | None = None
    municipality: str | None = None
    case_manager_uuid: str | None = None
    include_closed: bool = True
    deadline: DeadlineFilter | None = None  # relative to the vault's today


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    cursor: tuple[Any, int] | None  # pass back as ``after`` for the next page; None at the end
