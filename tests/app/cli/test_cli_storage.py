"""A full or read-only disk: exit 4 with a clear message, never a traceback or exit 1, and
nothing half-written (no partial backup, no half-made vault, no part of a demo)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.demo.generator import generate_demo
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, ROOT, file_hashes, run_cli
from tests.support.disk_faults import LAYERS, read_only, small_disk

FULL = "error: the disk is full; nothing was left half-written"
IO = "error: the disk reported an I/O error; nothing was left half-written"  # the fsize layer
READ_ONLY = ("error: the disk or folder is read-only or not writable; nothing was left "
             "half-written")


def lotse(*args: str, vault: Path, preexec: Callable[[], None] | None
          ) -> subprocess.CompletedProcess[str]:
    """``run_cli`` for a process whose disk is about to be full."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    return subprocess.run([sys.executable, "-m", "app", "--vault", str(vault), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
                          stdin=subprocess.DEVNULL, preexec_fn=preexec)


def assert_storage_error(res: subprocess.CompletedProcess[str], layer: str) -> None:
    assert res.returncode == 4, res.stderr
    assert "Traceback" not in res.stderr
    first = res.stderr.splitlines()[0]
    # SQLite calls a write beyond the file size limit an I/O error, a full tmpfs "full".
    assert first.startswith(FULL if layer == "tmpfs" else (FULL, IO)), res.stderr


def new_vault(folder: Path) -> Vault:
    return create_vault(folder, PASSPHRASE, owner_name="Test Fallmanagerin", municipality="DO",
                        vault_code="T3ST", kdf=KdfParams.minimum())


@pytest.mark.parametrize("layer", LAYERS)
def test_init_on_a_full_disk_leaves_no_half_made_vault(tmp_path: Path, layer: str) -> None:
    with small_disk(tmp_path, 256 * 1024, layer) as disk:
        folder = disk.folder / "v"
        res = lotse("init", "--owner-name", "Jana K", vault=folder, preexec=disk.preexec)
        assert_storage_error(res, disk.layer)
        assert sorted(p.name for p in folder.iterdir()) == []


@pytest.mark.parametrize("layer", LAYERS)
def test_demo_on_a_full_disk_adds_nothing(tmp_path: Path, layer: str) -> None:
    with small_disk(tmp_path, 2 * 1024 * 1024, layer) as disk:
        folder = disk.folder / "v"
        new_vault(folder).lock()
        res = lotse("demo", "--cases", "400", vault=folder, preexec=disk.preexec)
        assert_storage_error(res, disk.layer)
        assert "demo data written" not in res.stdout
        listed = run_cli("cases", "--json", vault=folder)
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
        audit = run_cli("audit", "--json", vault=folder)
        kinds = [e["kind"] for e in json.loads(audit.stdout)]
        assert "vault.demo_generated" not in kinds
        check = run_cli("check", vault=folder)
        assert check.returncode == 0 and "check: ok" in check.stdout


@pytest.mark.parametrize("layer", LAYERS)
def test_backup_onto_a_full_disk_leaves_no_partial_backup(vault: Vault, vault_dir: Path,
                                                          tmp_path: Path, layer: str) -> None:
    generate_demo(vault, 300, seed=3)  # a store of a few MB
    vault.lock()
    with small_disk(tmp_path, 1024 * 1024, layer) as disk:
        share = disk.folder / "share"
        share.mkdir()
        res = lotse("backup", "--to", str(share), vault=vault_dir, preexec=disk.preexec)
        assert_storage_error(res, disk.layer)
        assert list(share.iterdir()) == []
    audit = run_cli("audit", "--json", vault=vault_dir)
    assert "vault.backup" not in [e["kind"] for e in json.loads(audit.stdout)]
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 0 and "check: ok" in check.stdout


def test_backup_into_a_read_only_folder(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    vault.lock()
    share = tmp_path / "share"
    share.mkdir()
    with read_only(share):
        res = run_cli("backup", "--to", str(share), vault=vault_dir)
        assert res.returncode == 4, res.stderr
        assert res.stderr.startswith(READ_ONLY) and "Traceback" not in res.stderr
        assert list(share.iterdir()) == []


def test_a_vault_on_a_read_only_disk_is_left_alone(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    with read_only(vault_dir):
        before = file_hashes(vault_dir)
        for args in (("demo", "--cases", "5"), ("cases",)):
            res = run_cli(*args, vault=vault_dir)
            assert res.returncode == 4, res.stderr
            assert "Traceback" not in res.stderr
            assert res.stderr.startswith((READ_ONLY, "error: the store file cannot be opened "
                                                     "for writing")), res.stderr
        assert file_hashes(vault_dir) == before
