"""Migration 0012 adds ``sent_refusal`` (a recipient's signed refusal of one of this vault's
bundles); downgrade drops it again and leaves the outbox alone."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from app.vault.store import Vault
from db import schema


def test_sent_refusal_comes_and_goes_with_its_revision(vault: Vault) -> None:
    with vault.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sent_refusal (bundle_uuid, kind, recipient_fingerprint, reason, "
            "rejected_at, noted_at) VALUES (:u, 'directory', :fp, 'sender_distrusted', "
            "'2026-12-06 08:00:00.000000', '2026-12-06 08:05:00.000000')"),
            {"u": "1" * 32, "fp": "ab" * 32})
        command.downgrade(schema._config(conn), "0011")
        assert "sent_refusal" not in inspect(conn).get_table_names()
        assert "outbox_bundle" in inspect(conn).get_table_names()
        schema.upgrade(conn)
        assert conn.execute(text("SELECT count(*) FROM sent_refusal")).scalar_one() == 0
        columns = {c["name"] for c in inspect(conn).get_columns("sent_refusal")}
        assert {"bundle_uuid", "recipient_fingerprint", "reason", "dismissed_at"} <= columns
