"""Search steps other services build on: the query check and the name index lookup."""

from __future__ import annotations

import re

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


# The start of a case number: municipality code, a dash and the start of the year, then
# optionally the vault code and sequence ("DO-2026-K7QX-00", "lip-2025"). A name never has a
# digit right after its first dash, so "Al-Hassan" still goes to the name index.
CASE_NUMBER_PREFIX = re.compile(r"[A-Za-z]{1,4}-\d{1,4}(-[A-Za-z0-9]{0,8}(-\d{0,8})?)?", re.ASCII)


def case_number_range(query: str) -> tuple[str, str] | None:
    """``[low, high)`` of the case numbers starting with ``query``, if it looks like one."""
    prefix = query.strip().upper()
    if not CASE_NUMBER_PREFIX.fullmatch(prefix):
        return None
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)  # ASCII only: the pattern says so


def matching_case_ids(session: Session, query: str, limit: int) -> list[int]:
    """Ids of cases whose client name or case number starts with every typed term, newest
    first (the name index's rowid is the case id).

    A typed case number is looked up as a range of the case-number index instead: in the name
    index "DO-2026-K7QX-00" is four frequent prefix terms ANDed, 3.6 s at 100,000 cases.
    """
    check_query(query)
    numbers = case_number_range(query)
    if numbers is not None:
        # "+id": order the few matches by id, rather than walk every case in id order and test
        # each number; the partial index ix_case_list_number covers the query.
        return list(session.execute(text(
            "SELECT id FROM case_file WHERE deleted = 0 AND case_number >= :low "
            "AND case_number < :high ORDER BY +id DESC LIMIT :n"),
            {"low": numbers[0], "high": numbers[1], "n": limit}).scalars())
    match = fts_prefix_query(query)
    if match is None:
        return []
    return list(session.execute(text("SELECT rowid FROM case_search WHERE case_search MATCH :q "
                                     "ORDER BY rowid DESC LIMIT :n"), {"q": match, "n": limit}
                                ).scalars())
