"""What a conference view shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Participant:
    name: str
    institution: str | None
    role: str | None
    is_client: bool
    is_interpreter: bool


@dataclass(frozen=True)
class AgendaCase:
    case_id: int
    case_number: str
    client: str  # "Family, Given"
    occasion: str | None


@dataclass(frozen=True)
class Decision:
    case_number: str
    what: str
    who: str
    by_when: date | None


@dataclass(frozen=True)
class ConferenceView:
    uuid: str
    title: str
    scheduled_at: datetime
    place: str | None
    status: str  # planned / held / … (the model's value)
    chair: str | None
    minute_taker: str | None
    participants: tuple[Participant, ...]
    agenda: tuple[AgendaCase, ...]
    decisions: tuple[Decision, ...]
