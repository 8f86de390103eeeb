"""Swapping the store for a re-encrypted copy (``lotse rekey``), crash-safe at every moment.

Two files change: the store and the key file. The protocol has one commit point, the atomic
replace of the key file, and the data key decides everything afterwards:

1. ``lotse.db.rekey`` is written, verified and synced (new data key); the old store is untouched.
2. Commit point: ``lotse.key`` is replaced by a key file wrapping the *new* data key.
3. The old store's sidecars are removed and ``lotse.db.rekey`` is renamed onto ``lotse.db``.

Every step, and everything here, runs under the exclusive vault lock (``app.vault.access``): a
rekey holds it from before step 1 until step 3 is done, and no other process has the vault
open meanwhile. So a copy that someone else finds under that lock belongs to a rekey that died,
and the files tell which step it reached (``settle``): if ``lotse.db`` opens with the unwrapped
key, the rekey never committed and the copy is removed; if it does not, but the copy does, the
rekey committed and step 3 is finished. The two keys are independent random keys, so exactly one
file opens.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.fsutil import replace
from db import fileguard
from db.engine import SIDECARS, connect_raw, fsync_dir
from db.errors import StoreError
from db.keybuffer import KeyBytes
from db.vault_lock import VaultLock

PENDING_SUFFIX = ".rekey"


def pending_store(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + PENDING_SUFFIX)


def _opens_with(path: Path, key: KeyBytes) -> bool:
    """Whether ``key`` decrypts ``path`` as a Lotse store (read-only; nothing is written)."""
    try:
        conn = connect_raw(path, key)
    except StoreError:
        return False
    conn.close()
    return True


def _remove(path: Path) -> None:
    """Remove a leftover; a link in its place is removed itself, never followed."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def discard(db_path: Path, access: VaultLock) -> None:
    """Remove an uncommitted re-encrypted copy and its sidecars (idempotent)."""
    access.require_exclusive()
    pending = pending_store(db_path)
    for suffix in SIDECARS:
        _remove(Path(str(pending) + suffix))
    _remove(pending)
    fsync_dir(db_path.parent)


def install(db_path: Path, access: VaultLock) -> None:
    """Step 3: put the committed copy in place of the store (idempotent).

    The old store's WAL must never be replayed onto the new file, so its sidecars go first.
    """
    access.require_exclusive()
    pending = pending_store(db_path)
    if not fileguard.check_regular(pending):
        return  # already installed (by us before a crash, or by another process)
    for suffix in SIDECARS:
        _remove(Path(str(db_path) + suffix))
    for suffix in SIDECARS:  # the copy was closed cleanly; anything here is stale
        _remove(Path(str(pending) + suffix))
    replace(pending, db_path)  # an antivirus scanning the copy holds it briefly on Windows
    fsync_dir(db_path.parent)


def settle(db_path: Path, data_key: KeyBytes, access: VaultLock) -> bool:
    """Finish or roll back an interrupted rekey; True if a committed one was finished now.

    Called right after the key file was unwrapped, before the store is used. When nothing is
    pending, nothing is read or written.
    """
    access.require_exclusive()
    pending = pending_store(db_path)
    if not fileguard.exists(pending):
        return False
    fileguard.check_regular(pending)  # a planted link is refused, not followed or replaced
    fileguard.check_regular(db_path)
    if _opens_with(db_path, data_key):
        discard(db_path, access)  # never committed: the key file still wraps the old key
        return False
    if _opens_with(pending, data_key):
        install(db_path, access)  # committed: the key file wraps the new key
        return True
    return False  # neither opens (a foreign key file): leave everything for the refusal
