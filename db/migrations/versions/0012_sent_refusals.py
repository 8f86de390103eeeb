"""Bundles of this vault that a recipient's Lotse refused, as the recipient's signed notice on
the share says.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

``sent_refusal``: vault-local, one row per bundle and recipient that refused it
(``app.sync.refusals``): the bundle's uuid and kind, the recipient's fingerprint, its reason code
and the time it states, when this vault read the notice, and when a person took note of it.
Until now a sender never learned of a refusal; its outbox waited for an acknowledgement that
never came. Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sent_refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_uuid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("recipient_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(), nullable=False),
        sa.Column("noted_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_refusal")),
        sa.UniqueConstraint("bundle_uuid", "recipient_fingerprint",
                            name=op.f("uq_sent_refusal_bundle_uuid")),
    )


def downgrade() -> None:
    op.drop_table("sent_refusal")
