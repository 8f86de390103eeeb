"""Heute at 100,000 cases: the case's last contact, open tasks and live consents by date.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"Cases without contact for N weeks" grouped the whole journal (1,000,000 rows, 8 s) on every
refresh; the case row now carries its newest journal entry (kept by the journal service) and an
index over open cases by it. Open tasks and live consents get indexes by date, so Heute's
windows read only the rows that can fall into them. Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch rebuild of case_file would drop its FTS and audit triggers.
    op.add_column("case_file", sa.Column("last_contact_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE case_file SET last_contact_at = (SELECT max(occurred_at) FROM journal_entry"
               " WHERE journal_entry.case_id = case_file.id AND journal_entry.deleted = 0)")
    op.execute("CREATE INDEX ix_case_quiet ON case_file (coalesce(last_contact_at, opened_on), id)"
               " WHERE deleted = 0 AND phase != 'closed'")
    op.execute("CREATE INDEX ix_task_open_due ON task (due_on, case_id)"
               " WHERE deleted = 0 AND done_on IS NULL AND due_on IS NOT NULL")
    op.execute("CREATE INDEX ix_consent_live_until ON consent (valid_until)"
               " WHERE deleted = 0 AND withdrawn_on IS NULL")


def downgrade() -> None:
    op.drop_index("ix_consent_live_until", table_name="consent")
    op.drop_index("ix_task_open_due", table_name="task")
    op.drop_index("ix_case_quiet", table_name="case_file")
    op.drop_column("case_file", "last_contact_at")
