"""The BASELINE store: the same schema, SQL functions, pragmas and Vault code, but unencrypted.

Only benchmarks may open a plaintext store; production code never does. Everything here
mirrors ``db.engine.connect_raw``/``make_engine`` and ``app.vault.create.create_vault``/
``open_vault`` step for step, minus the key (and minus the cipher-only pragmas), so a ratio
against it measures what SQLCipher costs and nothing else. Keep it in step with those functions.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlcipher3 import dbapi2 as sqlcipher

from app import audit
from app.clock import Clock
from app.vault.create import initialise_store
from app.vault.store import DB_NAME, THROTTLE_NAME, Vault, VaultInfo
from app.vault.throttle import Throttle
from app.vault.throttle_record import audit_and_renew
from app.vault.verify import identity_problem
from db import schema
from db.engine import PLAINTEXT_HEADER, check_ours, enable_writes, engine_over, harden
from db.keybuffer import KeyBuffer
from db.models import CaseManager, VaultMeta

IDENT_NAME = "baseline.json"


def no_key() -> KeyBuffer:
    """Vault wants a data key; a plaintext store has none (used for backups only)."""
    return KeyBuffer(bytearray(32))


def connect_plain(path: Path, *, create: bool = False) -> Any:
    """``connect_raw`` without ``PRAGMA key``: same URI mode, checks, pragmas and functions."""
    if not create:
        if not path.is_file():
            raise FileNotFoundError(path)
        with path.open("rb") as fh:
            if fh.read(len(PLAINTEXT_HEADER)) != PLAINTEXT_HEADER:
                raise RuntimeError(f"baseline store {path} is not a plaintext SQLite file")
    mode = "rwc" if create else "rw"
    conn = sqlcipher.connect(f"file:{quote(str(path))}?mode={mode}", uri=True,
                             check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not create:
            check_ours(conn, path)
        harden(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def make_plain_engine(path: Path, *, pool_size: int = 4) -> Engine:
    """``db.engine.make_engine`` over :func:`connect_plain`: same pool, same BEGIN handling."""

    def creator() -> Any:
        conn = connect_plain(path)
        enable_writes(conn)
        return conn

    return engine_over(creator, pool_size=pool_size)


def create_plain_vault(folder: Path, *, owner_name: str, municipality: str, vault_code: str,
                       clock: Clock) -> Vault:
    """``create_vault`` without key file and key: schema, owner, vault_meta, device identity."""
    folder.mkdir(parents=True, exist_ok=False)
    db_path = folder / DB_NAME
    conn = connect_plain(db_path, create=True)
    enable_writes(conn, create=True)  # application_id, WAL, busy_timeout
    conn.close()
    vault_uuid = uuid.uuid4().hex
    vault = initialise_store(folder, make_plain_engine(db_path), no_key(), clock,
                             VaultInfo(vault_uuid, vault_code, "", owner_name, municipality))
    # Where an encrypted vault has its key file (vault uuid and code readable before unlock).
    (folder / IDENT_NAME).write_text(json.dumps({"vault_uuid": vault_uuid,
                                                 "vault_code": vault_code}), "utf-8")
    return vault


def open_plain_vault(folder: Path, clock: Clock) -> Vault:
    """``open_vault`` after the key is unwrapped: verify, migrate check, meta, anchor, audit."""
    ident = json.loads((folder / IDENT_NAME).read_text("utf-8"))  # stands in for KeyFile.load
    db_path = folder / DB_NAME
    conn = connect_plain(db_path)  # verify_store
    try:
        problem = identity_problem(conn, ident["vault_uuid"])
    finally:
        conn.close()
    if problem is not None:
        raise RuntimeError(f"baseline store refused: {problem[1]}")
    engine = make_plain_engine(db_path)
    with engine.begin() as connection:
        schema.upgrade(connection)
    vault = Vault(folder, engine, VaultInfo(ident["vault_uuid"], ident["vault_code"], "", "", ""),
                  clock, no_key())
    with vault.session() as s:
        meta = dict(s.execute(select(VaultMeta.key, VaultMeta.value)).tuples().all())
        if meta.get("vault_uuid") != ident["vault_uuid"]:
            vault.lock()
            raise RuntimeError("baseline store and its ident file belong to different vaults")
        owner = s.execute(select(CaseManager).where(CaseManager.uuid == meta["owner_uuid"])
                          ).scalar_one()
        vault.info = VaultInfo(meta["vault_uuid"], meta["vault_code"], owner.uuid,
                               owner.display_name, meta.get("municipality", ""))
        s.info[audit.ACTOR] = owner.uuid
        renewal = audit_and_renew(s, Throttle(folder / THROTTLE_NAME, clock),
                                  meta["vault_uuid"])
        audit.record(s, audit.Kind.UNLOCKED, "vault", meta["vault_uuid"])
    renewal.finish(vault.engine)
    return vault
