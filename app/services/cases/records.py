"""Plain, frozen records handed to the CLI and the desktop (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


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
class PhaseStep:
    from_phase: str | None
    to_phase: str
    at: datetime
    reason: str | None
    override_reason: str | None
    missing_items: list[str]


@dataclass(frozen=True)
class StatusEntry:
    uuid: str
    kind: str
    kind_label: str
    legal_basis: str | None
    valid_from: date | None
    valid_until: date | None
    work_permission: str | None
    residence_obligation: str | None
    document_seen_on: date | None


@dataclass(frozen=True)
class JournalRow:
    id: int
    uuid: str
    occurred_at: datetime
    contact_kind: str
    place: str | None
    interpreter_used: bool
    interpreter_language: str | None
    duration_minutes: int | None
    entry_kind: str
    text: str


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
