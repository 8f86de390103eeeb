"""Unsaved input kept safe while the vault is locked.

At lock the desktop hands its drafts here; they are sealed to the vault's own X25519 public key
(ephemeral key agreement, HKDF-SHA256, AES-256-GCM) and written next to the vault. Only the
unlocked vault's private key opens them again, so a locked laptop shows and stores nothing
readable, and a crash while locked loses nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from app.fsutil import read_limited, write_atomic
from app.vault.store import DRAFTS_NAME, Vault
from db.models import DeviceIdentity

MAGIC = b"LOTSE-DRAFTS-1\n"
INFO = b"lotse drafts v1"
MAX_BYTES = 16 * 1024 * 1024


def _kek(shared: bytes, ephemeral_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public, info=INFO
                ).derive(shared)


def encryption_keys(vault: Vault) -> tuple[bytes, bytes]:
    """The vault's (private, public) X25519 key pair; the private part never leaves memory."""
    with vault.session() as s:
        ident = s.execute(select(DeviceIdentity).order_by(DeviceIdentity.id)).scalars().first()
        if ident is None:
            raise RuntimeError("vault has no device identity")
        return bytes(ident.encryption_private), bytes(ident.encryption_public)


def seal(public_key: bytes, drafts: dict[str, Any]) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key)), eph_pub)
    nonce = os.urandom(12)
    body = json.dumps(drafts, ensure_ascii=False, default=str).encode()
    return MAGIC + eph_pub + nonce + AESGCM(key).encrypt(nonce, body, MAGIC + eph_pub)


def unseal(private_key: bytes, blob: bytes) -> dict[str, Any] | None:
    """The drafts, or None when the blob is not ours or was altered (it is then ignored)."""
    if not blob.startswith(MAGIC) or len(blob) > MAX_BYTES:
        return None
    rest = blob[len(MAGIC):]
    eph_pub, nonce, ciphertext = rest[:32], rest[32:44], rest[44:]
    try:
        shared = X25519PrivateKey.from_private_bytes(private_key).exchange(
            X25519PublicKey.from_public_bytes(eph_pub))
        body = AESGCM(_kek(shared, eph_pub)).decrypt(nonce, ciphertext, MAGIC + eph_pub)
        data = json.loads(body)
    except (InvalidTag, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store_drafts(folder: Path, public_key: bytes, drafts: dict[str, Any]) -> None:
    write_atomic(folder / DRAFTS_NAME, seal(public_key, drafts))


def take_drafts(folder: Path, private_key: bytes) -> dict[str, Any] | None:
    """Read and remove the sealed drafts (if any)."""
    path = folder / DRAFTS_NAME
    blob = read_limited(path, MAX_BYTES)
    if blob is None:
        return None
    drafts = unseal(private_key, blob)
    path.unlink(missing_ok=True)
    return drafts
