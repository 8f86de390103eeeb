"""Sort names after an import: the client's folded name (``person.sort_key``), copied into each
of their cases (``case_file.sort_name``) so the case list sorts from one index. The services
keep both when they write (``app.services.cases``); an import writes Core rows and refreshes
them here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, text

from db.folding import fold_sort
from db.replica_read import batches

_REFRESH = (
    "UPDATE case_file SET sort_name = coalesce((SELECT sort_key FROM person "
    "WHERE person.id = case_file.person_id), '') WHERE deleted = 0 AND {} IN :ids "
    "AND sort_name IS NOT coalesce((SELECT sort_key FROM person "
    "WHERE person.id = case_file.person_id), '')")


def sort_key(values: Mapping[str, Any]) -> str:
    """A person row's sort key from its names."""
    return sort_key_of(values["family_name"], values["given_names"])


def sort_key_of(family_name: str, given_names: str) -> str:
    # As app.services.cases.read.sort_name: the folded "family given".
    return fold_sort(f"{family_name} {given_names}")


def refresh_sort_names(conn: Connection, cases: Iterable[int], persons: Iterable[int]) -> None:
    """The sort name of these live cases and of the live cases of these persons, where it
    differs from their client's sort key."""
    for column, ids in (("id", sorted(cases)), ("person_id", sorted(persons))):
        for chunk in batches(ids):
            conn.execute(text(_REFRESH.format(column)).bindparams(
                bindparam("ids", expanding=True)), {"ids": list(chunk)})
