"""Consistent encrypted backups (SQLite backup API, never a file copy) and restore to a new vault.

A backup is a folder ``lotse-backup-<code>-<utc>-<rand>``: the encrypted store, the key file valid
at backup time, the audit anchor, and ``manifest.json`` with sizes and SHA-256 of each file plus
the audit head. It is written as ``<name>.partial`` and renamed when complete; nothing existing is
ever overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import audit
from app.clock import Clock, SystemClock
from app.errors import (
    CancelCheck,
    IntegrityFailure,
    Refused,
    UsageError,
    stop_if_cancelled,
)
from app.fsutil import check_regular, guarded, open_file, write_new
from app.progress import ProgressFn
from app.vault.keyfile import KeyFile
from app.vault.store import ANCHOR_NAME, DB_NAME, KEY_NAME, Vault, open_vault, vault_exists
from db import fileguard
from db.engine import connect_raw, fsync_dir

MANIFEST = "manifest.json"
FORMAT = "lotse-backup"
MAX_MANIFEST_BYTES = 64 * 1024
COPY_STEP_PAGES = 256  # 1 MiB per step with 4 KiB pages: a cancel is answered at once
CANCELLED_DE = "Sicherung abgebrochen – es wurde nichts geschrieben."



@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    audit_seq: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_file(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with open_file(path, "r+b") as fh:
        os.fsync(fh.fileno())


def _copy_private(source: Path, target: Path) -> None:
    """Copy a vault or backup file without following links; the copy is owner-only and new."""
    with open_file(source, "rb") as src, open_file(target, "xb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


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
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    final, partial = _new_backup_folder(target_dir, f"lotse-backup-{vault.info.vault_code}-{stamp}")
    try:
        _copy_store(vault, partial / DB_NAME, check, progress)
        check()
        _copy_private(vault.folder / KEY_NAME, partial / KEY_NAME)
        _copy_private(vault.folder / ANCHOR_NAME, partial / ANCHOR_NAME)
        files: dict[str, dict[str, int | str]] = {}
        for fname in (DB_NAME, KEY_NAME, ANCHOR_NAME):
            _fsync_file(partial / fname)
            files[fname] = {"size": (partial / fname).stat().st_size,
                            "sha256": _sha256(partial / fname)}
        check()
        head = vault.anchor.last()
        manifest = {
            "format": FORMAT, "version": 1, "vault_uuid": vault.info.vault_uuid,
            "vault_code": vault.info.vault_code, "created_at": clock.now().isoformat(),
            "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
            "files": files,
        }
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        write_new(partial / MANIFEST, data)
        write_new(partial / (MANIFEST + ".sha256"), (hashlib.sha256(data).hexdigest() + "\n"
                                                     ).encode())
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
                progress: ProgressFn | None) -> None:
    key = vault.data_key()
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
    finally:
        dest.close()


def read_manifest(backup_dir: Path) -> dict[str, object]:
    path = backup_dir / MANIFEST
    if backup_dir.name.endswith(".partial") or not check_regular(path):
        raise Refused("Dieser Ordner ist keine vollständige Lotse-Sicherung.",
                      f"{backup_dir} is not a complete backup")
    with open_file(path, "rb") as fh:
        raw = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise Refused("Die Sicherung ist beschädigt.", "manifest too large")
    with open_file(backup_dir / (MANIFEST + ".sha256"), "rb") as fh:
        expected = fh.read(200).decode("ascii", "replace").strip()
    if hashlib.sha256(raw).hexdigest() != expected:
        raise IntegrityFailure("Die Sicherung ist beschädigt (Prüfsumme).", "manifest checksum")
    doc = json.loads(raw)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Refused("Dieser Ordner ist keine Lotse-Sicherung.", "not a Lotse backup manifest")
    files = doc.get("files")
    if not isinstance(files, dict) or set(files) != {DB_NAME, KEY_NAME, ANCHOR_NAME}:
        raise Refused("Die Sicherung ist unvollständig.", "manifest lists unexpected files")
    for fname, meta in files.items():
        f = backup_dir / fname
        if (not check_regular(f) or f.stat().st_size != meta["size"]
                or _sha256(f) != meta["sha256"]):
            raise IntegrityFailure("Die Sicherung ist beschädigt.", f"{fname} checksum mismatch")
    return doc


def restore(backup_dir: Path, new_vault: Path, passphrase: str,
            clock: Clock | None = None) -> Vault:
    """Create a new vault folder from a verified backup; opens with the backup-time passphrase."""
    clock = clock or SystemClock()
    read_manifest(backup_dir)
    KeyFile.load(backup_dir / KEY_NAME).unwrap(passphrase)  # refuse before writing anything
    if vault_exists(new_vault):
        raise UsageError("Im Zielordner liegt bereits ein Tresor; er wird nicht überschrieben.",
                         f"a vault already exists in {new_vault}")
    with guarded():
        fileguard.make_private_dir(new_vault)
    partial = new_vault / (DB_NAME + ".partial")
    _copy_private(backup_dir / DB_NAME, partial)
    _copy_private(backup_dir / ANCHOR_NAME, new_vault / ANCHOR_NAME)
    os.rename(partial, new_vault / DB_NAME)
    # The key file last, as at creation: until it exists, no half-restored vault can be opened.
    _copy_private(backup_dir / KEY_NAME, new_vault / KEY_NAME)
    fsync_dir(new_vault)
    vault = open_vault(new_vault, passphrase, clock, restored=True)
    with vault.session() as s:
        audit.record(s, audit.Kind.RESTORED, "vault", vault.info.vault_uuid)
    return vault
