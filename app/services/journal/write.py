"""Write journal entries (contacts, progress notes)."""

from __future__ import annotations

from sqlalchemy import select

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.journal.records import NewJournalEntry
from app.vault.store import Vault
from db.models import CaseManager, JournalEntry

ENTRY_KINDS = ("progress_note", "deviation", "barrier", "reassessment_trigger", "other")
MAX_DURATION_MINUTES = 24 * 60


def _validate_entry(new: NewJournalEntry) -> None:
    kinds = {k.code: k for k in catalogues.contact_kinds()}
    kind = kinds.get(new.contact_kind)
    if kind is None:
        raise ValidationFailed("Bitte die Kontaktart wählen.", "unknown contact kind",
                               field="contact_kind")
    if kind.outreach and not (new.place or "").strip():
        raise ValidationFailed("Bei aufsuchender Arbeit bitte den Ort angeben.",
                               "outreach contact without place", field="place")
    if new.entry_kind not in ENTRY_KINDS:
        raise ValidationFailed("Unbekannte Art des Eintrags.", "unknown entry kind",
                               field="entry_kind")
    if new.duration_minutes is not None and not 0 < new.duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationFailed("Die Dauer muss zwischen 1 und 1.440 Minuten liegen.",
                               "duration out of range", field="duration_minutes")
    if new.interpreter_used and not (new.interpreter_language or "").strip():
        raise ValidationFailed("Bitte die Sprache der Dolmetschung angeben.",
                               "interpreter without language", field="interpreter_language")
    if not new.text.strip():
        raise ValidationFailed("Bitte den Inhalt des Kontakts notieren.", "empty journal text",
                               field="text")


def add_journal_entry(vault: Vault, case_ref: str | int, new: NewJournalEntry) -> int:
    _validate_entry(new)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        author = s.execute(select(CaseManager.id).where(
            CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
        row = JournalEntry(case_id=case.id, occurred_at=new.occurred_at,
                           contact_kind=new.contact_kind, place=new.place,
                           interpreter_used=new.interpreter_used,
                           interpreter_language=new.interpreter_language, language=new.language,
                           duration_minutes=new.duration_minutes, entry_kind=new.entry_kind,
                           text=new.text.strip(), author_id=author)
        s.add(row)
        s.flush()  # the case's last contact follows (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "journal_entry", row.uuid, case=case.uuid)
        return row.id


