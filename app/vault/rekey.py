"""``lotse rekey``: a new random data key, the store re-encrypted under it, a new key file.

What it protects against: ``passwd`` only re-wraps the data key, so a key file copied earlier
(every backup holds one) still opens the store with the passphrase valid then. After a rekey
no earlier key file opens the current store, whatever passphrase goes with it. What it does
not do: copies taken before (backups, a copied ``lotse.db``) stay readable with their own key
file and passphrase, and the old store's bytes may linger on the disk. The vault's identity
(vault uuid and code, device keys, audit chain and anchor) is kept.

Steps: unwrap and check the store; close our connections (``release``); checkpoint the WAL and
hold off writers; ``sqlcipher_export`` into ``lotse.db.rekey`` under the new key; verify that
copy page by page against the store (row counts, audit head, chain against the anchor); wrap
the new key; replace the key file (the commit point); install the copy (``app.vault.swap``).
A cancel or failure before the commit point removes the copy and changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from app import audit
from app.clock import Clock, SystemClock
from app.errors import (
    CancelCheck,
    IntegrityFailure,
    StorageFailure,
    VaultBusy,
    stop_if_cancelled,
)
from app.fsutil import guarded, open_file, read_limited
from app.progress import ProgressFn
from app.vault import store, swap, verify
from app.vault.kdf import KdfParams
from app.vault.keyfile import MAX_KEYFILE_BYTES, KeyFile
from app.vault.memory import random_key, wipe
from db.engine import connect_raw, enable_writes, fsync_dir
from db.keybuffer import KeyBytes, raw_key_literal

NOT_RENEWED_DE = "Datenschlüssel nicht erneuert – der Tresor ist unverändert."
NOT_VERIFIED_DE = ("Die neu verschlüsselte Kopie des Tresors ließ sich nicht bestätigen. Der "
                   "Tresor bleibt unverändert mit dem bisherigen Schlüssel.")
BUSY_DE = ("Der Tresor wird gerade von einem anderen Lotse-Programm verwendet. Bitte schließen "
           "Sie es und versuchen Sie es dann erneut.")
TOTAL = 100  # progress is reported in percent: export 10-70, verification 70-90


def _no_progress(_done: int, _total: int) -> None:
    return None


def _sticky(cancelled: CancelCheck | None) -> CancelCheck | None:
    """Once asked to stop, stay stopped (an interrupted statement asks again to tell why)."""
    if cancelled is None:
        return None
    said: list[bool] = []

    def ask() -> bool:
        if not said and cancelled():
            said.append(True)
        return bool(said)

    return ask


def _hold_writers_off(db_path: Path, key: KeyBytes) -> Any:
    """A connection that checkpointed the WAL into the store and keeps writers out.

    Writers that committed in between would otherwise be lost with the old store.
    """
    conn = connect_raw(db_path, key)
    try:
        enable_writes(conn)  # waits (busy_timeout) for a reader or writer to finish
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise VaultBusy(BUSY_DE, "the vault is in use by another Lotse process")
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher.OperationalError as exc:
        conn.close()
        raise VaultBusy(BUSY_DE, f"the vault is in use by another Lotse process ({exc})"
                        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _failure(exc: sqlcipher.Error, check: Callable[[], None]) -> BaseException:
    text = str(exc)
    if "interrupt" in text:
        check()  # a cancel: raises Cancelled
    if "full" in text or "I/O" in text or "readonly" in text:
        return StorageFailure("Auf dem Datenträger ist kein Platz oder er ist schreibgeschützt. "
                              "Der Tresor ist unverändert.", f"rekey: {text}")
    return IntegrityFailure(NOT_VERIFIED_DE, f"rekey: store could not be exported ({text})")


def _fsync(path: Path) -> None:
    with open_file(path, "r+b") as fh:
        os.fsync(fh.fileno())


def _export(db_path: Path, old_key: KeyBytes, new_key: KeyBytes, user_version: int,
            cancelled: CancelCheck | None, report: ProgressFn) -> None:
    """Copy every table, index, trigger and the search index into a new file (new key)."""
    pending = swap.pending_store(db_path)
    total = max(db_path.stat().st_size, 1)

    def tick() -> None:
        done = pending.stat().st_size if pending.exists() else 0
        report(10 + min(59, 60 * done // total), TOTAL)

    with guarded():
        conn = connect_raw(pending, new_key, create=True)  # private, pinned settings
    try:
        enable_writes(conn, create=True)  # application_id and WAL, as every store has
        # A crash or cancel discards the whole file: no journal needed while copying.
        conn.execute("PRAGMA journal_mode = OFF")
        # The key as a bound blob in SQLCipher's raw-key syntax, never in SQL text or a str.
        literal = raw_key_literal(old_key)
        try:
            conn.execute("ATTACH DATABASE ? AS old KEY ?", (str(db_path), literal))
        finally:
            wipe(literal)
        with verify.interruptible(conn, cancelled, tick):
            conn.execute("SELECT sqlcipher_export('main', 'old')")
        conn.execute("DETACH DATABASE old")
        conn.execute(f"PRAGMA user_version = {int(user_version)}")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    _fsync(pending)
    fsync_dir(db_path.parent)


def _source_facts(conn: Any) -> verify.StoreFacts:
    head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return verify.StoreFacts(None if head is None else (int(head[0]), str(head[1])),
                             verify.row_counts(conn),
                             int(conn.execute("PRAGMA user_version").fetchone()[0]))


def _compare(source: verify.StoreFacts, copy: verify.StoreFacts) -> None:
    if copy.journal_mode != "wal":
        raise IntegrityFailure(NOT_VERIFIED_DE, f"re-encrypted copy is in journal mode "
                               f"{copy.journal_mode!r}, not WAL")
    if not copy.same_content(source):
        differing = sorted(t for t in set(source.row_counts) | set(copy.row_counts)
                           if source.row_counts.get(t) != copy.row_counts.get(t))
        raise IntegrityFailure(NOT_VERIFIED_DE, "re-encrypted copy differs from the store "
                               f"(tables {differing}, audit head or user_version)")


def _key_file_is(folder: Path, keyfile: KeyFile) -> bool:
    try:
        return read_limited(folder / store.KEY_NAME, MAX_KEYFILE_BYTES) == keyfile.to_bytes()
    except OSError:
        return False


def rekey(folder: Path, passphrase: str, *, kdf: KdfParams | None = None,
          clock: Clock | None = None, progress: ProgressFn | None = None,
          cancelled: CancelCheck | None = None,
          release: Callable[[], None] | None = None) -> store.Vault:
    """Renew the data key of the vault in ``folder``; returns the vault opened under it.

    ``release`` is called once the passphrase is known to be right, before the store is
    copied: the desktop closes its own connections there. ``cancelled()`` is honoured up to
    the commit point. The key file keeps its Argon2id cost (``kdf`` overrides, e.g. tests).
    """
    clock = clock or SystemClock()
    report = progress or _no_progress
    cancelled = _sticky(cancelled)

    def check() -> None:
        stop_if_cancelled(cancelled, NOT_RENEWED_DE, "rekey cancelled by the user")

    check()
    report(0, TOTAL)
    keyfile, old_key = store.unlock_key(folder, passphrase, clock)
    new_key: bytearray | None = None
    try:
        db_path = folder / store.DB_NAME
        store.settle_rekey(folder, old_key)
        store.verify_store(db_path, old_key, keyfile.vault_uuid)
        check()
        if release is not None:
            release()
        report(5, TOTAL)
        swap.discard(db_path)  # sidecars of a copy whose file is already gone
        holder = _hold_writers_off(db_path, old_key)
        try:
            try:
                new_key = random_key()
                try:
                    source = _source_facts(holder)
                    _export(db_path, old_key, new_key, source.user_version, cancelled, report)
                    report(70, TOTAL)
                    check()
                    copy = verify.inspect_store(
                        swap.pending_store(db_path), new_key, vault_uuid=keyfile.vault_uuid,
                        anchor_path=folder / store.ANCHOR_NAME, message_de=NOT_VERIFIED_DE,
                        cancelled=cancelled)
                except sqlcipher.Error as exc:
                    raise _failure(exc, check) from exc
                _compare(source, copy)
                report(90, TOTAL)
                check()
                params = kdf.with_new_salt() if kdf else keyfile.kdf.with_new_salt()
                renewed = KeyFile.wrap(keyfile.vault_uuid, keyfile.vault_code, params,
                                       passphrase, new_key)
                check()  # the last moment at which stopping leaves nothing behind
            except BaseException:
                swap.discard(db_path)
                raise
            try:
                renewed.save(folder / store.KEY_NAME)  # the commit point
            except BaseException:
                if not _key_file_is(folder, renewed):
                    swap.discard(db_path)
                raise  # committed after all: the next unlock installs the copy (swap.settle)
        finally:
            holder.close()
    finally:
        wipe(old_key)  # both keys leave memory with the work, however it ended
        if new_key is not None:
            wipe(new_key)
    with guarded():
        swap.install(db_path)
    report(95, TOTAL)
    vault = store.open_vault(folder, passphrase, clock, key_change=audit.Kind.REKEYED)
    report(TOTAL, TOTAL)
    return vault
