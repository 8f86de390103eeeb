"""Restore a backup into a new vault folder, declared done only after everything was verified.

Order: unwrap the backup's key file with the backup-time passphrase, authenticate the manifest
and the files' hashes (``app.backup_format``); copy the files into ``<target>.partial-<random>``
beside the target; check the copies' hashes again (the share may change under us), read every
page of the store (``cipher_integrity_check``, ``integrity_check``), check it is the key file's
vault, verify the audit chain against the backup's anchor and compare its head with the
manifest's; switch the copy to WAL like every store; then rename the folder to the target and
record the restore in the audit log. Anything failing removes the temporary folder: the target
is left as it was (absent, or the same empty folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from app import audit
from app.backup_format import BACKUP_FILES, FORGED_DE, OpenedBackup, open_backup
from app.clock import Clock, SystemClock
from app.errors import CancelCheck, IntegrityFailure, UsageError, stop_if_cancelled
from app.fsutil import fsync_file, guarded, open_file
from app.progress import ProgressFn
from app.vault import verify
from app.vault.anchor import AnchorFile
from app.vault.memory import wipe
from app.vault.store import ANCHOR_NAME, DB_NAME, Vault, open_vault, vault_exists
from db import fileguard
from db.engine import connect_raw, enable_writes, fsync_dir

CHUNK = 1 << 20  # 1 MiB between two progress reports / cancel questions
CANCELLED_DE = "Wiederherstellung abgebrochen; der Tresor ist unverändert."
VERIFY_STEPS = 4  # after copying and re-hashing: pages, audit chain, WAL switch, in place


def copy_private(source: Path, target: Path,
                 step: Callable[[int], None] | None = None) -> None:
    """Copy a vault or backup file without following links; the copy is owner-only and new.
    ``step(n)`` hears about every chunk of ``n`` bytes written (progress, and a cancel)."""
    with open_file(source, "rb") as src, open_file(target, "xb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
            if step is not None:
                step(len(chunk))
        dst.flush()
        os.fsync(dst.fileno())


def _hash_file(path: Path, step: Callable[[int], None]) -> str:
    digest = hashlib.sha256()
    with open_file(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            step(len(chunk))
    return digest.hexdigest()


def _never() -> bool:
    return False


class _Meter:
    """Progress of one restore in one unit: bytes copied, bytes re-hashed, then a share of
    the store's size per verification step, so the bar moves evenly to ``total``."""

    def __init__(self, size: int, progress: ProgressFn | None,
                 cancelled: CancelCheck | None) -> None:
        self.size = max(size, 1)
        self.total = 2 * self.size + VERIFY_STEPS * self.size // 2
        self.done = 0
        self._progress = progress
        self.cancelled = cancelled

    def check(self) -> None:
        stop_if_cancelled(self.cancelled, CANCELLED_DE, "restore cancelled by the user")

    def advance(self, n: int) -> None:
        self.done = min(self.done + n, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)
        self.check()

    def verify_step(self) -> None:
        self.advance(self.size // 2)

    def finish(self) -> None:
        """In place: the end of the bar, and no cancel question any more (too late)."""
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)


def _check_target(target: Path) -> bool:
    """The target must be absent or an empty folder; returns whether it exists."""
    if not fileguard.exists(target):
        return False
    if not target.is_symlink() and target.is_dir() and vault_exists(target):
        raise UsageError("Im Zielordner liegt bereits ein Tresor; er wird nicht überschrieben.",
                         f"a vault already exists in {target}")
    if target.is_symlink() or not target.is_dir() or any(target.iterdir()):
        raise UsageError("Das Ziel muss ein neuer oder leerer Ordner sein.",
                         f"{target} is not an empty folder")
    return True


def _staging_folder(target: Path) -> Path:
    for _ in range(20):
        staging = target.with_name(f"{target.name}.partial-{secrets.token_hex(4)}")
        try:
            staging.mkdir(mode=fileguard.DIR_MODE)
        except FileExistsError:
            continue
        fileguard.tighten(staging)
        return staging
    raise UsageError("Neben dem Zielordner konnte kein Arbeitsordner angelegt werden.",
                     f"no free temporary folder name beside {target}")


