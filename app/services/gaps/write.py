"""Recording and correcting a system gap without personal data, and its status
(open → escalated to the steering committee → resolved/dropped).

The register goes to the steering committee as is, so text that identifies a person is refused
before it is stored: case numbers, names of persons in the vault, complete (birth) dates, phone
numbers and addresses (``app.personal_data``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import audit
from app.errors import ValidationFailed, reject_unknown_fields
from app.personal_data import check_no_person_name, check_patterns, lookup_words
from app.services.editing import apply_changes
from app.services.gaps.queries import gap_entry, live_gap, persons_named
from app.services.gaps.records import (
    CATEGORIES,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    GapEntry,
    NewSystemGap,
)
from app.vault.store import Vault
from db.models import SystemGap

GAP_FIELDS = frozenset({"category", "title", "description", "legal_domains", "severity",
                        "noticed_on"})


def _check(s: Session, category: str, title: str, description: str, severity: str) -> None:
    """The rules for a gap's text and codes, the same when recording and when correcting."""
    for field, text in (("title", title), ("description", description)):
        check_patterns(text, field)
        check_no_person_name(text, field, persons_named(s, lookup_words(text)))
    if category not in CATEGORIES:
        raise ValidationFailed("Bitte eine Kategorie wählen.", "unknown category",
                               field="category")
    if severity not in SEVERITIES:
        raise ValidationFailed("Bitte einen Schweregrad wählen.", "unknown severity",
                               field="severity")
    if not title.strip():
        raise ValidationFailed("Bitte einen Titel angeben.", "title missing", field="title")
    if not description.strip():
        raise ValidationFailed("Bitte die Lücke beschreiben.", "description missing",
                               field="description")


def record_gap(vault: Vault, new: NewSystemGap) -> str:
    """Add a gap after checking that its text identifies nobody."""
    with vault.session() as s:
        _check(s, new.category, new.title, new.description, new.severity)
        row = SystemGap(category=new.category, title=new.title.strip(),
                        description=new.description.strip(), legal_domains=new.legal_domains,
                        institution_kinds=[], severity=new.severity, status="open",
                        noticed_on=new.noticed_on or vault.clock.today())
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "system_gap", row.uuid)
        return row.uuid


def update_gap(vault: Vault, uuid: str, **changes: object) -> GapEntry:
    """Correct a gap's text or codes; the same refusals as when recording."""
    reject_unknown_fields(changes, GAP_FIELDS)
    for name in ("title", "description"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    domains = changes.get("legal_domains", [])
    if not isinstance(domains, list | tuple):
        raise ValidationFailed("Bitte Rechtskreise auswählen.", "legal_domains not a list",
                               field="legal_domains")
    if "legal_domains" in changes:
        changes["legal_domains"] = [str(d) for d in domains]
    with vault.session() as s:
        row = live_gap(s, uuid)
        after = {name: changes.get(name, getattr(row, name))
                 for name in ("category", "title", "description", "severity")}
        _check(s, str(after["category"]), str(after["title"]), str(after["description"]),
               str(after["severity"]))
        apply_changes(s, row, changes)
        return gap_entry(row)


def set_gap_status(vault: Vault, uuid: str, status: str) -> GapEntry:
    """Escalate, resolve (dated today), drop or reopen a gap."""
    if status not in STATUSES:
        raise ValidationFailed("Unbekannter Status.", f"unknown gap status {status!r}",
                               field="status")
    with vault.session() as s:
        row = live_gap(s, uuid)
        if status not in TRANSITIONS.get(row.status, frozenset()):
            raise ValidationFailed(
                f"Eine Lücke mit dem Status „{STATUSES.get(row.status, row.status)}“ kann nicht "
                f"auf „{STATUSES[status]}“ gesetzt werden.",
                f"gap status {row.status} -> {status} not allowed", field="status")
        previous, row.status = row.status, status
        row.resolved_on = vault.clock.today() if status == "resolved" else None
        audit.record(s, audit.Kind.RECORD_UPDATED, "system_gap", row.uuid,
                     fields=["resolved_on", "status"], from_status=previous, to_status=status)
        return gap_entry(row)


