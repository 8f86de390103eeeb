"""Unsaved input survives a lock sealed to the vault's key, never in clear on disk."""

from __future__ import annotations

from pathlib import Path

from app import drafts
from app.session import DesktopSession
from app.vault.store import Vault
from tests.conftest import PASSPHRASE

TEXT = "Hausbesuch: Familie berichtet von Schimmel im Kinderzimmer GEHEIMVERMERK"


def test_drafts_are_sealed_at_lock_and_restored_once(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)
    session.lock({"open_cases": [3], "drafts": {"3": {"journal": {"text": TEXT}}}})
    sealed = (vault_dir / drafts.DRAFTS_NAME).read_bytes()
    assert b"GEHEIMVERMERK" not in sealed and b"Schimmel" not in sealed
    for f in vault_dir.iterdir():
        assert b"GEHEIMVERMERK" not in f.read_bytes()
    session.unlock(PASSPHRASE)
    restored = session.take_drafts()
    assert restored == {"open_cases": [3], "drafts": {"3": {"journal": {"text": TEXT}}}}
    assert session.take_drafts() is None  # taken once, then gone
    session.lock()


def test_foreign_or_altered_drafts_are_ignored(vault: Vault, vault_dir: Path) -> None:
    private, public = drafts.encryption_keys(vault)
    blob = bytearray(drafts.seal(public, {"x": 1}))
    assert drafts.unseal(private, bytes(blob)) == {"x": 1}
    blob[-1] ^= 1
    assert drafts.unseal(private, bytes(blob)) is None
    assert drafts.unseal(private, b"garbage") is None
