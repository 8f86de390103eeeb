"""Search as you type (names, case numbers) and journal full text, newest first.

Both go through FTS5 indexes that the database keeps exact with triggers; text is folded in
Python (``db.folding``) on the way in and on the way out, so "mueller" finds "Müller".
"""

from __future__ import annotations

from sqlalchemy import select, text

from app.services.search.queries import check_query, matching_case_ids
from app.services.search.records import JournalHit, NameHit
from app.vault.store import Vault
from db.folding import fold_query_terms, fold_search, fts_prefix_query
from db.models import CaseFile, JournalEntry, Person

RECENCY_SHIFT = 4294967296  # journal_search rowid = day * 2**32 + entry id (see the migration)


def search_names(vault: Vault, query: str, limit: int = 50) -> list[NameHit]:
    """Cases whose client name or case number starts with every typed term; newest first."""
    check_query(query)
    with vault.read_session() as s:
        ids = matching_case_ids(s, query, limit)
        if not ids:
            return []
        rows = s.execute(select(CaseFile.id, CaseFile.case_number, Person.given_names,
                                Person.family_name, CaseFile.phase)
                         .join(Person, Person.id == CaseFile.person_id)
                         .where(CaseFile.id.in_(ids))).all()
    by_id = {r[0]: NameHit(*r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _excerpt(body: str, terms: list[str], width: int = 160) -> str:
    folded = fold_search(body)
    pos = min((p for p in (folded.find(t) for t in terms) if p >= 0), default=0)
    # Folding can change lengths (ß→ss); the position is close enough for an excerpt.
    start = max(0, min(pos, len(body)) - width // 3)
    snippet = body[start:start + width].replace("\n", " ")
    return ("…" if start else "") + snippet + ("…" if start + width < len(body) else "")


def search_journal(vault: Vault, query: str, limit: int = 50) -> list[JournalHit]:
    """Journal entries containing every typed term (prefixes), newest first."""
    check_query(query)
    match = fts_prefix_query(query)
    if match is None:
        return []
    terms = fold_query_terms(query)
    with vault.read_session() as s:
        keys = s.execute(text("SELECT rowid FROM journal_search WHERE journal_search MATCH :q "
                              "ORDER BY rowid DESC LIMIT :n"), {"q": match, "n": limit}
                         ).scalars().all()
        ids = [k % RECENCY_SHIFT for k in keys]
        if not ids:
            return []
        rows = s.execute(select(JournalEntry.id, JournalEntry.case_id, CaseFile.case_number,
                                JournalEntry.occurred_at, JournalEntry.text)
                         .join(CaseFile, CaseFile.id == JournalEntry.case_id)
                         .where(JournalEntry.id.in_(ids))).all()
    by_id = {r[0]: r for r in rows}
    return [JournalHit(r[0], r[1], r[2], r[3], _excerpt(r[4], terms))
            for r in (by_id[i] for i in ids if i in by_id)]
