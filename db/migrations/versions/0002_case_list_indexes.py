"""Covering partial indexes for the case list (sort + filter columns, live rows only).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

At 100,000 cases the list's id query walked the (sort_name, id) index and looked up every row
to test ``deleted`` and the filters (3-6 s). These indexes hold the sort key, id and every filter
column for live rows, so sorting and filtering are index-only. Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERS = ("phase", "target_group", "municipality", "case_manager_id")
SORTS = {
    "ix_case_list_name": "sort_name",
    "ix_case_list_number": "case_number",
    "ix_case_list_opened": "opened_on",
    # No deadline sorts after every real one; the list queries the same expression.
    "ix_case_list_deadline": "coalesce(next_deadline, '9999-12-31')",
}


def upgrade() -> None:
    # Superseded by ix_case_list_name; kept, the planner would prefer it and then look up rows.
    op.drop_index("ix_case_file_sort_name_id", table_name="case_file")
    for name, key in SORTS.items():
        op.execute(f"CREATE INDEX {name} ON case_file ({key}, id, {', '.join(FILTERS)}) "
                   "WHERE deleted = 0")


def downgrade() -> None:
    for name in SORTS:
        op.drop_index(name, table_name="case_file")
    op.create_index("ix_case_file_sort_name_id", "case_file", ["sort_name", "id"])
