"""Journal entries (contacts, progress notes), tasks and the residence-status timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.write import resolve_case
from app.services.editing import live, live_id
from app.services.tasks.queries import refresh_next_deadline
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, JournalEntry, ResidenceStatus, Task

ENTRY_KINDS = ("progress_note", "deviation", "barrier", "reassessment_trigger", "other")
MAX_DURATION_MINUTES = 24 * 60


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
        if case.last_contact_at is None or new.occurred_at > case.last_contact_at:
            case.last_contact_at = new.occurred_at  # Heute's "no contact for N weeks"
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "journal_entry", row.uuid, case=case.uuid)
        return row.id


def add_task(vault: Vault, case_ref: str | int, title: str, due_on: date | None,
             details: str | None = None) -> str:
    if not title.strip():
        raise ValidationFailed("Bitte die Aufgabe benennen.", "task without title", field="title")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = Task(case_id=case.id, title=title.strip(), details=details, due_on=due_on)
        s.add(row)
        s.flush()
        refresh_next_deadline(s, case, vault.clock.today())
        audit.record(s, audit.Kind.RECORD_CREATED, "task", row.uuid, case=case.uuid)
        return row.uuid


def complete_task(vault: Vault, task_uuid: str, done_on: date) -> None:
    with vault.session() as s:
        task = live(s, Task, task_uuid, "Die Aufgabe wurde nicht gefunden.")
        case = live_id(s, CaseFile, task.case_id, "Der Fall wurde nicht gefunden.")
        task.done_on = done_on
        s.flush()
        refresh_next_deadline(s, case, vault.clock.today())
        audit.record(s, audit.Kind.RECORD_UPDATED, "task", task.uuid, fields=["done_on"])


@dataclass(frozen=True)
class NewStatus:
    kind: str
    valid_from: date | None
    valid_until: date | None
    legal_basis: str | None = None
    work_permission: str | None = None
    residence_obligation: str | None = None
    document_seen_on: date | None = None
    note: str | None = None


def add_status(vault: Vault, case_ref: str | int, new: NewStatus) -> str:
    kind = next((k for k in catalogues.status_kinds() if k.code == new.kind), None)
    if kind is None:
        raise ValidationFailed("Bitte die Art des Aufenthaltsstatus wählen.", "unknown status",
                               field="kind")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise ValidationFailed("„Gültig bis“ liegt vor „Gültig ab“.", "valid_until < valid_from",
                               field="valid_until")
    if new.work_permission not in (None, "allowed", "with_consent", "forbidden"):
        raise ValidationFailed("Unbekannte Angabe zur Erwerbstätigkeit.", "bad work permission",
                               field="work_permission")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = ResidenceStatus(person_id=case.person_id, kind=new.kind,
                              legal_basis=new.legal_basis or kind.legal_basis,
                              valid_from=new.valid_from, valid_until=new.valid_until,
                              work_permission=new.work_permission,
                              residence_obligation=new.residence_obligation,
                              document_seen_on=new.document_seen_on, note=new.note)
        s.add(row)
        s.flush()
        for other in s.execute(select(CaseFile).where(
                CaseFile.person_id == case.person_id, CaseFile.deleted.is_(False))).scalars():
            refresh_next_deadline(s, other, vault.clock.today())
        audit.record(s, audit.Kind.RECORD_CREATED, "residence_status", row.uuid, case=case.uuid)
        return row.uuid
