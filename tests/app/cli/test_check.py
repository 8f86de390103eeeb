"""`lotse check` finds damage in a store that still opens: exit code 3, nothing hidden."""

from __future__ import annotations

from pathlib import Path

from app.demo.generator import generate_demo
from app.vault.store import DB_NAME, Vault
from tests.conftest import run_cli


def test_damaged_page_is_an_integrity_failure(vault: Vault, vault_dir: Path) -> None:
    generate_demo(vault, 60, seed=11)
    vault.lock()
    assert run_cli("check", vault=vault_dir).returncode == 0
    db = vault_dir / DB_NAME
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 // 2  # a data page in the middle, not the schema
    for i in range(page * 4096 + 200, page * 4096 + 240):
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 3, res.stdout + res.stderr
    assert "check: FAILED" in res.stdout
    assert "Traceback" not in res.stderr


def test_cli_demo_then_check(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    res = run_cli("demo", "--cases", "40", "--seed", "2", vault=vault_dir)
    assert res.returncode == 0 and "40 cases" in res.stdout, res.stderr
    assert run_cli("check", vault=vault_dir).returncode == 0
    assert run_cli("demo", "--cases", "0", vault=vault_dir).returncode == 1
