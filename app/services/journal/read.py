"""The journal of a case, newest first (an audited read)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.services.cases.queries import resolve_case
from app.services.journal.records import Amendment, JournalRow
from app.vault.store import Vault
from db.models import AuditLog, JournalEntry


def _recorded(s: Session, entries: Sequence[JournalEntry]) -> dict[str, datetime]:
    """When each entry was written, as the audit log holds it (the vault's clock)."""
    uuids = [j.uuid for j in entries]
    if not uuids:
        return {}
    rows = s.execute(select(AuditLog.object_uuid, func.min(AuditLog.at)).where(
        AuditLog.kind == audit.Kind.RECORD_CREATED, AuditLog.object_uuid.in_(uuids))
        .group_by(AuditLog.object_uuid)).tuples().all()
    return {uuid: at for uuid, at in rows if uuid is not None}


def journal_rows(s: Session, entries: Sequence[JournalEntry]) -> list[JournalRow]:
    """Rows with their amendment links both ways: the original says it was corrected or has a
    Nachtrag, the amendment says what it amends (even when that entry is beyond the limit)."""
    ids = [j.id for j in entries]
    amendments = list(s.execute(select(JournalEntry).where(
        JournalEntry.amends_id.in_(ids), JournalEntry.deleted.is_(False))
        .order_by(JournalEntry.id)).scalars()) if ids else []
    wanted = {j.amends_id for j in entries if j.amends_id is not None}
    amended = list(s.execute(select(JournalEntry).where(
        JournalEntry.id.in_(wanted))).scalars()) if wanted else []
    # Only entries that take part in an amendment show when they were written.
    stamps = _recorded(s, [*amendments, *amended, *(j for j in entries if j.amends_id)])

    def link(j: JournalEntry) -> Amendment:
        return Amendment(j.id, j.entry_kind, j.occurred_at, stamps.get(j.uuid) or j.created_at)

    amended_by: dict[int, list[Amendment]] = {}
    for a in amendments:
        amended_by.setdefault(int(a.amends_id or 0), []).append(link(a))
    originals = {o.id: link(o) for o in amended}
    return [JournalRow(j.id, j.uuid, j.occurred_at, j.contact_kind, j.place, j.interpreter_used,
                       j.interpreter_language, j.duration_minutes, j.entry_kind, j.text,
                       stamps.get(j.uuid) or j.created_at, originals.get(j.amends_id or 0),
                       tuple(amended_by.get(j.id, ()))) for j in entries]


def journal(vault: Vault, case_ref: str | int, limit: int = 500) -> list[JournalRow]:
    """Journal entries, newest first."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(JournalEntry).where(
            JournalEntry.case_id == case.id, JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc(), JournalEntry.id.desc())
            .limit(limit)).scalars().all()
        return journal_rows(s, rows)
