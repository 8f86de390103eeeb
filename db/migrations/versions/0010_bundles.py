"""Bundles on the shared drive as issue 12 needs them: keys, peers, outbox, inbox, grants.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

- Vault-local ``sync_key`` (this vault's P-256 signing and key-agreement keys for bundles),
  ``peer_device`` (other vaults' key cards and this vault's trust in them), ``outbox_bundle``
  (sealed bundles waiting for the share), ``inbox_bundle`` (bundles waiting for trust or
  rejected), ``share_grant`` (deputy shares and case transfers), ``sync_cursor`` (what each
  peer was last sent).
- ``bundle_receipt`` gains ``file_hash``, ``rows``, ``conflicts``; ``sync_conflict`` gains what
  the Konflikte page shows (kind, both stamps, case, author, times, who resolved it).

Only nullable columns (and ones with a default) are added to existing tables: no data step.
Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECEIPT_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("file_hash", sa.String(length=64), nullable=True),
    sa.Column("rows", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("conflicts", sa.Integer(), nullable=False, server_default=sa.text("0")),
)
CONFLICT_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("kind", sa.String(length=16), nullable=False, server_default="field"),
    sa.Column("local_stamp", sa.JSON(), nullable=True),
    sa.Column("case_uuid", sa.String(length=32), nullable=True),
    sa.Column("remote_author", sa.Text(), nullable=True),
    sa.Column("remote_changed_at", sa.DateTime(), nullable=True),
    sa.Column("local_changed_at", sa.DateTime(), nullable=True),
    sa.Column("resolved_by", sa.String(length=32), nullable=True),
)


def upgrade() -> None:
    for column in RECEIPT_COLUMNS:
        op.add_column("bundle_receipt", column)
    op.create_index(op.f("ix_bundle_receipt_file_hash"), "bundle_receipt", ["file_hash"])
    for column in CONFLICT_COLUMNS:
        op.add_column("sync_conflict", column)
    op.create_index(op.f("ix_sync_conflict_case_uuid"), "sync_conflict", ["case_uuid"])
    op.create_table(
        "sync_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("signing_private", sa.LargeBinary(), nullable=False),
        sa.Column("signing_public", sa.LargeBinary(), nullable=False),
        sa.Column("agreement_private", sa.LargeBinary(), nullable=False),
        sa.Column("agreement_public", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_key")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_sync_key_fingerprint")),
    )
    op.create_table(
        "peer_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("vault_uuid", sa.String(length=32), nullable=False),
        sa.Column("vault_code", sa.Text(), nullable=False),
        sa.Column("vault_name", sa.Text(), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("signing_public", sa.LargeBinary(), nullable=False),
        sa.Column("agreement_public", sa.LargeBinary(), nullable=False),
        sa.Column("card", sa.LargeBinary(), nullable=False),
        sa.Column("card_issued_at", sa.DateTime(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("trust", sa.String(length=16), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=True),
        sa.Column("trusted_how", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_device")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_peer_device_fingerprint")),
    )
    op.create_index(op.f("ix_peer_device_vault_uuid"), "peer_device", ["vault_uuid"])
    op.create_table(
        "outbox_bundle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_uuid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("file_names", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_bundle")),
        sa.UniqueConstraint("bundle_uuid", name=op.f("uq_outbox_bundle_bundle_uuid")),
    )
    op.create_table(
        "inbox_bundle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sender_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("bundle_uuid", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_bundle")),
        sa.UniqueConstraint("file_hash", name=op.f("uq_inbox_bundle_file_hash")),
    )
    op.create_table(
        "share_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_uuid", sa.String(length=32), nullable=False),
        sa.Column("peer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("bundle_uuid", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_grant")),
    )
    op.create_index(op.f("ix_share_grant_case_uuid"), "share_grant", ["case_uuid"])
    op.create_index(op.f("ix_share_grant_peer_fingerprint"), "share_grant",
                    ["peer_fingerprint"])
    op.create_table(
        "sync_cursor",
        sa.Column("peer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("sent_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("peer_fingerprint", "scope", name=op.f("pk_sync_cursor")),
    )


def downgrade() -> None:
    op.drop_table("sync_cursor")
    op.drop_index(op.f("ix_share_grant_peer_fingerprint"), "share_grant")
    op.drop_index(op.f("ix_share_grant_case_uuid"), "share_grant")
    op.drop_table("share_grant")
    op.drop_table("inbox_bundle")
    op.drop_table("outbox_bundle")
    op.drop_index(op.f("ix_peer_device_vault_uuid"), "peer_device")
    op.drop_table("peer_device")
    op.drop_table("sync_key")
    op.drop_index(op.f("ix_sync_conflict_case_uuid"), "sync_conflict")
    for column in reversed(CONFLICT_COLUMNS):
        op.drop_column("sync_conflict", column.name)
    op.drop_index(op.f("ix_bundle_receipt_file_hash"), "bundle_receipt")
    for column in reversed(RECEIPT_COLUMNS):
        op.drop_column("bundle_receipt", column.name)
