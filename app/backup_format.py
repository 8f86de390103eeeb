"""The backup folder's format and its authentication.

A backup is a folder ``lotse-backup-<code>-<utc>-<rand>`` holding

- ``lotse.db``: the store, a single file (no WAL), under the vault's data key at backup time;
- ``lotse.key``: the key file valid at backup time (it opens with the passphrase valid then);
- ``audit.anchor``: the external audit anchor;
- ``manifest.json`` (version 2): ``format`` ("lotse-backup"), ``version``, ``vault_uuid``,
  ``vault_code``, ``created_at``, ``audit_head`` (``seq``, ``hash``), ``files`` (name ->
  ``size``, ``sha256``) and ``mac`` (the algorithms below);
- ``manifest.json.mac``: HMAC-SHA256, in hex, over the exact bytes of ``manifest.json``. Its
  key is HKDF-SHA256 over the data key (no salt; info ``lotse backup manifest v2``, a zero
  byte, the vault uuid). Only someone holding the data key can write a manifest that verifies;
  the manifest's file hashes then vouch for every file.

Reading unwraps the key file with the backup-time passphrase first (its header, vault uuid
included, is authenticated by the AES-GCM wrap), verifies the MAC over the raw bytes, and only
then parses the manifest. Version 1 (before Lotse authenticated backups) had
``manifest.json.sha256``, a plain hash anyone can recompute: such a backup is refused unless the
person asks for it explicitly, and then only after the same full verification of its pages and
audit chain (``app.restore``); the restored vault's audit log says it was unauthenticated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import IntegrityFailure, Refused
from app.fsutil import check_regular, open_file, read_limited
from app.vault.keyfile import KeyFile
from app.vault.memory import wipe
from app.vault.store import ANCHOR_NAME, DB_NAME, KEY_NAME
from db.keybuffer import KeyBytes

MANIFEST = "manifest.json"
MAC_FILE = MANIFEST + ".mac"
LEGACY_SHA_FILE = MANIFEST + ".sha256"
FORMAT = "lotse-backup"
VERSION = 2
MAC_INFO = b"lotse backup manifest v2"
MAX_MANIFEST_BYTES = 64 * 1024
BACKUP_FILES = (DB_NAME, KEY_NAME, ANCHOR_NAME)

FORGED_DE = ("Die Sicherung ist beschädigt oder wurde verändert: ihre Prüfdaten stimmen nicht. "
             "Sie wird nicht wiederhergestellt.")
MISSING_MAC_DE = ("Die Prüfdatei der Sicherung (manifest.json.mac) fehlt. Ohne sie lässt sich "
                  "nicht bestätigen, dass die Sicherung unverändert ist; sie wird nicht "
                  "wiederhergestellt.")
LEGACY_DE = ("Diese Sicherung stammt von einer älteren Lotse-Version und ist nicht gegen "
             "Veränderung geschützt. Sie wird nur auf ausdrücklichen Wunsch wiederhergestellt, "
             "nach vollständiger Prüfung aller Seiten.")


def manifest_mac(data_key: KeyBytes, vault_uuid: str,
                 manifest: bytes) -> str:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=MAC_INFO + b"\0" + vault_uuid.encode("ascii")).derive(data_key)
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open_file(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, indent=2, sort_keys=True).encode()


@dataclass(frozen=True)
class OpenedBackup:
    """A backup whose manifest was authenticated and whose files match it."""

    folder: Path
    manifest: dict[str, Any]
    keyfile: KeyFile
    data_key: bytearray  # the caller wipes it
    authenticated: bool  # False only for a version-1 backup accepted on explicit request

    @property
    def audit_head(self) -> tuple[int, str] | None:
        head = self.manifest.get("audit_head")
        if not isinstance(head, dict):
            return None
        return int(head["seq"]), str(head["hash"])


def _small_file(path: Path, limit: int, what: str) -> bytes | None:
    raw = read_limited(path, limit)
    if raw is not None and len(raw) > limit:
        raise IntegrityFailure(FORGED_DE, f"{what} too large")
    return raw


def _legacy(folder: Path, raw: bytes, accept_unauthenticated: bool) -> None:
    if not accept_unauthenticated:
        raise Refused(LEGACY_DE, "backup format 1 has no authenticated manifest; restore it "
                      "only on purpose with --accept-unauthenticated")
    expected = (_small_file(folder / LEGACY_SHA_FILE, 200, "checksum file") or b"").strip()
    if hashlib.sha256(raw).hexdigest().encode() != expected:
        raise IntegrityFailure(FORGED_DE, "manifest checksum mismatch")


def _parse(raw: bytes, version: int) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Refused("Dieser Ordner ist keine Lotse-Sicherung.", "not a Lotse backup manifest")
    if doc.get("version") != version:
        raise Refused("Die Sicherung hat ein unbekanntes Format.",
                      f"backup manifest version {doc.get('version')!r} is not {version}")
    return doc


def _check_files(folder: Path, doc: dict[str, Any]) -> None:
    files = doc.get("files")
    if not isinstance(files, dict) or set(files) != set(BACKUP_FILES):
        raise IntegrityFailure(FORGED_DE, "manifest lists unexpected files")
    for fname in BACKUP_FILES:
        meta = files[fname]
        path = folder / fname
        if (not isinstance(meta, dict) or not check_regular(path)
                or path.stat().st_size != meta.get("size")
                or sha256_file(path) != meta.get("sha256")):
            raise IntegrityFailure(FORGED_DE, f"{fname} checksum mismatch")


def open_backup(folder: Path, passphrase: str, *,
                accept_unauthenticated: bool = False) -> OpenedBackup:
    """Unwrap the backup's key file, authenticate the manifest, check every file's hash."""
    if folder.name.endswith(".partial") or not check_regular(folder / MANIFEST):
        raise Refused("Dieser Ordner ist keine vollständige Lotse-Sicherung.",
                      f"{folder} is not a complete backup")
    keyfile = KeyFile.load(folder / KEY_NAME)
    data_key = keyfile.unwrap(passphrase)
    try:
        return _opened(folder, keyfile, data_key, accept_unauthenticated)
    except BaseException:
        wipe(data_key)
        raise


def _opened(folder: Path, keyfile: KeyFile, data_key: bytearray,
            accept_unauthenticated: bool) -> OpenedBackup:
    raw = _small_file(folder / MANIFEST, MAX_MANIFEST_BYTES, "manifest") or b""
    mac = _small_file(folder / MAC_FILE, 200, "MAC file")
    if mac is not None:
        expected = manifest_mac(data_key, keyfile.vault_uuid, raw).encode()
        if not hmac.compare_digest(mac.strip(), expected):
            raise IntegrityFailure(FORGED_DE, "manifest authentication failed (MAC mismatch)")
        doc, authenticated = _parse(raw, VERSION), True
    elif check_regular(folder / LEGACY_SHA_FILE):
        _legacy(folder, raw, accept_unauthenticated)
        doc, authenticated = _parse(raw, 1), False
    else:
        raise IntegrityFailure(MISSING_MAC_DE, f"{MAC_FILE} is missing")
    if doc.get("vault_uuid") != keyfile.vault_uuid:
        raise IntegrityFailure(FORGED_DE, "manifest vault_uuid differs from the key file's")
    _check_files(folder, doc)
    return OpenedBackup(folder, doc, keyfile, data_key, authenticated)


def read_manifest(folder: Path, passphrase: str) -> dict[str, Any]:
    """The authenticated manifest of a complete backup (raises on anything else)."""
    found = open_backup(folder, passphrase)
    wipe(found.data_key)
    return found.manifest
