"""Unsaved input survives a lock sealed to the vault's own drafts key, never in clear on disk;
a drafts file of another vault, of an older lock or sealed to the device key is refused."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Result, event, select
from sqlalchemy.orm import ORMExecuteState

from app import audit, drafts
from app.clock import FixedClock
from app.session import DesktopSession
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import DRAFTS_NAME, Vault, open_vault
from db.models import AuditLog, DeviceIdentity, VaultMeta
from db.sync import LotseSession
from tests.conftest import PASSPHRASE
from tests.support.secret_refs import mask

TEXT = "Hausbesuch: Familie berichtet von Schimmel im Kinderzimmer GEHEIMVERMERK"
STATE = {"open_cases": [3], "drafts": {"3": {"journal": {"text": TEXT}}}}


def sealed_session(vault: Vault, vault_dir: Path) -> DesktopSession:
    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)
    assert session.lock(STATE) is True
    return session


def refusals(vault: Vault) -> list[dict[str, object]]:
    with vault.session() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.kind == audit.Kind.DRAFTS_REFUSED)
                         ).scalars()
        return [dict(r.detail) for r in rows]


def test_drafts_are_sealed_at_lock_and_restored_once(vault: Vault, vault_dir: Path) -> None:
    session = sealed_session(vault, vault_dir)
    sealed = (vault_dir / DRAFTS_NAME).read_bytes()
    assert b"GEHEIMVERMERK" not in sealed and b"Schimmel" not in sealed
    for f in vault_dir.iterdir():
        assert b"GEHEIMVERMERK" not in f.read_bytes()
    session.unlock(PASSPHRASE)
    restored = session.take_drafts()
    assert restored.state == STATE and restored.note_de is None
    assert not (vault_dir / DRAFTS_NAME).exists()
    assert session.take_drafts() == drafts.TakenDrafts()  # taken once, then gone
    assert refusals(session.vault()) == []
    session.lock()


def test_drafts_have_their_own_key_pair_not_the_device_key(vault: Vault,
                                                           vault_dir: Path) -> None:
    """The device encryption key goes on key cards: a file sealed to it must not open."""
    with vault.session() as s:
        device_public = s.execute(select(DeviceIdentity.encryption_public)).scalar_one()
    session = sealed_session(vault, vault_dir)
    with session.unlock(PASSPHRASE).session() as s:  # a look only: the drafts stay sealed
        meta = dict(s.execute(select(VaultMeta.key, VaultMeta.value)).tuples().all())
    session.lock()
    lock_id, uuid = meta[drafts.LOCK_ID], meta["vault_uuid"]
    assert bytes.fromhex(meta[drafts.PUBLIC_KEY]) != device_public
    # Someone holding the published device key plants a file naming the right vault and lock.
    planted = drafts.seal(device_public, uuid, lock_id, {"open_cases": [], "drafts": {
        "3": {"journal": {"text": "untergeschoben"}}}})
    (vault_dir / DRAFTS_NAME).write_bytes(planted)
    session.unlock(PASSPHRASE)
    taken = session.take_drafts()
    assert taken.state is None and taken.refused == drafts.DAMAGED
    assert taken.note_de and "verworfen" in taken.note_de
    assert not (vault_dir / DRAFTS_NAME).exists()
    assert refusals(session.vault()) == [{"reason": drafts.DAMAGED}]
    session.lock()


def test_a_drafts_file_from_an_older_lock_is_refused(vault: Vault, vault_dir: Path,
                                                      tmp_path: Path) -> None:
    session = sealed_session(vault, vault_dir)
    first = tmp_path / "first.sealed"
    shutil.copyfile(vault_dir / DRAFTS_NAME, first)
    session.unlock(PASSPHRASE)
    assert session.take_drafts().state == STATE
    assert session.lock({"open_cases": [], "drafts": {}}) is True  # a later lock
    # The copy of the first lock's file put back: it decrypts, but it is not the last lock's.
    shutil.copyfile(first, vault_dir / DRAFTS_NAME)
    session.unlock(PASSPHRASE)
    taken = session.take_drafts()
    assert taken.state is None and taken.refused == drafts.OLDER
    assert not (vault_dir / DRAFTS_NAME).exists()
    assert refusals(session.vault()) == [{"reason": drafts.OLDER}]
    session.lock()
    # Put back once more after the drafts were taken: still refused (the lock id is used up).
    session2 = DesktopSession(vault_dir)
    session2.unlock(PASSPHRASE)
    assert session2.lock(STATE)
    session2.unlock(PASSPHRASE)
    assert session2.take_drafts().state == STATE
    shutil.copyfile(first, vault_dir / DRAFTS_NAME)
    assert session2.take_drafts().refused == drafts.OLDER
    session2.lock()


def test_a_drafts_file_from_another_vault_is_refused(vault: Vault, vault_dir: Path,
                                                      tmp_path: Path, clock: FixedClock) -> None:
    other_dir = tmp_path / "anderer"
    other = create_vault(other_dir, PASSPHRASE, owner_name="B", municipality="K",
                         kdf=KdfParams.minimum(), clock=clock)
    other.lock()
    other_session = DesktopSession(other_dir)
    other_session.unlock(PASSPHRASE)
    assert other_session.lock(STATE)
    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)
    assert session.lock({"open_cases": [], "drafts": {}})  # this vault has a lock id too
    shutil.copyfile(other_dir / DRAFTS_NAME, vault_dir / DRAFTS_NAME)
    session.unlock(PASSPHRASE)
    taken = session.take_drafts()
    assert taken.state is None and taken.refused == drafts.FOREIGN
    assert taken.note_de and "anderen Tresor" in taken.note_de
    assert refusals(session.vault()) == [{"reason": drafts.FOREIGN}]
    session.lock()


def test_altered_or_foreign_blobs_are_refused(vault: Vault) -> None:
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    uuid, lock = vault.info.vault_uuid, "ab" * 16
    blob = bytearray(drafts.seal(public, uuid, lock, {"x": 1}))
    assert drafts.unseal(private, uuid, lock, bytes(blob)).state == {"x": 1}
    assert drafts.unseal(private, uuid, "cd" * 16, bytes(blob)).refused == drafts.OLDER
    assert drafts.unseal(private, "ef" * 16, lock, bytes(blob)).refused == drafts.FOREIGN
    assert drafts.unseal(private, uuid, None, bytes(blob)).refused == drafts.OLDER
    blob[-1] ^= 1
    assert drafts.unseal(private, uuid, lock, bytes(blob)).refused == drafts.DAMAGED
    assert drafts.unseal(private, uuid, lock, b"garbage").refused == drafts.DAMAGED
    assert drafts.unseal(private, uuid, lock, drafts.OLD_MAGIC + bytes(200)).refused \
        == drafts.OLDER


def test_unlocking_reads_the_drafts_private_key_only_to_open_drafts(vault: Vault,
                                                                    vault_dir: Path) -> None:
    """The key pair lives in vault_meta beside what every unlock reads: an unlock without
    drafts gets no copy of the private key from the store; one with drafts reads it to open
    them and overwrites that copy right after."""
    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)  # makes the pair
    session.lock()
    with open_vault(vault_dir, PASSPHRASE) as opened, opened.read_session() as s:
        private = mask(s.execute(select(VaultMeta.value).where(
            VaultMeta.key == drafts.PRIVATE_KEY)).scalar_one().encode())

    def unlock_watched() -> tuple[list[bytes], list[str]]:
        """Every value the store hands over during an unlock: masked as received, and the
        very string objects the code went on to use."""
        received: list[bytes] = []
        handed: list[str] = []

        def watch(state: ORMExecuteState) -> Result[Any] | None:
            if not state.is_select:
                return None  # carried out as usual
            frozen = state.invoke_statement().freeze()
            for value in (v for row in frozen().all() for v in row if isinstance(v, str)):
                received.append(mask(value.encode()))
                handed.append(value)
            return frozen()

        event.listen(LotseSession, "do_orm_execute", watch)
        try:
            session.unlock(PASSPHRASE)
        finally:
            event.remove(LotseSession, "do_orm_execute", watch)
        return received, handed

    received, _ = unlock_watched()
    assert private not in received  # no drafts: the unlock never reads it
    assert session.lock(STATE)
    received, handed = unlock_watched()
    assert private in received  # read to open the drafts ...
    assert all(mask(value.encode()) != private for value in handed)  # ... and overwritten
    assert session.take_drafts().state == STATE
    session.lock()
