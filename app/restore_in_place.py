"""Restore a backup over the open vault, for the desktop: verify first, replace after the lock.

1. ``prepare_replacement`` restores the backup into a new folder beside the vault
   (``<vault>.restore-<random>``) with every check of ``app.restore.restore`` (key, MAC,
   hashes, every page, audit chain). A forged or damaged backup is refused there and nothing
   beside the vault changes: the vault's own files are never touched in this step.
2. After the desktop locked (its lock on the vault released), ``swap_in`` moves the old vault
   aside (``<vault>.replaced-<UTC>``, kept: nothing is deleted) and the restored one into its
   place. The next unlock opens it with the passphrase that was valid at backup time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from app.errors import CancelCheck, UsageError, stop_if_cancelled
from app.progress import ProgressFn
from app.restore import CANCELLED_DE, restore
from app.vault.access import hold
from db.engine import fsync_dir

SWAP_WAIT_SECONDS = 5.0


def prepare_replacement(backup_dir: Path, vault_folder: Path, passphrase: str,
                        cancelled: CancelCheck | None = None,
                        progress: ProgressFn | None = None) -> Path:
    """The verified restored vault in a folder beside ``vault_folder``; returns that folder.
    ``progress`` and ``cancelled`` as in ``app.restore.restore``; a cancel leaves nothing
    beside the vault."""
    stop_if_cancelled(cancelled, CANCELLED_DE, "restore cancelled by the user")
    target = vault_folder.with_name(f"{vault_folder.name}.restore-{secrets.token_hex(4)}")
    # removes its own work on failure or cancel
    restored = restore(backup_dir, target, passphrase, progress=progress, cancelled=cancelled)
    restored.lock()
    try:
        stop_if_cancelled(cancelled, CANCELLED_DE, "restore cancelled by the user")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def discard_replacement(restored: Path) -> None:
    """A prepared replacement that will not be used (the swap was refused)."""
    shutil.rmtree(restored, ignore_errors=True)


def swap_in(vault_folder: Path, restored: Path) -> Path:
    """Put the restored vault in place of the closed one; returns where the old one now lies.

    Refused (exit 5, German message) while another Lotse program has the vault open.
    """
    hold(vault_folder, exclusive=True, wait=SWAP_WAIT_SECONDS).release()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = vault_folder.with_name(f"{vault_folder.name}.replaced-{stamp}")
    try:
        os.rename(vault_folder, aside)
    except OSError as exc:
        raise UsageError("Der bisherige Tresor konnte nicht beiseitegelegt werden; es wurde "
                         "nichts ersetzt.", f"could not move {vault_folder} aside: {exc}") from exc
    try:
        os.rename(restored, vault_folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.rename(aside, vault_folder)
        raise UsageError("Die Sicherung konnte nicht an die Stelle des Tresors gelegt werden; "
                         "der bisherige Tresor ist unverändert.",
                         f"could not move {restored} to {vault_folder}: {exc}") from exc
    fsync_dir(vault_folder.parent)
    return aside
