"""``lotse rekey``: a new random data key, the store re-encrypted under it, a new key file.

What it protects against: ``passwd`` only re-wraps the data key, so a key file copied earlier
(every backup holds one) still opens the store with the passphrase valid then. After a rekey
no earlier key file opens the current store, whatever passphrase goes with it. What it does
not do: copies taken before (backups, a copied ``lotse.db``) stay readable with their own key
file and passphrase, and the old store's bytes may linger on the disk. The vault's identity
(vault uuid and code, device keys, audit chain and anchor) is kept.

Steps: unwrap (the passphrase is right); close our connections (``release``); take the vault
lock exclusively, or refuse while another process has the vault open (its pooled connections
would keep writing to the old file); check the store and refuse during an anchor alarm;
checkpoint the WAL; ``sqlcipher_export`` into ``lotse.db.rekey`` under the new key; verify that
copy page by page against the store (row counts, audit head, chain against the anchor); wrap
the new key; replace the key file (the commit point); install the copy (``app.vault.swap``);
open the vault under the new key, still holding the lock, then lower it to shared. A cancel or
failure before the commit point removes the copy and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from app import anchoring, audit, faults
from app.clock import Clock, SystemClock
from app.errors import (
    CancelCheck,
    IntegrityFailure,
    StorageFailure,
    VaultBusy,
    stop_if_cancelled,
)
from app.fsutil import fsync_file, guarded, read_limited
from app.progress import ProgressFn
from app.vault import access, store, swap, verify
from app.vault.anchor import AnchorFile
from app.vault.kdf import KdfParams
from app.vault.key_change import KeyChange, open_after_commit, postponed
from app.vault.keyfile import MAX_KEYFILE_BYTES, KeyFile
from app.vault.memory import random_key, wipe
from db.engine import WAITING, connect_raw, enable_writes, fsync_dir
from db.keybuffer import KeyBytes, raw_key_literal
from db.vault_lock import VaultLock

NOT_RENEWED_DE = "Datenschlüssel nicht erneuert – der Tresor ist unverändert."
NOT_VERIFIED_DE = ("Die neu verschlüsselte Kopie des Tresors ließ sich nicht bestätigen. Der "
                   "Tresor bleibt unverändert mit dem bisherigen Schlüssel.")
ALARM_DE = ("Prüfanker-Alarm: {problem} Solange der Alarm besteht, wird der Datenschlüssel "
            "nicht erneuert; der Tresor ist unverändert.")
TOTAL = 100  # progress is reported in percent: export 10-70, verification 70-90
# Waiting for the exclusive lock: long enough for a CLI command to finish, while a desktop
# that has the vault open would not let go within any wait.
ALONE_WAIT_SECONDS = 5.0


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


def _hold_alone(folder: Path) -> VaultLock:
    """The vault lock exclusively: no other process has the vault open until we let go."""
    try:
        return access.hold(folder, exclusive=True,
                           wait=min(WAITING.seconds, ALONE_WAIT_SECONDS))
    except VaultBusy:
        raise faults.vault_open_elsewhere() from None


def _checkpointed(db_path: Path, key: KeyBytes) -> Any:
    """A connection that checkpointed the WAL into the store and holds its write lock, so the
    copy is made from the store file alone. (No other Lotse process has the vault open: we
    hold the vault lock exclusively.)"""
    conn = connect_raw(db_path, key)
    try:
        enable_writes(conn)
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise faults.vault_busy()
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher.Error as exc:
        conn.close()
        error = faults.domain_error(exc)
        if error is None:
            raise
        raise error from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _refuse_during_alarm(folder: Path, key: KeyBytes) -> None:
    """Store and anchor disagree: say so, rather than let the copy's verification against the
    anchor fail and blame the copy. Read-only: a refusal changes no byte."""
    conn = connect_raw(folder / store.DB_NAME, key)

    def run(sql: str, params: tuple[Any, ...]) -> list[Any]:
        return list(conn.execute(sql, params).fetchall())

    try:
        status = anchoring.assess(run, AnchorFile(folder / store.ANCHOR_NAME))
    finally:
        conn.close()
    if not status.ok:
        raise IntegrityFailure(ALARM_DE.format(problem=status.problem_de),
                               f"audit anchor alarm: {status.problem_en}; the data key was not "
                               "renewed (see `lotse check`, then `lotse audit --reanchor`)")


def _failure(exc: sqlcipher.Error, check: Callable[[], None]) -> BaseException:
    if "interrupt" in str(exc):
        check()  # a cancel: raises Cancelled
    error = faults.domain_error(exc)
    if isinstance(error, StorageFailure | VaultBusy):
        return error
    return IntegrityFailure(NOT_VERIFIED_DE, f"rekey: store could not be exported ({exc})")


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
    fsync_file(pending)
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
          release: Callable[[], None] | None = None) -> KeyChange:
    """Renew the data key of the vault in ``folder``; the result holds the vault opened under it
    (the caller locks it), or says why the audit entry follows at the next unlock.

    ``release`` is called once the passphrase is known to be right, before the store is
    copied: the desktop closes its own vault there. ``cancelled()`` is honoured up to the
    commit point. The key file keeps its Argon2id cost (``kdf`` overrides, e.g. tests).
    """
    clock = clock or SystemClock()
    report = progress or _no_progress
    cancelled = _sticky(cancelled)

    def check() -> None:
        stop_if_cancelled(cancelled, NOT_RENEWED_DE, "rekey cancelled by the user")

    check()
    report(0, TOTAL)
    keyfile, old_key = access.unlock_key(folder, passphrase, clock)
    db_path = folder / store.DB_NAME
    new_key: bytearray | None = None
    alone: VaultLock | None = None
    try:
        check()
        if release is not None:
            release()
        alone = _hold_alone(folder)
        keyfile, old_key = access.current_key(folder, passphrase, clock, keyfile, old_key)
        with guarded():
            swap.settle(db_path, old_key, alone)  # a rekey that died before us
            swap.discard(db_path, alone)  # sidecars of a copy whose file is already gone
        store.verify_store(db_path, old_key, keyfile.vault_uuid)
        _refuse_during_alarm(folder, old_key)
        check()
        report(5, TOTAL)
        holder = _checkpointed(db_path, old_key)
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
                report(93, TOTAL)  # wrapped: a key derivation, about a second
                check()  # the last moment at which stopping leaves nothing behind
            except BaseException:
                swap.discard(db_path, alone)
                raise
            try:
                renewed.save(folder / store.KEY_NAME)  # the commit point
            except BaseException:
                if not _key_file_is(folder, renewed):
                    swap.discard(db_path, alone)
                raise  # committed after all: the next unlock installs the copy (swap.settle)
        finally:
            holder.close()
    except BaseException:
        if alone is not None:
            alone.release()
        raise
    finally:
        wipe(old_key)  # both keys leave memory with the work, however it ended
        if new_key is not None:
            wipe(new_key)
    return _after_commit(folder, passphrase, clock, alone, report)


def _after_commit(folder: Path, passphrase: str, clock: Clock, alone: VaultLock,
                  report: ProgressFn) -> KeyChange:
    """Install the copy and open the vault, still alone in it (so no other process can hold
    the write lock the unlock's audit entry needs). The key is renewed whatever happens here: a
    failing disk only postpones the copy's installation and the audit entry to the next unlock.
    """
    try:
        with guarded():
            swap.install(folder / store.DB_NAME, alone)
    except Exception as exc:
        alone.release()
        deferred = postponed(exc)
        if deferred is None:
            raise
        return KeyChange(None, deferred)
    report(95, TOTAL)
    change = open_after_commit(folder, passphrase, clock, audit.Kind.REKEYED, alone)
    report(TOTAL, TOTAL)
    return change
