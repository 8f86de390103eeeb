"""Certificates as issue 11 needs them: templates, issuer keys, trust, revocation lists.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

- ``certificate``: ``template_key``, ``key_id`` (the signing key), ``copies`` and
  ``last_copy_on`` (Zweitschriften), ``recipient_institution_id`` (None: handed to the person).
- ``certificate_template`` (replicated): a team's version of a template from ``resources/``.
- Vault-local ``issuer_key`` (this vault's ES256 signing keys), ``trusted_key`` (issuer keys it
  accepts) and ``revocation_list`` (newest signed list per issuer key).
- Triggers: an issued certificate's content (kind, serial, holder, dates, payload, code, seal,
  key) never changes; a revocation is final (``revoked_on`` once set stays); ``copies`` only
  grows. The one change left is erasure (``deleted`` 0 → 1), as for approved minutes.

Only nullable columns (and one with a default) are added to existing tables: no data step.
Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ERASING = "(OLD.deleted = 0 AND NEW.deleted = 1)"
CONTENT = ("kind", "serial", "person_id", "staff_id", "case_id", "issued_on", "issued_by_id",
           "payload", "verification_code", "signature", "signer_public", "template_key",
           "key_id", "recipient_institution_id", "uuid")
CONTENT_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
TRIGGERS = {
    "certificate_content_immutable": (
        f"BEFORE UPDATE ON certificate WHEN OLD.deleted = 0 AND NOT {ERASING} "
        f"AND ({CONTENT_CHANGED})", "issued certificates are immutable"),
    "certificate_revocation_final": (
        f"BEFORE UPDATE ON certificate WHEN OLD.deleted = 0 AND NOT {ERASING} AND "
        "OLD.revoked_on IS NOT NULL AND (NEW.revoked_on IS NOT OLD.revoked_on "
        "OR NEW.revoke_reason IS NOT OLD.revoke_reason)", "a revocation is final"),
    "certificate_copies_only_grow": (
        f"BEFORE UPDATE ON certificate WHEN OLD.deleted = 0 AND NOT {ERASING} AND "
        "NEW.copies < OLD.copies", "reprints are never uncounted"),
}


def _synced_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column("origin_vault", sa.String(length=32), nullable=False),
        sa.Column("changed_by_vault", sa.String(length=32), nullable=False),
        sa.Column("version_vector", sa.JSON(), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("certificate", sa.Column("template_key", sa.Text(), nullable=True))
    op.add_column("certificate", sa.Column("key_id", sa.String(length=16), nullable=True))
    op.add_column("certificate", sa.Column("copies", sa.Integer(), nullable=False,
                                           server_default=sa.text("0")))
    op.add_column("certificate", sa.Column("last_copy_on", sa.Date(), nullable=True))
    op.execute("ALTER TABLE certificate ADD COLUMN recipient_institution_id INTEGER "
               "CONSTRAINT fk_certificate_recipient_institution_id_institution "
               "REFERENCES institution (id)")
    op.create_index("ix_certificate_recipient_institution_id", "certificate",
                    ["recipient_institution_id"])
    op.create_table(
        "certificate_template",
        *_synced_columns(),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_template")),
        sa.UniqueConstraint("uuid", name=op.f("uq_certificate_template_uuid")),
        sa.UniqueConstraint("key", name=op.f("uq_certificate_template_key")),
    )
    op.create_table(
        "issuer_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issuer_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_issuer_key_kid")),
    )
    op.create_table(
        "trusted_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("issuer_office", sa.Text(), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("vault_code", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("card", sa.LargeBinary(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_key")),
        sa.UniqueConstraint("public_key", name=op.f("uq_trusted_key_public_key")),
    )
    op.create_index(op.f("ix_trusted_key_kid"), "trusted_key", ["kid"])
    op.create_table(
        "revocation_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation_list")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_revocation_list_fingerprint")),
    )
    for name, (when, message) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{message}'); END")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("revocation_list")
    op.drop_index(op.f("ix_trusted_key_kid"), "trusted_key")
    op.drop_table("trusted_key")
    op.drop_table("issuer_key")
    op.drop_table("certificate_template")
    op.drop_index("ix_certificate_recipient_institution_id", "certificate")
    for column in ("recipient_institution_id", "last_copy_on", "copies", "key_id",
                   "template_key"):
        op.drop_column("certificate", column)
