"""The selection of "a full case" covers every table that hangs off a case: a new table with a
``case_id`` must be placed (travels with the case, or left out on purpose)."""

from __future__ import annotations

from app.sync.case_rows import CASE_CHILDREN, CONTENT_TABLES, LEFT_OUT, SUPPORT_TABLES, table_order
from db.base import Base


def test_every_table_with_a_case_id_is_placed() -> None:
    with_case = {t.name for t in Base.metadata.tables.values() if "case_id" in t.columns}
    assert with_case <= set(CASE_CHILDREN) | set(LEFT_OUT) | {"consent"}


def test_every_selected_table_is_replicated() -> None:
    assert set(CONTENT_TABLES) | set(SUPPORT_TABLES) <= set(table_order())
