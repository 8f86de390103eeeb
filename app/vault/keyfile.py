"""The key file: Argon2id parameters and the AES-256-GCM-wrapped data key of one vault.

A passphrase change re-wraps the same data key (no re-encryption); only ``rekey`` replaces the
data key (and re-encrypts the store). The file is replaced atomically, so after a crash it opens
with exactly one of the two passphrases.

Version 2 records in its KDF section that the passphrase is NFC-normalised before derivation
(covered by the AAD, so it cannot be edited); version 1 files derive from the text as typed.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import Refused, WrongPassphrase
from app.fsutil import read_limited, write_atomic
from app.vault.kdf import AS_TYPED, NFC, KdfParams
from app.vault.memory import wipe

FORMAT = "lotse-vault-key"
VERSION = 2  # written; version 1 (no normalisation) is still read
LEGACY_VERSION = 1
MAX_KEYFILE_BYTES = 16 * 1024  # parse nothing bigger: the real file is well under 1 KiB


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KeyFile:
    vault_uuid: str
    vault_code: str
    kdf: KdfParams
    nonce: bytes
    wrapped_key: bytes

    @property
    def version(self) -> int:
        return LEGACY_VERSION if self.kdf.normalisation == AS_TYPED else VERSION

    def _aad(self) -> bytes:
        # Binding the header to the wrap: editing KDF parameters or ids breaks the unwrap.
        header: dict[str, object] = {
            "format": FORMAT, "version": self.version, "vault_uuid": self.vault_uuid,
            "vault_code": self.vault_code, "memory_kib": self.kdf.memory_kib,
            "iterations": self.kdf.iterations, "lanes": self.kdf.lanes, "salt": _b64(self.kdf.salt),
        }
        if self.version != LEGACY_VERSION:  # version 1 headers stay exactly as they were
            header["normalisation"] = self.kdf.normalisation
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def wrap(cls, vault_uuid: str, vault_code: str, kdf: KdfParams, passphrase: str,
             data_key: bytes | bytearray | memoryview) -> KeyFile:
        kek = kdf.derive(passphrase)
        try:
            nonce = os.urandom(12)
            draft = cls(vault_uuid, vault_code, kdf, nonce, b"")
            wrapped = AESGCM(kek).encrypt(nonce, data_key, draft._aad())
        finally:
            wipe(kek)
        return cls(vault_uuid, vault_code, kdf, nonce, wrapped)

    def unwrap(self, passphrase: str) -> bytearray:
        """The data key, decrypted into a buffer the caller owns and wipes."""
        kek = self.kdf.derive(passphrase)
        key = bytearray(len(self.wrapped_key) - 16)
        try:
            AESGCM(kek).decrypt_into(self.nonce, self.wrapped_key, self._aad(), key)
        except InvalidTag:
            wipe(key)
            raise WrongPassphrase(
                "Die Passphrase ist falsch.", "wrong passphrase (or altered key file)"
            ) from None
        finally:
            wipe(kek)
        return key

    def to_bytes(self) -> bytes:
        kdf: dict[str, object] = {
            "name": "argon2id", "memory_kib": self.kdf.memory_kib,
            "iterations": self.kdf.iterations, "lanes": self.kdf.lanes,
            "salt": _b64(self.kdf.salt)}
        if self.version != LEGACY_VERSION:
            kdf["normalisation"] = self.kdf.normalisation
        doc = {
            "format": FORMAT, "version": self.version, "vault_uuid": self.vault_uuid,
            "vault_code": self.vault_code, "kdf": kdf,
            "wrap": {"name": "aes-256-gcm", "nonce": _b64(self.nonce),
                     "ciphertext": _b64(self.wrapped_key)},
        }
        return (json.dumps(doc, indent=2) + "\n").encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> KeyFile:
        bad = Refused(
            "Die Schlüsseldatei des Tresors ist beschädigt oder gehört nicht zu Lotse.",
            "key file is not a valid Lotse key file",
        )
        if len(raw) > MAX_KEYFILE_BYTES:
            raise bad
        try:
            doc = json.loads(raw.decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError("format")
            version = doc.get("version")
            if version not in (LEGACY_VERSION, VERSION) or isinstance(version, bool):
                raise Refused(
                    "Die Schlüsseldatei stammt von einer neueren Lotse-Version.",
                    f"key file version {doc.get('version')!r} not supported",
                )
            kdf_doc, wrap_doc = doc["kdf"], doc["wrap"]
            if kdf_doc["name"] != "argon2id" or wrap_doc["name"] != "aes-256-gcm":
                raise ValueError("algorithm")
            normalisation = kdf_doc.get("normalisation", AS_TYPED)
            if normalisation != (NFC if version == VERSION else AS_TYPED):
                raise ValueError("normalisation does not match the version")
            kdf = KdfParams(int(kdf_doc["memory_kib"]), int(kdf_doc["iterations"]),
                            int(kdf_doc["lanes"]), _unb64(kdf_doc["salt"]), normalisation)
            result = cls(str(doc["vault_uuid"]), str(doc["vault_code"]), kdf,
                         _unb64(wrap_doc["nonce"]), _unb64(wrap_doc["ciphertext"]))
        except Refused:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            raise bad from None
        result.kdf.validate()  # bounds checked before any derivation can run
        if len(result.nonce) != 12 or len(result.wrapped_key) != 48:
            raise bad
        return result

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        raw = read_limited(path, MAX_KEYFILE_BYTES)
        if raw is None:
            raise Refused("In diesem Ordner liegt kein Lotse-Tresor.", f"no key file at {path}")
        return cls.from_bytes(raw)

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())
