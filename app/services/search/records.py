"""Records of the search domain: name and journal hits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NameHit:
    case_id: int
    case_number: str
    given_names: str
    family_name: str
    phase: str


@dataclass(frozen=True)
class JournalHit:
    entry_id: int
    case_id: int
    case_number: str
    occurred_at: datetime
    excerpt: str
