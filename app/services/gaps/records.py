"""Records of the gaps domain: a gap as shown, a gap to record, codes and their labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class NewSystemGap:
    """A gap in the system, described without personal data (it goes to the steering committee)."""

    category: str
    title: str
    description: str
    legal_domains: list[str] = field(default_factory=list)
    severity: str = "medium"
    noticed_on: date | None = None


# Same codes as the demo gap examples (resources/demo/system_gaps.json).
CATEGORIES: dict[str, str] = {
    "interface": "Schnittstelle zwischen Rechtskreisen",
    "responsibility": "Zuständigkeit ungeklärt",
    "missing_service": "Fehlendes Angebot",
    "waiting_time": "Wartezeiten",
    "language_access": "Sprachmittlung",
    "information": "Information und Transparenz",
    "legal_barrier": "Rechtliche Hürde",
    "digital_access": "Digitaler Zugang",
}


SEVERITIES: dict[str, str] = {"low": "gering", "medium": "mittel", "high": "hoch"}


STATUSES: dict[str, str] = {"open": "offen", "escalated": "eskaliert", "resolved": "behoben",
                            "dropped": "verworfen"}


# Where a gap may go from each status; resolved and dropped gaps can only be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"escalated", "resolved", "dropped"}),
    "escalated": frozenset({"resolved", "dropped"}),
    "resolved": frozenset({"open"}),
    "dropped": frozenset({"open"}),
}


STILL_OPEN = ("open", "escalated")  # what the register shows unless asked for more


@dataclass(frozen=True)
class GapEntry:
    uuid: str
    category: str
    category_label: str
    title: str
    description: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    noticed_on: date
    legal_domains: tuple[str, ...]
    resolved_on: date | None = None