def _verify_copy(found: OpenedBackup, staging: Path, meter: _Meter) -> None:
    files = found.manifest["files"]
    for fname in BACKUP_FILES:
        if _hash_file(staging / fname, meter.advance) != files[fname]["sha256"]:
            raise IntegrityFailure(FORGED_DE, f"{fname} changed while it was copied")
    try:
        # Reading every page is one statement; a cancel interrupts it (SQLite's progress
        # handler asks ``cancelled``), it cannot report how far it got.
        facts = verify.inspect_store(staging / DB_NAME, found.data_key,
                                     vault_uuid=found.keyfile.vault_uuid,
                                     anchor_path=staging / ANCHOR_NAME, message_de=FORGED_DE,
                                     cancelled=meter.cancelled or _never)
    except sqlcipher.OperationalError as exc:  # only an interrupt gets here
        meter.check()
        # Not our cancel: an exception in the progress handler, i.e. Ctrl+C while the pages
        # were read. The driver swallows it; without this it would read as a forged backup.
        raise KeyboardInterrupt from exc
    meter.verify_step()  # pages read
    anchored = AnchorFile(staging / ANCHOR_NAME).last()
    if not (facts.audit_head == found.audit_head == anchored):
        raise IntegrityFailure(FORGED_DE, "audit head of the store, the anchor and the manifest "
                               "differ")
    meter.verify_step()  # audit chain and heads agree
    conn = connect_raw(staging / DB_NAME, found.data_key)
    try:
        enable_writes(conn)
        conn.execute("PRAGMA journal_mode = WAL")  # a backup is a single file; a store is WAL
    finally:
        conn.close()
    fsync_file(staging / DB_NAME)  # durable before the folder is renamed into place
    meter.verify_step()  # a store like every other


def _put_in_place(staging: Path, target: Path, existed: bool, *,
                  onto_folder: bool = os.name != "nt") -> None:
    """Rename the verified copy to the target. POSIX renames onto an empty folder in one step;
    Windows only onto nothing (``onto_folder=False``), so an existing target is moved aside
    first and moved back if the rename fails: the target is left exactly as it was."""
    aside: Path | None = None
    try:
        if existed and not onto_folder:
            aside = target.with_name(f"{target.name}.old-{secrets.token_hex(4)}")
            os.rename(target, aside)
        os.rename(staging, target)
    except OSError as exc:
        if aside is not None:
            with contextlib.suppress(OSError):
                os.rename(aside, target)
        raise UsageError("Der Zielordner ist nicht mehr leer; es wurde nichts wiederhergestellt.",
                         f"could not move the restored vault to {target}: {exc}") from exc
    if aside is not None:
        with contextlib.suppress(OSError):
            aside.rmdir()
    fsync_dir(target.parent)


def restore(backup_dir: Path, new_vault: Path, passphrase: str, clock: Clock | None = None,
            *, accept_unauthenticated: bool = False, progress: ProgressFn | None = None,
            cancelled: CancelCheck | None = None) -> Vault:
    """Create a new vault folder from a verified backup; opens with the backup-time passphrase.

    ``accept_unauthenticated`` admits a version-1 backup (no MAC) after the same verification.
    ``progress(done, total)`` hears about bytes copied and re-hashed and the verification
    steps; ``cancelled()`` is asked between chunks and steps (and during the page check).
    Until the rename a cancel (``Cancelled``), an error or a KeyboardInterrupt removes the
    staging folder: the target and the backup are left as they were.
    """
    clock = clock or SystemClock()
    stop_if_cancelled(cancelled, CANCELLED_DE, "restore cancelled by the user")
    found = open_backup(backup_dir, passphrase, accept_unauthenticated=accept_unauthenticated)
    try:
        size = sum(int(found.manifest["files"][f]["size"]) for f in BACKUP_FILES)
        meter = _Meter(size, progress, cancelled)
        return _restore_opened(found, backup_dir, new_vault, passphrase, clock, meter)
    finally:
        wipe(found.data_key)  # the backup's key leaves memory with the restore


def _restore_opened(found: OpenedBackup, backup_dir: Path, new_vault: Path, passphrase: str,
                    clock: Clock, meter: _Meter) -> Vault:
    with guarded():
        existed = _check_target(new_vault)
        new_vault.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_folder(new_vault)
    placed = False
    try:
        with guarded():
            for fname in BACKUP_FILES:
                copy_private(backup_dir / fname, staging / fname, meter.advance)
            fsync_dir(staging)
            _verify_copy(found, staging, meter)
            meter.check()  # the last moment at which stopping leaves nothing behind
            _put_in_place(staging, new_vault, existed)
        placed = True
        meter.finish()
        vault = open_vault(new_vault, passphrase, clock, restored=True)
        try:
            with vault.session() as s:
                audit.record(s, audit.Kind.RESTORED, "vault", vault.info.vault_uuid,
                             backup_format=found.manifest["version"],
                             authenticated=found.authenticated)
        except BaseException:
            vault.lock()
            raise
        return vault
    except BaseException:
        if placed:  # only opening or auditing failed: take the restored folder back out
            with contextlib.suppress(OSError):
                os.rename(new_vault, staging)
                if existed:
                    new_vault.mkdir(mode=fileguard.DIR_MODE)
        shutil.rmtree(staging, ignore_errors=True)
        raise
