"""The key leaves with the lock: no live object holds it (or the passphrase) afterwards, a locked
vault cannot be keyed again, and the helpers that overwrite CPython's immutable copies do so only
where that is safe."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.exc import NoResultFound

from app.clock import FixedClock
from app.errors import Refused
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.session import DesktopSession
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.memory import utf8_buffer, wipe_bytes, wipe_str
from app.vault.store import Vault, open_vault
from db.errors import StoreLocked
from db.models import VaultMeta
from tests.conftest import PASSPHRASE
from tests.support.secret_refs import holders, mask


def hidden_secrets(vault: Vault, passphrase: str) -> dict[str, bytes]:
    with vault.raw_key() as view:
        return {"data key": mask(view), "data key (hex)": mask(view.hex().encode()),
                "passphrase": mask(passphrase.encode())}


def test_after_a_lock_no_object_holds_the_key_or_the_passphrase(tmp_path: Path,
                                                                 clock: FixedClock) -> None:
    folder = tmp_path / "vault"
    # Made at run time (never interned, no literal in this file holds it).
    passphrase = f"Kompass Gezeiten {secrets.token_hex(12)}"
    vault = create_vault(folder, passphrase, owner_name="Test Fallmanagerin",
                         municipality="DO", vault_code="T3ST", kdf=KdfParams.minimum(),
                         clock=clock)
    hidden = hidden_secrets(vault, passphrase)
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    session = DesktopSession(folder)
    unlocked = session.unlock(passphrase)
    del passphrase
    with unlocked.session() as s:  # the pool holds keyed connections now
        s.connection().exec_driver_sql("SELECT count(*) FROM case_file").scalar()
    assert any(h.startswith("data key in bytearray") for h in holders(hidden)), \
        "while unlocked the vault's key buffer must be found (the search works)"
    assert session.lock({"open_cases": [case_id], "drafts": {}}) is True
    assert holders(hidden) == []


def test_a_locked_vault_cannot_be_keyed_again(vault: Vault) -> None:
    engine = vault.engine
    with engine.connect() as conn:  # a pooled connection exists and works
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    vault.lock()
    # A reference to the engine taken before the lock (a worker still holding it, say).
    with pytest.raises(StoreLocked):
        engine.connect()
    with pytest.raises(Refused), vault.session():
        pass
    with pytest.raises(Refused), vault.raw_key():
        pass
    vault.lock()  # locking twice is harmless


def test_fresh_strings_and_bytes_are_overwritten_in_place() -> None:
    ascii_text = "".join(["Kompass ", secrets.token_hex(8)])
    latin = "".join(["Gänse", "füße ", secrets.token_hex(4)])
    wide = "".join(["Paß ", "Ωmega ", secrets.token_hex(4)])
    astral = "".join(["Lotse ", "\U0001F9ED ", secrets.token_hex(4)])
    for text in (ascii_text, latin, wide, astral):
        assert wipe_str(text) is True
        assert set(text) == {"\0"}  # same length, every character overwritten
    data = "".join(["Schlüssel", secrets.token_hex(8)]).encode()
    assert wipe_bytes(data) is True and data == bytes(len(data))
    buffer = utf8_buffer("".join(["Grüße ", secrets.token_hex(4)]))
    assert buffer.startswith("Grüße ".encode())


def test_shared_strings_are_never_touched() -> None:
    literal = "Leuchtturm"  # a code constant: interned, shared by every use
    assert wipe_str(literal) is False and literal == "Leuchtturm"
    interned = sys.intern("".join(["Nebel", "horn ", secrets.token_hex(4)]))
    before = str(interned)
    assert wipe_str(interned) is False and interned == before
    assert wipe_str("x") is False and ord("x") == 120  # one character: a shared singleton
    assert wipe_bytes(b"y") is False and wipe_bytes(b"") is False



def test_an_unlock_that_fails_after_opening_the_store_drops_the_key(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    """The store opens, then reading it fails (here: its owner is missing): the attempt's key
    is wiped at once, not left in objects the traceback keeps alive."""
    hidden = hidden_secrets(vault, PASSPHRASE)
    with vault.session() as s:
        s.execute(update(VaultMeta).where(VaultMeta.key == "owner_uuid").values(value="0" * 32))
    vault.lock()
    with pytest.raises(NoResultFound) as failed:
        open_vault(vault_dir, PASSPHRASE, clock)
    assert failed.traceback  # kept alive: its frames hold the half-opened vault
    assert [h for h in holders(hidden) if h.startswith("data key")] == []
