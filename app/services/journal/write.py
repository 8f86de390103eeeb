"""Write journal entries (contacts, progress notes)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.editing import live_id
from app.services.journal.records import AMENDMENT_KINDS, NewJournalEntry
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, JournalEntry

ENTRY_KINDS = ("progress_note", "deviation", "barrier", "reassessment_trigger", "other")
MAX_DURATION_MINUTES = 24 * 60


def _validate_entry(new: NewJournalEntry, kinds_allowed: tuple[str, ...] = ENTRY_KINDS) -> None:
    kinds = {k.code: k for k in catalogues.contact_kinds()}
    kind = kinds.get(new.contact_kind)
    if kind is None:
        raise ValidationFailed("Bitte die Kontaktart wählen.", "unknown contact kind",
                               field="contact_kind")
    if kind.outreach and not (new.place or "").strip():
        raise ValidationFailed("Bei aufsuchender Arbeit bitte den Ort angeben.",
                               "outreach contact without place", field="place")
    if new.entry_kind not in kinds_allowed:
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


def _row(s: Session, vault: Vault, case_id: int, new: NewJournalEntry) -> JournalEntry:
    author = s.execute(select(CaseManager.id).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
    return JournalEntry(case_id=case_id, occurred_at=new.occurred_at,
                        contact_kind=new.contact_kind, place=new.place,
                        interpreter_used=new.interpreter_used,
                        interpreter_language=new.interpreter_language, language=new.language,
                        duration_minutes=new.duration_minutes, entry_kind=new.entry_kind,
                        text=new.text.strip(), author_id=author)


def add_journal_entry(vault: Vault, case_ref: str | int, new: NewJournalEntry) -> int:
    _validate_entry(new)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = _row(s, vault, case.id, new)
        s.add(row)
        s.flush()  # the case's last contact follows (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "journal_entry", row.uuid, case=case.uuid)
        return row.id


def amend_journal_entry(vault: Vault, entry_id: int, new: NewJournalEntry) -> int:
    """Record a Nachtrag or a correction (``new.entry_kind``) of an entry as a new entry of the
    same case pointing at it; the original is never changed, as a case file must keep it."""
    _validate_entry(new, AMENDMENT_KINDS)
    with vault.session() as s:
        original = live_id(s, JournalEntry, entry_id, "Dieser Eintrag ist nicht mehr vorhanden.")
        if new.entry_kind == "correction" and _same(original, new):
            raise ValidationFailed("Die Korrektur ändert nichts am Eintrag: bitte die falsche "
                                   "Angabe berichtigen.", "correction changes nothing",
                                   field="text")
        case = s.get_one(CaseFile, original.case_id)
        row = _row(s, vault, case.id, new)
        row.amends_id = original.id
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "journal_entry", row.uuid, case=case.uuid,
                     amends=original.uuid)
        return row.id


def _same(original: JournalEntry, new: NewJournalEntry) -> bool:
    return (original.occurred_at, original.contact_kind, original.place or None,
            original.interpreter_used, original.interpreter_language or None,
            original.duration_minutes, original.text.strip()) == (
        new.occurred_at, new.contact_kind, new.place or None, new.interpreter_used,
        new.interpreter_language or None, new.duration_minutes, new.text.strip())


