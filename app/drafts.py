"""Unsaved input kept safe while the vault is locked.

At lock the desktop hands its drafts here; they are sealed to a key pair the vault keeps for
drafts alone (X25519 with an ephemeral key, HKDF-SHA256, AES-256-GCM) and written next to the
vault. The pair lives only in ``vault_meta`` inside the encrypted store and never travels: the
device encryption key is published on key cards, and anyone holding a public key that opens
drafts could plant input the person then saves as their own.

Each unlock chooses the random id the next lock seals under and records it in the store, in the
transaction that takes the last lock's drafts; the public key and that id stay in memory
(``Sealer``). So a lock writes only the sealed file, never the store: another process writing
meanwhile can neither hold the lock up nor make it lose the input. The file names its vault and
lock id in a header that the encryption authenticates, and both go into the HKDF info. At unlock
a file from another vault, from an earlier lock (a copy put back) or one that was altered is
refused, removed and audited; the person is told.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import delete, select

from app import audit
from app.errors import LotseError
from app.fsutil import read_limited, write_atomic
from app.vault.memory import wipe, wipe_bytes, wipe_str
from app.vault.store import DRAFTS_NAME, Vault
from db.models import VaultMeta
from db.sync import LotseSession

MAGIC = b"LOTSE-DRAFTS-2\n"
OLD_MAGIC = b"LOTSE-DRAFTS-1\n"  # sealed to the device key: plantable, never opened again
INFO = b"lotse drafts v2"
MAX_BYTES = 16 * 1024 * 1024
PRIVATE_KEY, PUBLIC_KEY, LOCK_ID = "drafts_private_key", "drafts_public_key", "drafts_lock_id"
_ID = re.compile(rb"[0-9a-f]{32}")
# Header: magic, vault uuid (32 hex), lock id (32 hex), ephemeral public key, nonce.
_HEADER = len(MAGIC) + 32 + 32 + 32 + 12

FOREIGN, OLDER, DAMAGED, UNREADABLE = "foreign", "older", "damaged", "unreadable"
NOTES_DE = {
    FOREIGN: "Eine Datei mit gesicherten Eingaben gehörte zu einem anderen Tresor und wurde "
             "verworfen. Bitte lassen Sie prüfen, wer den Tresorordner verändert hat.",
    OLDER: "Eine ältere Datei mit gesicherten Eingaben (nicht von der letzten Sperre) wurde "
           "verworfen. Bitte lassen Sie prüfen, wer den Tresorordner verändert hat.",
    DAMAGED: "Eine beschädigte oder veränderte Datei mit gesicherten Eingaben wurde verworfen.",
    UNREADABLE: "Die Datei mit gesicherten Eingaben ist keine gewöhnliche Datei und wurde nicht "
                "verwendet. Bitte lassen Sie den Tresorordner prüfen.",
}


@dataclass(frozen=True)
class TakenDrafts:
    """What unlocking found: the restored state, or why a drafts file was refused."""

    state: dict[str, Any] | None = None
    refused: str | None = None  # FOREIGN, OLDER, DAMAGED or UNREADABLE

    @property
    def note_de(self) -> str | None:
        return NOTES_DE[self.refused] if self.refused else None


def _meta(s: LotseSession, key: str) -> str | None:
    return s.execute(select(VaultMeta.value).where(VaultMeta.key == key)).scalar_one_or_none()


def _set_meta(s: LotseSession, key: str, value: str | None) -> None:
    s.execute(delete(VaultMeta).where(VaultMeta.key == key))
    if value is not None:
        s.add(VaultMeta(key=key, value=value))


def _public_key(s: LotseSession, made: list[str]) -> bytes:
    """The drafts public key; the pair is made on first use (older vaults have none). The
    private key's hex text goes into ``made``: the caller wipes it once it is committed."""
    public = _meta(s, PUBLIC_KEY)
    if public is not None:
        return bytes.fromhex(public)
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    made.append(raw.hex())
    wipe_bytes(raw)
    public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    s.add(VaultMeta(key=PRIVATE_KEY, value=made[-1]))
    s.add(VaultMeta(key=PUBLIC_KEY, value=public_raw.hex()))
    s.flush()
    return public_raw


def _private_key(s: LotseSession) -> X25519PrivateKey | None:
    hex_private = _meta(s, PRIVATE_KEY)
    if hex_private is None:
        return None
    raw = bytearray.fromhex(hex_private)
    try:
        return X25519PrivateKey.from_private_bytes(raw)  # a buffer: no bytes copy to leave
    finally:
        wipe(raw)
        wipe_str(hex_private)  # fetched for this call alone; OpenSSL keeps its own copy


def _kek(shared: bytes, ephemeral_public: bytes, vault_uuid: bytes, lock_id: bytes) -> bytes:
    info = INFO + b"|" + vault_uuid + b"|" + lock_id
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public, info=info
                ).derive(shared)


