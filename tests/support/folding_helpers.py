"""An in-memory FTS5 index of folded names, tokenised like the store's search tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from db.folding import fold_search, fts_prefix_query

# As in the 0001 migration: folding happens in Python, so FTS5 must not fold again.
TOKENIZER = "unicode61 remove_diacritics 0"


def fts_index(names: Sequence[str]) -> sqlite3.Connection:
    """A connection whose table ``names`` holds ``fold_search(name)`` at rowid position + 1."""
    con = sqlite3.connect(":memory:")
    con.execute(f"CREATE VIRTUAL TABLE names USING fts5(t, tokenize='{TOKENIZER}')")
    add_names(con, names)
    return con


def add_names(con: sqlite3.Connection, names: Sequence[str]) -> None:
    con.executemany(
        "INSERT INTO names(rowid, t) VALUES (?, ?)",
        [(i, fold_search(name)) for i, name in enumerate(names, start=1)],
    )


def find(con: sqlite3.Connection, names: Sequence[str], query: str) -> set[str]:
    """The names a caseworker typing ``query`` into the search field would get."""
    match = fts_prefix_query(query)
    if match is None:
        return set()
    rows = con.execute("SELECT rowid FROM names WHERE names MATCH ?", (match,)).fetchall()
    return {names[rowid - 1] for (rowid,) in rows}
