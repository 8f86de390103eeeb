"""Plain, frozen records handed to the CLI and the desktop (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
