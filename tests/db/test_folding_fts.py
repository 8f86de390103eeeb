"""Folded names in an FTS5 index: typed prefixes find them, typed syntax stays literal."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from db.folding import fold_query_terms, fold_search, fts_prefix_query
from tests.support.folding_helpers import add_names, find, fts_index


@pytest.fixture
def fts() -> Iterator[sqlite3.Connection]:
    con = fts_index([])
    yield con
    con.close()


REALISTIC_NAMES = [
    "Müller",
    "Mueller",
    "Schröder",
    "Weiß",
    "Öztürk",
    "Yıldız",
    "Şahin",
    "Çelik",
    "Doğan",
    "Güneş",
    "Łukasz Wójcik",
    "Dąbrowski",
    "Đorđević",
    "Hodžić",
    "Ștefan Popescu",
    "Al-Hassan",
    "Mohammad Ahmadi",
    "Nguyễn Thị Minh",
    "O'Brien",
    "Юлия Ковальчук",
    "Manuel",
]


def test_every_typed_prefix_finds_the_name_in_fts5(fts: sqlite3.Connection) -> None:
    add_names(fts, REALISTIC_NAMES)
    for name in REALISTIC_NAMES:
        for end in range(1, len(name) + 1):
            typed = name[:end]
            if fold_search(typed):
                assert name in find(fts, REALISTIC_NAMES, typed), (typed, name)


def test_fts_search_examples(fts: sqlite3.Connection) -> None:
    add_names(fts, REALISTIC_NAMES)
    assert find(fts, REALISTIC_NAMES, "muller") == {"Müller", "Mueller"}
    assert find(fts, REALISTIC_NAMES, "mue") == {"Müller", "Mueller"}
    assert find(fts, REALISTIC_NAMES, "wojcik luk") == {"Łukasz Wójcik"}
    assert find(fts, REALISTIC_NAMES, "hassan") == {"Al-Hassan"}
    assert find(fts, REALISTIC_NAMES, "ozturk") == {"Öztürk"}
    assert find(fts, REALISTIC_NAMES, "ahmadi x") == set()


# --- FTS5 query safety ----------------------------------------------------------------------


def test_fts_prefix_query_shape() -> None:
    assert fts_prefix_query("Al-Hassan mü") == '"al"* AND "hassan"* AND "mu"*'
    assert fts_prefix_query("") is None
    assert fts_prefix_query("  ") is None
    assert fts_prefix_query('"*()') is None
    assert fold_query_terms(" Müller,  Hans ") == ["muller", "hans"]


SYNTAX_NAMES = ["and or not near", "abc", "a b", "x"]
AND_OR = "and or not near"
A_NAMES = {"and or not near", "abc", "a b"}  # a word starting with "a"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('AND', {AND_OR}),
        ('OR', {AND_OR}),
        ('NOT', {AND_OR}),
        ('x OR', set()),
        ('NEAR(a b)', set()),
        ('t:abc', set()),
        ('names:x', set()),
        ('(a', A_NAMES),
        ('a)', A_NAMES),
        ('"a', A_NAMES),
        ('a*', A_NAMES),
        ('^a', A_NAMES),
        ('{t}: a', set()),
        ('- a', A_NAMES),
        ('+a', A_NAMES),
        ('a NOT b', set()),
        ('*', set()),
        ('"', set()),
        ("''", set()),
        ('NEAR/3', set()),
        ('abc', {"abc"}),
        ('x', {"x"}),
    ],
)
def test_user_syntax_is_literal(fts: sqlite3.Connection, query: str, expected: set[str]) -> None:
    """FTS5 syntax typed into the search field is words to look for, never operators: each query
    finds exactly the names with a word starting with each of its words (and raises nothing)."""
    add_names(fts, SYNTAX_NAMES)
    assert find(fts, SYNTAX_NAMES, query) == expected


def test_operators_are_words(fts: sqlite3.Connection) -> None:
    names = ["Anders Orlov", "Nora Near", "Nora Nottebohm", "Xaver"]
    add_names(fts, names)
    # As operators these would mean "either" and "but not"; as words every term must match.
    assert find(fts, names, "anders OR") == {"Anders Orlov"}
    assert find(fts, names, "xaver OR anders") == set()
    assert find(fts, names, "nora NOT near") == set()
    assert find(fts, names, "NEAR") == {"Nora Near"}
    assert find(fts, names, "near NOT") == set()
    assert find(fts, names, "nora not") == {"Nora Nottebohm"}
