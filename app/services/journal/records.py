"""Records of the journal domain: contacts and progress notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# German labels of journal_entry.entry_kind. A Nachtrag (addendum) or a Korrektur (correction)
# is its own entry pointing at the one it amends; the amended entry never changes.
ENTRY_KIND_LABELS = {
    "progress_note": "Verlaufsnotiz",
    "deviation": "Abweichung vom Hilfeplan",
    "barrier": "Hindernis",
    "reassessment_trigger": "Anlass zur Neueinschätzung",
    "other": "Sonstiges",
    "addendum": "Nachtrag",
    "correction": "Korrektur",
}
AMENDMENT_KINDS = ("addendum", "correction")


@dataclass(frozen=True)
class Amendment:
    """One side of an amendment link: the other entry's id, kind and when it was written."""

    entry_id: int
    entry_kind: str
    occurred_at: datetime
    recorded_at: datetime


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
    recorded_at: datetime | None = None
    amends: Amendment | None = None  # the entry this Nachtrag or correction refers to
    amended_by: tuple[Amendment, ...] = ()  # its Nachträge and corrections, oldest first

    @property
    def corrected(self) -> bool:
        return any(a.entry_kind == "correction" for a in self.amended_by)


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
