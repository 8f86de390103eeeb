"""The encrypted store: key hierarchy, refusals that change nothing, throttling, passwd."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.clock import FixedClock
from app.errors import Refused, Throttled, WrongPassphrase
from app.vault.kdf import MAX_MEMORY_KIB, KdfParams
from app.vault.keyfile import KeyFile
from app.vault.passwd import change_passphrase
from app.vault.store import DB_NAME, KEY_NAME, Vault, open_vault
from app.vault.throttle import Throttle
from db.models import AuditLog, DeviceIdentity, VaultMeta
from tests.conftest import PASSPHRASE, file_hashes


def test_created_vault_reopens_and_is_encrypted(vault: Vault, vault_dir: Path,
                                                clock: FixedClock) -> None:
    vault.lock()
    raw = (vault_dir / DB_NAME).read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(vault_dir / DB_NAME).execute("SELECT * FROM sqlite_master").fetchall()
    with open_vault(vault_dir, PASSPHRASE, clock) as v2, v2.session() as s:
        meta = dict(s.execute(select(VaultMeta.key, VaultMeta.value)).tuples().all())
        assert meta["vault_code"] == "T3ST"
        ident = s.execute(select(DeviceIdentity)).scalar_one()
        assert len(ident.signing_private) == 32 and len(ident.encryption_public) == 32
        kinds = s.execute(select(AuditLog.kind).order_by(AuditLog.seq)).scalars().all()
        assert kinds[0] == "vault.created" and kinds[-1] == "vault.unlocked"


def test_connection_pragmas_are_pinned(vault: Vault) -> None:
    with vault.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cipher_page_size").scalar() == "4096"
        assert conn.exec_driver_sql("PRAGMA cipher_hmac_algorithm").scalar() == "HMAC_SHA512"
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # SQLite's freed memory is overwritten (key schedule, pages, statement texts).
        assert conn.exec_driver_sql("PRAGMA cipher_memory_security").scalar() == "1"


def test_key_file_holds_no_key_material_in_clear(vault: Vault, vault_dir: Path) -> None:
    with vault.raw_key() as view:
        data_key = bytes(view)
    keyfile = (vault_dir / KEY_NAME).read_bytes()
    assert data_key not in keyfile and data_key.hex().encode() not in keyfile
    doc = json.loads(keyfile)
    assert doc["kdf"]["name"] == "argon2id" and doc["kdf"]["memory_kib"] >= 65536


def _refused_unchanged(vault_dir: Path, passphrase: str, clock: FixedClock,
                       exc: type[Exception] = Refused) -> Refused:
    before = file_hashes(vault_dir)
    with pytest.raises(exc) as info:
        open_vault(vault_dir, passphrase, clock)
    after = file_hashes(vault_dir)
    for name in (DB_NAME, KEY_NAME):
        assert before.get(name) == after.get(name), f"{name} changed by a refused open"
    assert not (vault_dir / (DB_NAME + "-wal")).exists() or DB_NAME + "-wal" in before
    assert isinstance(info.value, Refused)
    return info.value


def test_wrong_passphrase_is_refused_and_changes_nothing(vault: Vault, vault_dir: Path,
                                                         clock: FixedClock) -> None:
    vault.lock()
    err = _refused_unchanged(vault_dir, "falsch falsch falsch", clock, WrongPassphrase)
    assert err.exit_code == 2 and "Passphrase ist falsch" in err.message_de


@pytest.mark.parametrize("damage", ["plaintext", "empty", "truncated", "truncated_page",
                                    "foreign", "missing"])
def test_damaged_store_is_refused_never_recreated(vault: Vault, vault_dir: Path,
                                                  clock: FixedClock, damage: str) -> None:
    vault.lock()
    db = vault_dir / DB_NAME
    raw = db.read_bytes()
    if damage == "plaintext":
        db.unlink()
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t(x)")
        con.commit()
        con.close()
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "truncated":
        db.write_bytes(raw[: len(raw) // 2 + 100])
    elif damage == "truncated_page":
        db.write_bytes(raw[: len(raw) - 4096])
    elif damage == "foreign":
        db.write_bytes(bytes(range(256)) * (len(raw) // 256))
    elif damage == "missing":
        db.unlink()
    _refused_unchanged(vault_dir, PASSPHRASE, clock)
    assert db.exists() == (damage != "missing"), "a store file was created or removed"


def test_newer_schema_is_refused_unchanged(vault: Vault, vault_dir: Path,
                                           clock: FixedClock) -> None:
    with vault.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    vault.lock()
    err = _refused_unchanged(vault_dir, PASSPHRASE, clock)
    assert "neueren Lotse-Version" in err.message_de


def test_hostile_kdf_parameters_are_capped_before_derivation(vault: Vault, vault_dir: Path,
                                                             clock: FixedClock) -> None:
    vault.lock()
    doc = json.loads((vault_dir / KEY_NAME).read_text())
    doc["kdf"]["memory_kib"] = MAX_MEMORY_KIB * 64  # 64 GiB: must not even be tried
    (vault_dir / KEY_NAME).write_text(json.dumps(doc))
    err = _refused_unchanged(vault_dir, PASSPHRASE, clock)
    assert "ungültige Parameter" in err.message_de


def test_throttle_after_five_failures_persists_and_is_audited(vault: Vault, vault_dir: Path,
                                                              clock: FixedClock) -> None:
    vault.lock()
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            open_vault(vault_dir, "nicht richtig", clock)
    # Sixth attempt: the gate is closed even with the right passphrase, and says how long.
    with pytest.raises(Throttled) as first:
        open_vault(vault_dir, PASSPHRASE, clock)
    assert first.value.wait_seconds == 30 and "30 s" in first.value.message_de
    clock.advance(timedelta(seconds=31))
    with pytest.raises(WrongPassphrase):
        open_vault(vault_dir, "noch einmal falsch", clock)
    with pytest.raises(Throttled) as second:
        open_vault(vault_dir, PASSPHRASE, clock)
    assert second.value.wait_seconds > first.value.wait_seconds  # each failure waits longer
    clock.advance(timedelta(seconds=second.value.wait_seconds + 1))
    with open_vault(vault_dir, PASSPHRASE, clock) as v, v.session() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.kind == "vault.unlock_failures")
                         ).scalars().all()
        assert [r.detail["failed_attempts"] for r in rows] == [6]
    after = Throttle(vault_dir / "unlock.throttle", clock).read()
    assert after.failures == 0 and after.damage is None  # a fresh record, started at unlock


def test_passwd_rewraps_without_touching_the_store(vault: Vault, vault_dir: Path,
                                                   clock: FixedClock) -> None:
    vault.lock()
    key_before = KeyFile.load(vault_dir / KEY_NAME)
    change_passphrase(vault_dir, PASSPHRASE, "ein ganz neuer Satz 2026",
                      kdf=KdfParams.minimum(), clock=clock)
    key_after = KeyFile.load(vault_dir / KEY_NAME)
    assert key_after.kdf.salt != key_before.kdf.salt
    assert key_after.unwrap("ein ganz neuer Satz 2026") == key_before.unwrap(PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        open_vault(vault_dir, PASSPHRASE, clock)
    # Same data key under the new passphrase: the store was never re-encrypted, and opens.
    with open_vault(vault_dir, "ein ganz neuer Satz 2026", clock) as v, v.session() as s:
        assert s.execute(select(AuditLog).where(AuditLog.kind == "vault.passphrase_changed")
                         ).scalar_one()


def test_second_vault_on_same_laptop_is_independent(tmp_path: Path, vault: Vault,
                                                    clock: FixedClock) -> None:
    from app.vault.create import create_vault

    other = create_vault(tmp_path / "zweiter", "anderer Schrank Kiesel Laterne 123", owner_name="B",
                         municipality="K", kdf=KdfParams.minimum(), clock=clock)
    assert other.info.vault_uuid != vault.info.vault_uuid
    with other.raw_key() as key_b, vault.raw_key() as key_a:
        assert bytes(key_b) != bytes(key_a)
    other.lock()
    with pytest.raises(WrongPassphrase):
        open_vault(tmp_path / "zweiter", PASSPHRASE, clock)
