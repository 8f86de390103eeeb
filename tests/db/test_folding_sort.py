"""Sort folding: German dictionary order (DIN 5007-1) that SQLite can index."""

from __future__ import annotations

import sqlite3

from db.folding import SORT_SEPARATOR, fold_sort

# --- fold_sort ------------------------------------------------------------------------------


def test_german_dictionary_order() -> None:
    expected = [
        "Abel",
        "Ärger",
        "Arm",
        "Çelik",
        "Doğan",
        "Groß",
        "Grossmann",  # same primary as Großmann: ties go by the original, "ss" before "ß"
        "Großmann",
        "Mueller",  # DIN 5007-1: "ue" is two letters, sorts before "Müller"
        "Muller",  # same primary as Müller: unaccented first (secondary tier)
        "Müller",  # then upper case before lower case (original string)
        "müller",
        "Ostermann",
        "Otto",
        "Öztürk",
        "Pabst",
        "Şahin",
        "Schmidt",
        "Straße",
        "Strauß",
        "Yıldız",
        "Zimmermann",
    ]
    shuffled = sorted(expected, key=lambda s: s[::-1])
    assert sorted(shuffled, key=fold_sort) == expected


def test_oztuerk_sorts_among_o_not_after_z() -> None:
    names = ["Zimmermann", "Öztürk", "Otto", "Pabst", "Oberhausen"]
    ordered = sorted(names, key=fold_sort)
    assert ordered.index("Öztürk") < ordered.index("Pabst") < ordered.index("Zimmermann")


def test_sort_keeps_digraph_and_words() -> None:
    assert fold_sort("Mueller").split(SORT_SEPARATOR)[0] == "mueller"
    assert fold_sort("Müller").split(SORT_SEPARATOR)[0] == "muller"
    assert sorted(["Otto Z", "Ottokar", "Otto"], key=fold_sort) == ["Otto", "Otto Z", "Ottokar"]
    assert fold_sort(None) == ""


def test_sort_key_is_usable_in_sqlite() -> None:
    names = ["Zimmermann", "Öztürk", "Otto", "Müller", "Mueller", "Abel", "Ärger", "Şahin"]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE person(name TEXT, sort_key TEXT)")
    con.executemany("INSERT INTO person VALUES (?, ?)", [(n, fold_sort(n)) for n in names])
    con.execute("CREATE INDEX ix ON person(sort_key)")
    from_db = [n for (n,) in con.execute("SELECT name FROM person ORDER BY sort_key")]
    assert from_db == sorted(names, key=fold_sort)
    # The separator survives SQLite string functions (U+0000 would be cut off by length()).
    key = fold_sort("Otto")
    assert con.execute("SELECT length(?)", (key,)).fetchone()[0] == len(key)
    con.close()
