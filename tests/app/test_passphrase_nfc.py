"""NFC: "ä" typed as one character (Windows) or as "a" + combining dots (macOS, some input
methods) opens the same vault; a key file from before normalisation keeps opening as it did."""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from app.clock import FixedClock
from app.errors import Refused, WrongPassphrase
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.keyfile import KeyFile
from app.vault.passwd import change_passphrase
from app.vault.store import DB_NAME, KEY_NAME, Vault, open_vault
from tests.conftest import PASSPHRASE, data_key, file_hashes

COMPOSED = unicodedata.normalize("NFC", "Grüße aus Köln über Düsseldorf Straßenbahn")
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_the_two_spellings_differ_as_bytes() -> None:
    assert COMPOSED != DECOMPOSED and COMPOSED.encode() != DECOMPOSED.encode()


@pytest.mark.parametrize(("created", "typed"), [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED)])
def test_a_new_vault_opens_with_either_spelling(tmp_path: Path, clock: FixedClock,
                                                created: str, typed: str) -> None:
    create_vault(tmp_path / "v", created, owner_name="A", municipality="K",
                 kdf=KdfParams.minimum(), clock=clock).lock()
    doc = json.loads((tmp_path / "v" / KEY_NAME).read_text())
    assert doc["version"] == 2 and doc["kdf"]["normalisation"] == "nfc"
    with open_vault(tmp_path / "v", typed, clock) as v:
        assert v.info.owner_name == "A"


def _write_version_1_key_file(path: Path, vault_uuid: str, vault_code: str, passphrase: str,
                              data_key: bytes) -> None:
    """A key file exactly as the previous release wrote it: no normalisation, version 1."""
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = Argon2id(salt=salt, length=32, iterations=3, lanes=4,
                   memory_cost=64 * 1024).derive(passphrase.encode("utf-8"))
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    header = {"format": "lotse-vault-key", "version": 1, "vault_uuid": vault_uuid,
              "vault_code": vault_code, "memory_kib": 64 * 1024, "iterations": 3, "lanes": 4,
              "salt": b64(salt)}
    aad = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    wrapped = AESGCM(kek).encrypt(nonce, data_key, aad)
    doc = {"format": "lotse-vault-key", "version": 1, "vault_uuid": vault_uuid,
           "vault_code": vault_code,
           "kdf": {"name": "argon2id", "memory_kib": 64 * 1024, "iterations": 3, "lanes": 4,
                   "salt": b64(salt)},
           "wrap": {"name": "aes-256-gcm", "nonce": b64(nonce), "ciphertext": b64(wrapped)}}
    path.write_text(json.dumps(doc, indent=2) + "\n")


def test_a_version_1_vault_made_with_a_decomposed_passphrase_still_opens(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    info, key = vault.info, data_key(vault)
    vault.lock()
    _write_version_1_key_file(vault_dir / KEY_NAME, info.vault_uuid, info.vault_code,
                              DECOMPOSED, key)

    with open_vault(vault_dir, DECOMPOSED, clock) as v:  # exactly as typed back then
        assert v.info.vault_uuid == info.vault_uuid
    # A passphrase change writes today's format; from then on either spelling opens it.
    change_passphrase(vault_dir, DECOMPOSED, PASSPHRASE, kdf=KdfParams.minimum(), clock=clock)
    assert json.loads((vault_dir / KEY_NAME).read_text())["version"] == 2
    change_passphrase(vault_dir, PASSPHRASE, COMPOSED, kdf=KdfParams.minimum(), clock=clock)
    open_vault(vault_dir, DECOMPOSED, clock).lock()


@pytest.mark.parametrize("edit", ["normalisation_none", "downgrade_to_version_1"])
def test_editing_the_normalisation_is_refused_and_changes_nothing(
        tmp_path: Path, clock: FixedClock, edit: str) -> None:
    folder = tmp_path / "v"
    create_vault(folder, COMPOSED, owner_name="A", municipality="K", kdf=KdfParams.minimum(),
                 clock=clock).lock()
    doc = json.loads((folder / KEY_NAME).read_text())
    if edit == "normalisation_none":
        doc["kdf"]["normalisation"] = "none"
    else:
        doc["version"] = 1
        del doc["kdf"]["normalisation"]
    (folder / KEY_NAME).write_text(json.dumps(doc))
    before = file_hashes(folder)

    with pytest.raises(Refused):
        open_vault(folder, DECOMPOSED, clock)

    after = file_hashes(folder)
    assert before[DB_NAME] == after[DB_NAME] and before[KEY_NAME] == after[KEY_NAME]


def test_key_file_round_trip_keeps_the_normalisation() -> None:
    legacy = KeyFile.wrap("u" * 32, "T3ST", KdfParams(64 * 1024, 3, 4, os.urandom(16), "none"),
                          DECOMPOSED, os.urandom(32))
    again = KeyFile.from_bytes(legacy.to_bytes())
    assert again.version == 1 and "normalisation" not in json.loads(legacy.to_bytes())["kdf"]
    again.unwrap(DECOMPOSED)
    with pytest.raises(WrongPassphrase):
        again.unwrap(COMPOSED)  # version 1 derives from the text exactly as typed
