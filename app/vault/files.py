"""The files of a vault folder, by name (``app.vault.store`` describes what each holds)."""

from __future__ import annotations

from db.engine import SIDECARS

DB_NAME = "lotse.db"
KEY_NAME = "lotse.key"
ANCHOR_NAME = "audit.anchor"
THROTTLE_NAME = "unlock.throttle"
DRAFTS_NAME = "drafts.sealed"
LOCK_NAME = "lotse.lock"  # empty; locked by the OS while a process uses the vault (never copied)
# Every file a vault folder may hold (the store's SQLite sidecars included).
VAULT_FILES = (KEY_NAME, DB_NAME, *(DB_NAME + s for s in SIDECARS), ANCHOR_NAME, THROTTLE_NAME,
               DRAFTS_NAME, LOCK_NAME)
# The throttle file looks after itself: damage there never blocks an unlock (vault.throttle).
CHECKED_FILES = tuple(name for name in VAULT_FILES if name != THROTTLE_NAME)
