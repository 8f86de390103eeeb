"""Records of the journal domain: contacts and progress notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
class NewJournalEntry:
    contact_kind: str
    text: str
    occurred_at: datetime
    place: str | None = None
    interpreter_used: bool = False
    interpreter_language: str | None = None
    language: str | None = None
    duration_minutes: int | None = None
    entry_kind: str = "progress_note"
