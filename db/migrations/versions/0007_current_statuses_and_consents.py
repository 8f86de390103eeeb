"""The status and consent rows that count, stored, so Heute reads only those (issue 9, point 7).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

``residence_status.current_until`` and ``consent.current_until`` hold valid_until on the row
that counts for its person (the newest live, uncorrected status; the newest live consent towards
an institution, unless withdrawn) and NULL on every other row; ``db.derived`` keeps them on
every flush. A partial index over the non-NULL ones turns Heute's 30/60/90-day windows into one
index range of rows that pass, instead of reading every candidate and its older versions.
Two covering indexes of the open cases (by person, by id) let Heute join those rows and the due
tasks to the open cases, and the owner's, without reading a case row each.

The backfill is a frozen copy of the rules in ``db.derived`` at this revision. Frozen like every
revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_COUNTS = (
    "deleted = 0 AND superseded_by_id IS NULL AND NOT EXISTS (SELECT 1 FROM residence_status "
    "AS newer WHERE newer.person_id = residence_status.person_id AND newer.deleted = 0 "
    "AND newer.superseded_by_id IS NULL AND (newer.valid_from > residence_status.valid_from "
    "OR (residence_status.valid_from IS NULL AND newer.valid_from IS NOT NULL) "
    "OR (newer.valid_from IS residence_status.valid_from AND newer.id > residence_status.id)))")
CONSENT_COUNTS = (
    "deleted = 0 AND withdrawn_on IS NULL AND NOT EXISTS (SELECT 1 FROM consent AS newer "
    "WHERE newer.person_id = consent.person_id AND newer.institution_id = consent.institution_id "
    "AND newer.deleted = 0 AND (newer.given_on > consent.given_on "
    "OR (newer.given_on = consent.given_on AND newer.id > consent.id)))")


def upgrade() -> None:
    op.add_column("residence_status", sa.Column("current_until", sa.Date(), nullable=True))
    op.add_column("consent", sa.Column("current_until", sa.Date(), nullable=True))
    # Only the rows that count are written (a tenth or so of them).
    op.execute("UPDATE residence_status SET current_until = valid_until "
               f"WHERE valid_until IS NOT NULL AND {STATUS_COUNTS}")
    op.execute("UPDATE consent SET current_until = valid_until "
               f"WHERE valid_until IS NOT NULL AND {CONSENT_COUNTS}")
    # Covering indexes: a window and its join to the open cases read no table row.
    op.create_index("ix_residence_status_current_until", "residence_status",
                    ["current_until", "kind", "person_id", "uuid"],
                    sqlite_where=sa.text("deleted = 0 AND current_until IS NOT NULL"))
    op.create_index("ix_consent_current_until", "consent",
                    ["current_until", "person_id", "institution_id", "uuid"],
                    sqlite_where=sa.text("deleted = 0 AND current_until IS NOT NULL"))
    open_case = sa.text("deleted = 0 AND phase != 'closed'")
    op.create_index("ix_case_file_open_person", "case_file",
                    ["person_id", "case_manager_id", "phase"], sqlite_where=open_case)
    op.create_index("ix_case_file_open_id", "case_file", ["id", "case_manager_id", "phase"],
                    sqlite_where=open_case)
    # A store the planner has statistics for (a bulk-loaded one) gets them for the new
    # indexes too; a store without any keeps none, as before.
    if op.get_bind().exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None:
        op.execute("ANALYZE residence_status")
        op.execute("ANALYZE consent")
        op.execute("ANALYZE case_file")


def downgrade() -> None:
    op.drop_index("ix_case_file_open_id", table_name="case_file")
    op.drop_index("ix_case_file_open_person", table_name="case_file")
    op.drop_index("ix_consent_current_until", table_name="consent")
    op.drop_index("ix_residence_status_current_until", table_name="residence_status")
    op.drop_column("consent", "current_until")
    op.drop_column("residence_status", "current_until")
