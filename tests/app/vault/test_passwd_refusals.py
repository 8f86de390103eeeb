"""`lotse passwd` that refuses changes nothing: with another vault's key file, with the store
missing, or with a key file naming another vault, every file stays byte-identical and the old
passphrase keeps opening. A change that happened is always in the audit log, even when the
process died between replacing the key file and writing the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.errors import Refused, WrongPassphrase
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.keyfile import KeyFile
from app.vault.passwd import change_passphrase
from app.vault.store import DB_NAME, KEY_NAME, Vault, open_vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE, data_key, file_hashes, run_cli

NEW = "ein ganz neuer Satz 2026"


def key_events(vault: Vault) -> list[tuple[str, dict[str, object]]]:
    with vault.session() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.kind.in_(
            ["vault.created", "vault.passphrase_changed", "vault.rekeyed"]))
            .order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows]


def test_passwd_with_another_vaults_key_file_changes_nothing(
        vault: Vault, vault_dir: Path, tmp_path: Path, clock: FixedClock) -> None:
    vault.lock()
    # Another vault on the same laptop, with the same passphrase: its key file unwraps.
    other = create_vault(tmp_path / "anderer", PASSPHRASE, owner_name="B", municipality="K",
                         kdf=KdfParams.minimum(), clock=clock)
    other.lock()
    own_key = (vault_dir / KEY_NAME).read_bytes()
    shutil.copyfile(tmp_path / "anderer" / KEY_NAME, vault_dir / KEY_NAME)
    before = file_hashes(vault_dir)

    res = run_cli("passwd", vault=vault_dir, env={"LOTSE_NEW_PASSPHRASE": NEW})

    assert res.returncode == 2, res.stdout + res.stderr
    assert "key does not decrypt the store" in res.stderr
    assert "Traceback" not in res.stderr
    assert file_hashes(vault_dir) == before
    with pytest.raises(WrongPassphrase):  # the new passphrase was never written anywhere
        KeyFile.load(vault_dir / KEY_NAME).unwrap(NEW)
    (vault_dir / KEY_NAME).write_bytes(own_key)
    with open_vault(vault_dir, PASSPHRASE, clock) as reopened:
        assert [kind for kind, _ in key_events(reopened)] == ["vault.created"]


def test_passwd_with_the_store_missing_changes_nothing(vault: Vault, vault_dir: Path,
                                                       tmp_path: Path,
                                                       clock: FixedClock) -> None:
    vault.lock()
    aside = tmp_path / "aside.db"
    (vault_dir / DB_NAME).rename(aside)
    before = file_hashes(vault_dir)

    res = run_cli("passwd", vault=vault_dir, env={"LOTSE_NEW_PASSPHRASE": NEW})

    assert res.returncode == 2, res.stdout + res.stderr
    assert "store file missing" in res.stderr and "Traceback" not in res.stderr
    assert file_hashes(vault_dir) == before
    aside.rename(vault_dir / DB_NAME)
    with pytest.raises(WrongPassphrase):
        open_vault(vault_dir, NEW, clock)
    with open_vault(vault_dir, PASSPHRASE, clock) as reopened:
        assert [kind for kind, _ in key_events(reopened)] == ["vault.created"]


def test_passwd_with_a_key_file_naming_another_vault_changes_nothing(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    """The data key fits, but the key file claims another vault: refused before the replace."""
    key = data_key(vault)
    vault.lock()
    forged = KeyFile.wrap("0" * 32, "T3ST", KdfParams.minimum(), PASSPHRASE, key)
    forged.save(vault_dir / KEY_NAME)
    before = file_hashes(vault_dir)

    with pytest.raises(Refused) as info:
        change_passphrase(vault_dir, PASSPHRASE, NEW, kdf=KdfParams.minimum(), clock=clock)

    assert info.value.message_de == "Datenbank und Schlüsseldatei gehören zu verschiedenen " \
        "Tresoren."
    assert file_hashes(vault_dir) == before
    assert KeyFile.load(vault_dir / KEY_NAME).unwrap(PASSPHRASE) == key


def test_a_change_is_audited_with_the_key_file_it_wrote(vault: Vault, vault_dir: Path,
                                                        clock: FixedClock) -> None:
    vault.lock()
    change_passphrase(vault_dir, PASSPHRASE, NEW, kdf=KdfParams.minimum(), clock=clock)
    with open_vault(vault_dir, NEW, clock) as reopened:
        events = key_events(reopened)
    assert [kind for kind, _ in events] == ["vault.created", "vault.passphrase_changed"]
    created, changed = events[0][1], events[1][1]
    assert changed["key_file"] != created["key_file"]
    assert changed["data_key_check"] == created["data_key_check"]  # same data key
    assert "late" not in changed


def test_a_change_whose_entry_a_crash_lost_is_recorded_at_the_next_unlock(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    """What ``passwd`` leaves when it dies right after replacing the key file."""
    key = data_key(vault)
    keyfile = KeyFile.load(vault_dir / KEY_NAME)
    vault.lock()
    KeyFile.wrap(keyfile.vault_uuid, keyfile.vault_code, KdfParams.minimum(), NEW,
                 key).save(vault_dir / KEY_NAME)

    with open_vault(vault_dir, NEW, clock) as reopened:
        events = key_events(reopened)
    assert [kind for kind, _ in events] == ["vault.created", "vault.passphrase_changed"]
    assert events[1][1]["late"] is True
    with open_vault(vault_dir, NEW, clock) as again:  # recorded once, not at every unlock
        assert len(key_events(again)) == 2
