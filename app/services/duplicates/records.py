"""Records of the duplicates look-up: an existing case that may be the new client's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing case that may be the same person as a new one, and why it looks so."""

    id: int
    uuid: str
    case_number: str
    given_names: str
    family_name: str
    date_of_birth: date | None
    case_manager: str
    closed: bool
    reason: str  # German, e.g. "gleicher Name, gleiches Geburtsdatum"
