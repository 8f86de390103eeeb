"""Corrections that keep the original, and the person fields a caseworker asks for first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

- ``journal_entry.amends_id``: a Nachtrag or a correction is a new entry pointing at the entry it
  amends; the original stays unchanged, as a case file must.
- ``residence_status.superseded_by_id`` / ``correction_reason``: a wrong status entry is corrected
  by a new entry; the old one stays in the timeline, marked as corrected, with the reason.
- ``person.entered_germany_on``, ``accommodation`` (facility or address as written),
  ``abh_file_number`` (the foreigners' authority's file number).

Only nullable columns are added, so an existing store needs no data step. The two
self-references have no ON DELETE action: rows are tombstoned, never deleted, except with their
whole case in one statement. Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: a batch copy would drop the FTS triggers on
    # journal_entry and person. SQLite allows a REFERENCES clause on an added NULL column.
    op.execute("ALTER TABLE journal_entry ADD COLUMN amends_id INTEGER "
               "CONSTRAINT fk_journal_entry_amends_id_journal_entry "
               "REFERENCES journal_entry (id)")
    op.create_index("ix_journal_entry_amends_id", "journal_entry", ["amends_id"])
    op.execute("ALTER TABLE residence_status ADD COLUMN superseded_by_id INTEGER "
               "CONSTRAINT fk_residence_status_superseded_by_id_residence_status "
               "REFERENCES residence_status (id)")
    op.add_column("residence_status", sa.Column("correction_reason", sa.Text(), nullable=True))
    op.create_index("ix_residence_status_superseded_by_id", "residence_status",
                    ["superseded_by_id"])
    op.add_column("person", sa.Column("entered_germany_on", sa.Date(), nullable=True))
    op.add_column("person", sa.Column("accommodation", sa.Text(), nullable=True))
    op.add_column("person", sa.Column("abh_file_number", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column unless an index or constraint uses it: indexes first.
    op.drop_column("person", "abh_file_number")
    op.drop_column("person", "accommodation")
    op.drop_column("person", "entered_germany_on")
    op.drop_index("ix_residence_status_superseded_by_id", table_name="residence_status")
    op.drop_column("residence_status", "correction_reason")
    op.execute("ALTER TABLE residence_status DROP COLUMN superseded_by_id")
    op.drop_index("ix_journal_entry_amends_id", table_name="journal_entry")
    op.execute("ALTER TABLE journal_entry DROP COLUMN amends_id")
