"""Names of bundle files on the share this vault has already judged; the hash of a sent bundle in
a column of its own.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

``share_seen``: vault-local, one row per file name in this vault's own inbox folder on the share
that was read and judged (applied, skipped, waiting or rejected). Writers never reuse a final
name, so a name seen before is the same file and a sync run passes it over without opening,
reading or hashing it — on a slow share that is the whole cost of a run with nothing new.
``outbox_bundle.file_hash``: the SHA-256 of the sealed bytes that recipients' acknowledgements
name. Until now it sat in ``file_names`` under the key ``"#sha256"`` beside the fingerprints;
the data step moves it out, so ``file_names`` holds only fingerprint -> final name.
Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_seen")),
        sa.UniqueConstraint("file_name", name=op.f("uq_share_seen_file_name")),
    )
    op.add_column("outbox_bundle", sa.Column("file_hash", sa.String(length=64), nullable=True))
    op.execute("""UPDATE outbox_bundle
                  SET file_hash = json_extract(file_names, '$."#sha256"'),
                      file_names = json_remove(file_names, '$."#sha256"')
                  WHERE json_extract(file_names, '$."#sha256"') IS NOT NULL""")


def downgrade() -> None:
    op.execute("""UPDATE outbox_bundle
                  SET file_names = json_set(file_names, '$."#sha256"', file_hash)
                  WHERE file_hash IS NOT NULL""")
    with op.batch_alter_table("outbox_bundle") as batch:
        batch.drop_column("file_hash")
    op.drop_table("share_seen")
