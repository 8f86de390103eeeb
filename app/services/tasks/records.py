"""Records of the tasks domain: follow-ups, stored and computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FollowUp:
    kind: str  # task | status_expiry | consent_expiry
    case_id: int
    due_on: date
    title: str
    source_uuid: str
    stored: bool


@dataclass(frozen=True)
class FollowUpRow:
    kind: str
    kind_label: str
    due_on: date
    title: str
    source_uuid: str
    stored: bool  # a stored task can be marked done; computed ones end with their cause
    overdue: bool
    # Who does it (stored tasks only): a colleague from the staff list or free text.
    assignee: str = ""  # as shown: the colleague's name, else the free text
    assignee_text: str | None = None
    assignee_staff_uuid: str | None = None


@dataclass(frozen=True)
class CaseFollowUps:
    today: date
    items: tuple[FollowUpRow, ...]
