"""The journal of a case, newest first (an audited read)."""

from __future__ import annotations

from sqlalchemy import select

from app.services.cases.queries import resolve_case
from app.services.journal.records import JournalRow
from app.vault.store import Vault
from db.models import JournalEntry


def journal(vault: Vault, case_ref: str | int, limit: int = 500) -> list[JournalRow]:
    """Journal entries, newest first."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(JournalEntry).where(
            JournalEntry.case_id == case.id, JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc(), JournalEntry.id.desc())
            .limit(limit)).scalars()
        result = [JournalRow(j.id, j.uuid, j.occurred_at, j.contact_kind, j.place,
                             j.interpreter_used, j.interpreter_language, j.duration_minutes,
                             j.entry_kind, j.text) for j in rows]
        return result