def seal(public_key: bytes, vault_uuid: str, lock_id: str, drafts: dict[str, Any]) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ids = vault_uuid.encode("ascii"), lock_id.encode("ascii")
    key = _kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key)), eph_pub, *ids)
    nonce = os.urandom(12)
    header = MAGIC + ids[0] + ids[1] + eph_pub + nonce
    body = json.dumps(drafts, ensure_ascii=False, default=str).encode()
    return header + AESGCM(key).encrypt(nonce, body, header)


def unseal(private_key: X25519PrivateKey | None, vault_uuid: str, expected_lock: str | None,
           blob: bytes) -> TakenDrafts:
    """The drafts, or the reason the blob is refused (nothing of it is trusted before). A vault
    without a drafts key pair never sealed anything: whatever is there is refused."""
    if len(blob) > MAX_BYTES or len(blob) < _HEADER + 16 or not blob.startswith(MAGIC):
        return TakenDrafts(refused=OLDER if blob.startswith(OLD_MAGIC) else DAMAGED)
    at = len(MAGIC)
    file_vault, lock_id = blob[at:at + 32], blob[at + 32:at + 64]
    eph_pub, nonce = blob[at + 64:at + 96], blob[at + 96:_HEADER]
    if not (_ID.fullmatch(file_vault) and _ID.fullmatch(lock_id)):
        return TakenDrafts(refused=DAMAGED)
    if file_vault != vault_uuid.encode("ascii"):
        return TakenDrafts(refused=FOREIGN)
    if expected_lock is None or lock_id != expected_lock.encode("ascii"):
        return TakenDrafts(refused=OLDER)
    if private_key is None:
        return TakenDrafts(refused=DAMAGED)
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        body = AESGCM(_kek(shared, eph_pub, file_vault, lock_id)).decrypt(
            nonce, blob[_HEADER:], blob[:_HEADER])
        data = json.loads(body)
    except (InvalidTag, ValueError):
        return TakenDrafts(refused=DAMAGED)
    return TakenDrafts(state=data) if isinstance(data, dict) else TakenDrafts(refused=DAMAGED)


@dataclass(frozen=True)
class Sealer:
    """What the next lock needs, fixed at unlock: it seals without touching the store."""

    path: Path
    vault_uuid: str
    lock_id: str
    public_key: bytes

    def seal(self, drafts: dict[str, Any]) -> None:
        """Write the sealed drafts beside the vault. Raises when the write fails (full or
        read-only disk, a file held open, a planted folder)."""
        write_atomic(self.path, seal(self.public_key, self.vault_uuid, self.lock_id, drafts))


def _read(path: Path) -> tuple[bytes | None, bool]:
    """The file's bytes (None: there is none), and whether something unreadable stands there."""
    try:
        return read_limited(path, MAX_BYTES), False
    except (LotseError, OSError):  # a link or folder in its place: not ours to remove
        return b"", True


def _judge(s: LotseSession, vault: Vault, blob: bytes, unreadable: bool,
           expected: str | None) -> TakenDrafts:
    if unreadable:
        taken = TakenDrafts(refused=UNREADABLE)
    elif expected is None:  # nothing can be due: no key is needed to refuse it
        taken = unseal(None, vault.info.vault_uuid, None, blob)
    else:
        taken = unseal(_private_key(s), vault.info.vault_uuid, expected, blob)
    if taken.refused:
        audit.record(s, audit.Kind.DRAFTS_REFUSED, "vault", vault.info.vault_uuid,
                     reason=taken.refused)
    return taken


def _remove(path: Path, unreadable: bool) -> None:
    if not unreadable:
        # Best effort: a file that cannot be removed now is refused as older at the next unlock.
        with contextlib.suppress(OSError):
            path.unlink()


def take_at_unlock(vault: Vault) -> tuple[TakenDrafts, Sealer]:
    """Right after unlocking, in one transaction: take the drafts the last lock sealed (its id
    is used up, so a copy put back later is refused) and choose the next lock's id."""
    path = vault.folder / DRAFTS_NAME
    blob, unreadable = _read(path)
    lock_id = secrets.token_hex(16)
    made: list[str] = []
    try:
        with vault.session() as s:
            taken = TakenDrafts() if blob is None else _judge(
                s, vault, blob, unreadable, _meta(s, LOCK_ID))
            public = _public_key(s, made)
            _set_meta(s, LOCK_ID, lock_id)
    finally:
        for text in made:
            wipe_str(text)
    if blob is not None:
        _remove(path, unreadable)
    return taken, Sealer(path, vault.info.vault_uuid, lock_id, public)


def take_drafts(vault: Vault) -> TakenDrafts:
    """A drafts file that turns up while the vault is unlocked: no lock has sealed anything
    since the unlock, so it is refused, removed and audited (and the next lock's id stays)."""
    path = vault.folder / DRAFTS_NAME
    blob, unreadable = _read(path)
    if blob is None:
        return TakenDrafts()
    with vault.session() as s:
        taken = _judge(s, vault, blob, unreadable, None)
    _remove(path, unreadable)
    return taken
