"""The system-gap register as the page shows it, and recording a gap without personal data.

The register goes to the steering committee as is, so text that looks like a case number is
refused before it is stored (names cannot be recognised reliably; the form asks for none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import catalogues
from app.errors import ValidationFailed
from app.services.directory import NewSystemGap, add_system_gap
from app.vault.store import Vault
from db.models import SystemGap

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
# Case numbers look like DO-2026-K7QX-0042 (municipality, year, vault code, sequence).
CASE_NUMBER = re.compile(r"\b[A-Z]{1,3}-\d{4}-[A-Z0-9]{2,6}-\d{4}\b", re.IGNORECASE)


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


def check_no_case_reference(text: str, field: str) -> None:
    """Refuse text that contains a case number (it would identify a person)."""
    if CASE_NUMBER.search(text):
        raise ValidationFailed(
            "Bitte keine Fallnummern eintragen: Das Register geht ohne personenbezogene Daten an "
            "das Steuerungsgremium. Beschreiben Sie die Lücke allgemein.",
            "text contains a case number", field=field)


def record_gap(vault: Vault, new: NewSystemGap) -> str:
    """Add a gap after checking that its text carries no case reference."""
    check_no_case_reference(new.title, "title")
    check_no_case_reference(new.description, "description")
    if new.category not in CATEGORIES:
        raise ValidationFailed("Bitte eine Kategorie wählen.", "unknown category",
                               field="category")
    if new.severity not in SEVERITIES:
        raise ValidationFailed("Bitte einen Schweregrad wählen.", "unknown severity",
                               field="severity")
    if not new.description.strip():
        raise ValidationFailed("Bitte die Lücke beschreiben.", "description missing",
                               field="description")
    return add_system_gap(vault, new)


def system_gaps(vault: Vault) -> list[GapEntry]:
    with vault.session() as s:
        rows = s.execute(select(SystemGap).where(SystemGap.deleted.is_(False)).order_by(
            SystemGap.noticed_on.desc(), SystemGap.id.desc())).scalars()
        return [GapEntry(g.uuid, g.category, CATEGORIES.get(g.category, g.category), g.title,
                         g.description, g.severity, SEVERITIES.get(g.severity, g.severity),
                         g.status, STATUSES.get(g.status, g.status), g.noticed_on,
                         tuple(g.legal_domains or [])) for g in rows]


def legal_domains() -> list[str]:
    """Legal domains to choose from: those the institution kinds name."""
    seen = dict.fromkeys(k.legal_domain for k in catalogues.institution_kinds() if k.legal_domain)
    return list(seen)
