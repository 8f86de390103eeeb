"""Likely duplicates of a new client: same folded name (in any order) and birth date, the same
name with an easily confused date, or the same date with a name one typo apart."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.duplicates.read import (
    BORN_FILTER,
    DUPLICATE_SQL,
    possible_duplicates,
    similar_birth_date,
)
from app.vault.store import Vault
from db.models import AuditLog

BORN = date(1990, 3, 12)


@pytest.fixture
def anna(vault: Vault) -> int:
    return create_case(vault, NewCase("Anna", "Müller", "DO", date_of_birth=BORN))


def _reasons(vault: Vault, given: str, family: str, born: date | None) -> list[str]:
    return [d.reason for d in possible_duplicates(vault, given, family, born)]


def test_same_folded_name_and_birth_date(vault: Vault, anna: int) -> None:
    create_case(vault, NewCase("Anna", "Schmidt", "DO", date_of_birth=BORN))  # not her
    found = possible_duplicates(vault, "Anna", "Mueller", BORN)
    assert [(d.id, d.family_name, d.date_of_birth, d.closed) for d in found] == [
        (anna, "Müller", BORN, False)]
    assert found[0].reason == "gleicher Name, gleiches Geburtsdatum"
    assert found[0].case_manager == "Test Fallmanagerin"
    for given, family in (("ANNA", "Muller"), ("Müller", "Anna"), ("Anna ", " Müller")):
        assert _reasons(vault, given, family, BORN) == ["gleicher Name, gleiches Geburtsdatum"]


def test_same_name_and_a_similar_date(vault: Vault, anna: int) -> None:
    for born in (date(1990, 12, 3), date(1990, 3, 13), date(1991, 3, 12), date(1990, 3, 28)):
        assert _reasons(vault, "Anna", "Müller", born) == [
            "gleicher Name, ähnliches Geburtsdatum (12.03.1990)"], born
    assert _reasons(vault, "Anna", "Müller", date(1985, 7, 1)) == []
    assert _reasons(vault, "Anna", "Müller", None) == [
        "gleicher Name, Geburtsdatum nicht bei beiden bekannt"]


def test_same_date_and_a_name_one_typo_apart(vault: Vault, anna: int) -> None:
    for given, family in (("Ana", "Müller"), ("Anna", "Möller"), ("Anna", "Mülller"),
                          ("Müler", "Anna")):
        assert _reasons(vault, given, family, BORN) == [
            "sehr ähnlicher Name, gleiches Geburtsdatum"], (given, family)
    assert _reasons(vault, "Hanna", "Möller", BORN) == []  # two edits
    assert _reasons(vault, "Ana", "Müller", date(1990, 3, 13)) == []


def test_similar_birth_dates() -> None:
    assert similar_birth_date(BORN, date(1990, 12, 3))
    assert similar_birth_date(BORN, date(1990, 3, 1))  # same year and month
    assert similar_birth_date(BORN, date(1980, 3, 12))  # one digit
    assert not similar_birth_date(BORN, date(1990, 4, 13))
    assert not similar_birth_date(BORN, date(1909, 3, 12))  # two digits


def test_creating_anyway_is_audited_without_names(vault: Vault, anna: int) -> None:
    existing = possible_duplicates(vault, "Anna", "Müller", BORN)
    new = create_case(vault, NewCase("Anna", "Müller", "DO", date_of_birth=BORN),
                      duplicate_of=[d.uuid for d in existing])
    with vault.read_session() as s:
        entry = s.execute(select(AuditLog).where(AuditLog.kind == "case.duplicate_confirmed")
                          ).scalar_one()
    assert entry.detail == {"possible_duplicate_of": [existing[0].uuid]}
    assert "Anna" not in str(entry.detail) and "ller" not in str(entry.detail)
    assert {d.id for d in possible_duplicates(vault, "Anna", "Müller", BORN)} == {anna, new}


def test_the_lookup_uses_the_name_index_not_a_scan(vault: Vault) -> None:
    """Fast at 100,000 cases: the name index drives, cases and persons by primary key."""
    for extra in ("", BORN_FILTER):
        with vault.read_session() as s:
            plan = [row[-1] for row in s.execute(
                text("EXPLAIN QUERY PLAN " + DUPLICATE_SQL.format(extra=extra)),
                {"q": '"anna"', "born": "1990-03-12", "n": 5})]
        assert plan[0].startswith("SCAN case_search VIRTUAL TABLE INDEX"), plan
        assert not [step for step in plan[1:] if step.startswith("SCAN")], plan
