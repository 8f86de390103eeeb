"""Migration 0011 moves a sent bundle's hash out of ``outbox_bundle.file_names`` (where 0010 kept
it under the key "#sha256") into its own column, and back on downgrade."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app.vault.store import Vault
from db import schema


def test_the_hash_of_a_sent_bundle_moves_into_its_column(vault: Vault) -> None:
    digest = "ab" * 32
    with vault.engine.begin() as conn:
        command.downgrade(schema._config(conn), "0010")
        conn.execute(text(
            "INSERT INTO outbox_bundle (bundle_uuid, kind, recipients, size, data, created_at, "
            "file_names, attempts) VALUES (:u, 'directory', '[\"fp1\"]', 10, NULL, "
            "'2026-12-05 08:00:00.000000', :names, 1)"),
            [{"u": "1" * 32, "names": f'{{"fp1": "x-1.lbundle", "#sha256": "{digest}"}}'},
             {"u": "2" * 32, "names": "{}"}])  # still waiting for the share: no hash yet
        schema.upgrade(conn)
        rows = conn.execute(text("SELECT bundle_uuid, file_names, file_hash FROM outbox_bundle "
                                 "ORDER BY bundle_uuid")).all()
        assert [(r[1], r[2]) for r in rows] == [('{"fp1":"x-1.lbundle"}', digest), ("{}", None)]
        command.downgrade(schema._config(conn), "0010")
        back = conn.execute(text("SELECT file_names FROM outbox_bundle ORDER BY bundle_uuid")
                            ).scalars().all()
        assert back == [f'{{"fp1":"x-1.lbundle","#sha256":"{digest}"}}', "{}"]
        schema.upgrade(conn)
