"""Search as you type (names, case numbers) and journal full text, newest first.

Both go through FTS5 indexes that the database keeps exact with triggers; text is folded in
Python (``db.folding``) on the way in and on the way out, so "mueller" finds "Müller".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from app.vault.store import Vault
from db.folding import fold_query_terms, fold_search, fts_prefix_query
from db.models import CaseFile, JournalEntry, Person

RECENCY_SHIFT = 4294967296  # journal_search rowid = day * 2**32 + entry id (see the migration)
# A name with case number is under 80 characters and 6 terms, a journal search a few words.
# Every term is one more prefix scan of the index, so the caps bound the work per keystroke
# (43,000 terms took 7.5 s and 410 MB) far above anything a person types.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12


@dataclass(frozen=True)
class NameHit:
    case_id: int
    case_number: str
    given_names: str
    family_name: str
    phase: str


@dataclass(frozen=True)
class JournalHit:
    entry_id: int
    case_id: int
    case_number: str
    occurred_at: datetime
    excerpt: str


def check_query(query: str) -> None:
    """Refuse a search no person types (pasted text, a script's runaway argument)."""
    terms = len(fold_query_terms(query)) if len(query) <= MAX_QUERY_CHARS else 0
    if len(query) > MAX_QUERY_CHARS or terms > MAX_QUERY_TERMS:
        raise ValidationFailed(
            f"Die Suche ist zu lang. Bitte suchen Sie mit höchstens {MAX_QUERY_TERMS} Wörtern "
            f"und {MAX_QUERY_CHARS} Zeichen.",
            f"search too long: at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_TERMS} "
            f"terms (got {len(query)} characters" + (f", {terms} terms)" if terms else ")"),
            field="query")


def matching_case_ids(session: Session, query: str, limit: int) -> list[int]:
    """Ids of cases whose client name or case number starts with every typed term, newest
    first (the name index's rowid is the case id)."""
    check_query(query)
    match = fts_prefix_query(query)
    if match is None:
        return []
    return list(session.execute(text("SELECT rowid FROM case_search WHERE case_search MATCH :q "
                                     "ORDER BY rowid DESC LIMIT :n"), {"q": match, "n": limit}
                                ).scalars())


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
