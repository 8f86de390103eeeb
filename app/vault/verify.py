"""Verify a whole store file before it becomes a vault's store: every page, the b-trees, the
schema, the vault it belongs to, and the audit chain against the external anchor.

Used for the re-encrypted copy of ``rekey`` and for the copy of a backup that ``restore``
installs. SQLCipher authenticates each page on its own (HMAC per page), so a page flipped on
the share is only found when every page is read: ``cipher_integrity_check`` does that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlcipher3 import dbapi2 as sqlcipher

from app import audit
from app.errors import CancelCheck, IntegrityFailure
from app.vault.anchor import AnchorFile
from db import schema
from db.engine import connect_raw, engine_over
from db.errors import StoreError
from db.keybuffer import KeyBytes
from db.models import AuditLog

PROGRESS_STEPS = 20_000  # SQLite VM steps between two cancel questions (a few ms)


@dataclass(frozen=True, eq=False)
class StoreFacts:
    """What a copy must agree on with its original."""

    audit_head: tuple[int, str] | None
    row_counts: dict[str, int]
    user_version: int
    journal_mode: str = ""

    def same_content(self, other: StoreFacts) -> bool:
        # The journal mode is not content (an older restore left some stores in DELETE mode).
        return (self.audit_head, self.row_counts, self.user_version) == (
            other.audit_head, other.row_counts, other.user_version)


@contextmanager
def interruptible(conn: Any, cancelled: CancelCheck | None,
                  tick: Callable[[], None] | None = None) -> Iterator[None]:
    """Let a long statement on ``conn`` be stopped: it fails with "interrupted" once
    ``cancelled()`` says so. ``tick`` is called now and then (progress reports)."""
    def handler() -> int:
        if tick is not None:
            tick()
        return 1 if cancelled is not None and cancelled() else 0

    conn.set_progress_handler(handler, PROGRESS_STEPS)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def row_counts(conn: Any, schema_name: str = "main") -> dict[str, int]:
    """Rows per real table (the search index's shadow tables included)."""
    names = [str(r[0]) for r in conn.execute(
        f"SELECT name FROM {schema_name}.sqlite_master WHERE type = 'table' AND rootpage > 0 "
        "ORDER BY name")]
    return {n: int(conn.execute(f'SELECT count(*) FROM {schema_name}."{n}"').fetchone()[0])
            for n in names}


def _damaged(message_de: str, detail: str) -> IntegrityFailure:
    return IntegrityFailure(message_de, detail)


def _check_pages(conn: Any, message_de: str) -> None:
    bad_pages = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
    if bad_pages:
        raise _damaged(message_de, f"{len(bad_pages)} pages fail authentication "
                       f"(first: {bad_pages[0]})")
    integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        raise _damaged(message_de, f"integrity check: {integrity[0]}")


UNKNOWN_SCHEMA = "unknown-schema"  # not a migrated Lotse store, or a newer Lotse's
FOREIGN = "foreign"  # another vault's store than the key file's


def _one_value(conn: Any, table: str, sql: str) -> str | None:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (table,)).fetchone()
    row = conn.execute(sql).fetchone() if exists else None
    return None if row is None else str(row[0])


def identity_problem(conn: Any, vault_uuid: str | None) -> tuple[str, str] | None:
    """The one identity check of a store (at every unlock, and of every copy before it goes
    live): ``(UNKNOWN_SCHEMA | FOREIGN, English detail)``, or None when the store is a Lotse
    store of a known schema and (given ``vault_uuid``) the key file's vault."""
    revision = _one_value(conn, "alembic_version", "SELECT version_num FROM alembic_version")
    if revision is None or schema.is_newer_than_known(revision):
        return UNKNOWN_SCHEMA, f"store schema revision {revision!r} is unknown"
    stored = _one_value(conn, "vault_meta",
                        "SELECT value FROM vault_meta WHERE key = 'vault_uuid'")
    if vault_uuid is not None and stored != vault_uuid:
        return FOREIGN, "the store belongs to another vault than its key file"
    return None


def _check_identity(conn: Any, vault_uuid: str, message_de: str) -> None:
    problem = identity_problem(conn, vault_uuid)
    if problem is not None:
        raise _damaged(message_de, problem[1])


def _audit_chain(path: Path, key: KeyBytes, anchor_path: Path,
                 message_de: str) -> tuple[int, str] | None:
    engine = engine_over(lambda: connect_raw(path, key), pool_size=1)
    try:
        with Session(engine) as s:
            chain = audit.verify(s, AnchorFile(anchor_path))
            if not chain.ok:
                raise _damaged(message_de, f"audit chain: {chain.problem}")
            head = s.execute(select(AuditLog.seq, AuditLog.hash)
                             .order_by(AuditLog.seq.desc()).limit(1)).first()
    finally:
        engine.dispose()
    return None if head is None else (int(head.seq), str(head.hash))


def inspect_store(path: Path, key: KeyBytes, *, vault_uuid: str, anchor_path: Path,
                  message_de: str, cancelled: CancelCheck | None = None) -> StoreFacts:
    """Read every page of ``path`` and return what a copy must agree on.

    Raises ``IntegrityFailure(message_de, …)`` for anything wrong; a cancel surfaces as the
    driver's "interrupted" error for the caller to turn into its own ``Cancelled``.
    """
    try:
        conn = connect_raw(path, key)  # pinned cipher settings, application_id, whole pages
    except StoreError as exc:
        raise _damaged(message_de, str(exc)) from exc
    try:
        with interruptible(conn, cancelled):
            _check_pages(conn, message_de)
            _check_identity(conn, vault_uuid, message_de)
            counts = row_counts(conn)
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        journal_mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    except sqlcipher.OperationalError as exc:
        if cancelled is not None and "interrupt" in str(exc):
            raise
        raise _damaged(message_de, f"store unreadable ({exc})") from exc
    except sqlcipher.DatabaseError as exc:
        raise _damaged(message_de, f"store unreadable ({exc})") from exc
    finally:
        conn.close()
    try:
        head = _audit_chain(path, key, anchor_path, message_de)
    except DBAPIError as exc:
        raise _damaged(message_de, f"audit log unreadable ({exc.orig})") from exc
    return StoreFacts(head, counts, user_version, journal_mode)
