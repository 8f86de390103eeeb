"""Consistent encrypted backups (SQLite backup API, never a file copy); restore is
``app.restore``, the folder format and its authentication ``app.backup_format``.

A backup is written as ``<name>.partial`` and renamed when complete; nothing existing is ever
overwritten.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import audit
from app.backup_anchor import anchor_for_copy, refuse_under_alarm
from app.backup_format import (
    BACKUP_FILES,
    FORMAT,
    MAC_FILE,
    MANIFEST,
    VERSION,
    manifest_bytes,
    manifest_mac,
    read_manifest,
    sha256_file,
)
from app.clock import Clock
from app.errors import CancelCheck, UsageError, stop_if_cancelled
from app.fsutil import fsync_file, write_new
from app.progress import ProgressFn
from app.restore import copy_private, restore
from app.services.audit.read import anchor_status
from app.vault.store import ANCHOR_NAME, DB_NAME, KEY_NAME, Vault
from db import fileguard
from db.engine import connect_raw, fsync_dir

__all__ = ["CANCELLED_DE", "BackupResult", "backup", "read_manifest", "restore"]

COPY_STEP_PAGES = 256  # 1 MiB per step with 4 KiB pages: a cancel is answered at once
CANCELLED_DE = "Sicherung abgebrochen – es wurde nichts geschrieben."



@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    audit_seq: int


def _new_backup_folder(target_dir: Path, stem: str) -> tuple[Path, Path]:
    """A fresh ``.partial`` folder whose final name is free too (two backups in one second)."""
    for _ in range(20):
        name = f"{stem}-{secrets.token_hex(4)}"
        final, partial = target_dir / name, target_dir / (name + ".partial")
        if fileguard.exists(final):
            continue
        try:
            partial.mkdir(mode=fileguard.DIR_MODE)
        except FileExistsError:
            continue
        return final, partial
    raise UsageError("Im Sicherungsordner konnte kein neuer Name vergeben werden.",
                     f"no free backup name in {target_dir}")


def backup(vault: Vault, target_dir: Path, clock: Clock | None = None, *,
           progress: ProgressFn | None = None, cancelled: CancelCheck | None = None
           ) -> BackupResult:
    """Write a complete backup into ``target_dir``.

    ``progress(done, total)`` hears about copied pages; ``cancelled()`` is asked between steps
    and between page batches. Until the final rename a cancel or error removes the
    ``.partial`` folder and writes nothing else, not even the audit entry.
    """
    clock = clock or vault.clock

    def check() -> None:
        stop_if_cancelled(cancelled, CANCELLED_DE, "backup cancelled by the user")

    check()
    if not target_dir.is_dir():
        raise UsageError("Der Sicherungsordner existiert nicht.", f"no such folder: {target_dir}")
    refuse_under_alarm(anchor_status(vault))  # such a backup could not be restored
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    final, partial = _new_backup_folder(target_dir, f"lotse-backup-{vault.info.vault_code}-{stamp}")
    try:
        head, anchor = _copy_store(vault, partial / DB_NAME, check, progress)
        check()
        copy_private(vault.folder / KEY_NAME, partial / KEY_NAME)
        write_new(partial / ANCHOR_NAME, anchor)
        files: dict[str, dict[str, int | str]] = {}
        for fname in BACKUP_FILES:
            fsync_file(partial / fname)
            files[fname] = {"size": (partial / fname).stat().st_size,
                            "sha256": sha256_file(partial / fname)}
        check()
        manifest = {
            "format": FORMAT, "version": VERSION, "vault_uuid": vault.info.vault_uuid,
            "vault_code": vault.info.vault_code, "created_at": clock.now().isoformat(),
            "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
            "files": files,
            "mac": {"algorithm": "hmac-sha256", "key": "hkdf-sha256"},
        }
        data = manifest_bytes(manifest)
        write_new(partial / MANIFEST, data)
        with vault.raw_key() as key:
            mac = manifest_mac(key, vault.info.vault_uuid, data)
        write_new(partial / MAC_FILE, (mac + "\n").encode())
        fsync_dir(partial)
        check()  # the last moment at which stopping leaves nothing behind
        if final.exists():
            raise UsageError("Eine Sicherung gleichen Namens existiert bereits.", f"{final} exists")
        os.rename(partial, final)
        fsync_dir(target_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    # Audited once the backup exists: a cancelled or failed attempt leaves no "backup" entry
    # (the Heute reminder and "last backup" read it).
    with vault.session(immediate=True) as s:
        seq = audit.record(s, audit.Kind.BACKUP, "vault", vault.info.vault_uuid)
    size = sum(int(f["size"]) for f in files.values())  # noqa: RUF100
    return BackupResult(final, size, seq)


def _copy_store(vault: Vault, target: Path, check: Callable[[], None],
                progress: ProgressFn | None) -> tuple[tuple[int, str] | None, bytes]:
    """Copy the store page by page; returns the copy's last audit entry (seq, hash) and the
    anchor for the copy (``app.backup_anchor``: refused if they disagree)."""
    with vault.raw_key() as key:
        dest = connect_raw(target, key, create=True)

    def step(_status: int, remaining: int, total: int) -> None:
        check()  # raising here makes SQLite abandon the copy
        if progress is not None:
            progress(total - remaining, total)

    try:
        dest.execute("PRAGMA query_only = OFF")
        with vault.engine.connect() as conn:
            source = conn.connection.dbapi_connection
            source.backup(dest, pages=COPY_STEP_PAGES, progress=step)  # type: ignore[union-attr]
        # A single-file copy is what a restore needs: leave WAL mode in the copy.
        dest.execute("PRAGMA journal_mode = DELETE")
        row = dest.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        anchor = anchor_for_copy(vault.anchor, dest)
    finally:
        dest.close()
    return (None if row is None else (int(row[0]), str(row[1]))), anchor
