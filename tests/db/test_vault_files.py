"""Vault files under attack: links, FIFOs and hard links are refused; files are owner-only."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest

from app.backup import backup, restore
from app.clock import FixedClock
from app.errors import UnsafeVaultFile
from app.vault.create import create_vault
from app.vault.store import ANCHOR_NAME, DB_NAME, KEY_NAME, Vault, open_vault
from tests.conftest import PASSPHRASE, file_hashes, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links and modes")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def locked(vault: Vault, vault_dir: Path) -> Path:
    vault.lock()
    return vault_dir


def test_anchor_linked_to_another_file_is_refused_and_that_file_untouched(
        locked: Path, tmp_path: Path) -> None:
    victim = tmp_path / "someone-elses-file.txt"
    victim.write_bytes(b"important notes\n" * 10)
    before = _digest(victim)
    (locked / ANCHOR_NAME).unlink()
    (locked / ANCHOR_NAME).symlink_to(victim)
    vault_before = {n: h for n, h in file_hashes(locked).items() if n != ANCHOR_NAME}

    res = run_cli("cases", vault=locked)

    assert res.returncode == 2, res.stdout + res.stderr
    assert "audit.anchor is a symbolic link" in res.stderr
    assert "Traceback" not in res.stderr
    assert _digest(victim) == before, "the link target was written through the anchor"
    assert {n: h for n, h in file_hashes(locked).items() if n != ANCHOR_NAME} == vault_before


def test_init_with_a_dangling_store_link_creates_nothing_outside(tmp_path: Path) -> None:
    folder, outside = tmp_path / "vault", tmp_path / "elsewhere" / "lotse.db"
    folder.mkdir()
    outside.parent.mkdir()
    (folder / DB_NAME).symlink_to(outside)

    res = run_cli("init", "--owner-name", "Jana K", "--vault-code", "K7QX", vault=folder)

    assert res.returncode == 2, res.stdout + res.stderr
    assert "lotse.db is a symbolic link" in res.stderr
    assert not outside.exists(), "the store was created where the link points"
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]
    assert (folder / DB_NAME).is_symlink()


def test_store_link_to_the_real_store_elsewhere_is_refused(locked: Path, tmp_path: Path,
                                                            clock: FixedClock) -> None:
    elsewhere = tmp_path / "moved"
    elsewhere.mkdir()
    os.replace(locked / DB_NAME, elsewhere / DB_NAME)
    (locked / DB_NAME).symlink_to(elsewhere / DB_NAME)
    before = _digest(elsewhere / DB_NAME)

    with pytest.raises(UnsafeVaultFile) as info:
        open_vault(locked, PASSPHRASE, clock)

    assert info.value.exit_code == 2 and "Verknüpfung" in info.value.message_de
    assert _digest(elsewhere / DB_NAME) == before
    assert not (elsewhere / (DB_NAME + "-wal")).exists()


# A linked unlock.throttle never blocks the owner: it is removed and reported (test_throttle.py).
@pytest.mark.parametrize("name", [KEY_NAME, DB_NAME + "-wal", DB_NAME + "-shm"])
def test_any_linked_vault_file_is_refused(locked: Path, tmp_path: Path, clock: FixedClock,
                                          name: str) -> None:
    target = tmp_path / "target"
    path = locked / name
    if path.exists():
        target.write_bytes(path.read_bytes())
        path.unlink()
    else:
        target.write_bytes(b"")
    path.symlink_to(target)
    before = _digest(target)

    with pytest.raises(UnsafeVaultFile) as info:
        open_vault(locked, PASSPHRASE, clock)

    assert info.value.name == name
    assert _digest(target) == before


def test_a_fifo_in_place_of_the_anchor_is_refused_without_hanging(locked: Path,
                                                                  clock: FixedClock) -> None:
    (locked / ANCHOR_NAME).unlink()
    os.mkfifo(locked / ANCHOR_NAME)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            open_vault(locked, PASSPHRASE, clock).lock()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "opening the vault hangs on a FIFO"
    assert len(outcome) == 1 and isinstance(outcome[0], UnsafeVaultFile)
    assert outcome[0].problem == "special"


def test_an_anchor_hard_linked_elsewhere_is_never_appended_to(locked: Path, tmp_path: Path,
                                                              clock: FixedClock) -> None:
    twin = tmp_path / "twin"
    os.link(locked / ANCHOR_NAME, twin)
    before = _digest(twin)

    with pytest.raises(UnsafeVaultFile) as info:
        open_vault(locked, PASSPHRASE, clock)

    assert info.value.problem == "hardlink"
    assert _digest(twin) == before


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_vault_folder_and_files_are_owner_only(tmp_path: Path, clock: FixedClock) -> None:
    old = os.umask(0o022)  # the usual desktop umask: what the files got before
    try:
        from app.vault.kdf import KdfParams

        folder = tmp_path / "neu"
        vault = create_vault(folder, PASSPHRASE, owner_name="A", municipality="DO",
                             kdf=KdfParams.minimum(), clock=clock)
        share = tmp_path / "share"
        share.mkdir()
        result = backup(vault, share)
        vault.lock()
        restored = restore(result.path, tmp_path / "wiederhergestellt", PASSPHRASE, clock)
        restored.lock()
    finally:
        os.umask(old)
    for root in (folder, result.path, tmp_path / "wiederhergestellt"):
        assert _mode(root) == 0o700, root
        files = [p for p in root.iterdir()]
        assert files
        for path in files:
            assert _mode(path) == 0o600, f"{path.name} is {oct(_mode(path))}"


def test_an_older_vault_made_under_the_umask_is_tightened_at_open(locked: Path,
                                                                 clock: FixedClock) -> None:
    os.chmod(locked, 0o755)
    for path in locked.iterdir():
        os.chmod(path, 0o644)
    open_vault(locked, PASSPHRASE, clock).lock()
    assert _mode(locked) == 0o700
    assert {p.name: _mode(p) for p in locked.iterdir()} == {
        p.name: 0o600 for p in locked.iterdir()}


def test_many_backups_in_the_same_second_get_distinct_names(vault: Vault,
                                                            tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    names = {backup(vault, share).path.name for _ in range(25)}  # the fixed clock never moves
    assert len(names) == 25
    assert not list(share.glob("*.partial"))


def test_a_backup_holding_a_link_is_refused_and_nothing_restored(vault: Vault,
                                                                 tmp_path: Path,
                                                                 clock: FixedClock) -> None:
    share = tmp_path / "share"
    share.mkdir()
    made = backup(vault, share).path
    secret = tmp_path / "private.txt"
    secret.write_text("not for the vault")
    (made / ANCHOR_NAME).unlink()
    (made / ANCHOR_NAME).symlink_to(secret)
    vault.lock()
    target = tmp_path / "ziel"

    with pytest.raises(UnsafeVaultFile):
        restore(made, target, PASSPHRASE, clock)

    assert not target.exists() or not any(target.iterdir())
