"""Search steps other services build on: the query check and the name index lookup."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from db.folding import fold_query_terms, fts_prefix_query

# A name with case number is under 80 characters and 6 terms, a journal search a few words.
# Every term is one more prefix scan of the index, so the caps bound the work per keystroke
# (43,000 terms took 7.5 s and 410 MB) far above anything a person types.
MAX_QUERY_CHARS = 200


MAX_QUERY_TERMS = 12


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
