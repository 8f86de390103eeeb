"""The CLI as a user runs it: real subprocesses, real vault folders, exit codes 0/1/2/3."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, file_hashes, run_cli


def test_init_creates_a_vault_once(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    res = run_cli("init", "--name", "Jana Kowalczyk", "--municipality", "BI", vault=folder)
    assert res.returncode == 0, res.stderr
    assert (folder / "lotse.db").exists() and (folder / "lotse.key").exists()
    again = run_cli("init", "--owner-name", "Jana K", vault=folder)
    assert again.returncode == 1 and "already exists" in again.stderr
    check = run_cli("check", vault=folder)
    assert check.returncode == 0 and "check: ok" in check.stdout
    assert "temp_store: MEMORY" in check.stdout and "secure_delete: ON" in check.stdout


def test_init_asks_for_the_case_managers_name(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    res = run_cli("init", vault=folder)
    assert res.returncode == 1 and "--owner-name" in res.stderr
    res = run_cli("init", "--owner-name", "  ", vault=folder)
    assert res.returncode == 1 and "owner name missing" in res.stderr
    assert not folder.exists()


def test_usage_errors_exit_1(tmp_path: Path) -> None:
    assert run_cli("frobnicate", vault=tmp_path).returncode == 1
    assert run_cli("init", "--owner-name", "Jana K", "--municipality", "XX",
                   vault=tmp_path / "v").returncode == 1


def test_cases_show_and_search(vault: Vault, vault_dir: Path, clock: object) -> None:
    cid = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk", municipality="DO"))
    create_case(vault, NewCase(given_names="Łukasz", family_name="Wójcik", municipality="DO"))
    add_journal_entry(vault, cid, NewJournalEntry(
        contact_kind="phone", text="Termin bei der Ausländerbehörde zur Verlängerung vereinbart",
        occurred_at=vault.clock.now()))
    vault.lock()
    res = run_cli("cases", "--json", vault=vault_dir)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [r["family_name"] for r in rows] == ["Öztürk", "Wójcik"]  # Ö sorts as O
    wanted = {"id", "case_number", "given_names", "family_name", "phase", "municipality"}
    assert wanted <= set(rows[0])
    number = rows[0]["case_number"]
    assert number.startswith("DO-2026-T3ST-")
    res = run_cli("case", "show", number, "--json", vault=vault_dir)
    assert res.returncode == 0 and json.loads(res.stdout)["family_name"] == "Öztürk"
    res = run_cli("case", "show", "DO-1999-XXXX-0001", vault=vault_dir)
    assert res.returncode == 1 and "no case" in res.stderr
    res = run_cli("search", "ozturk", "--json", vault=vault_dir)
    assert [h["case_number"] for h in json.loads(res.stdout)["cases"]] == [number]
    res = run_cli("search", "auslanderbeh", "--json", vault=vault_dir)
    assert len(json.loads(res.stdout)["journal"]) == 1


def test_wrong_passphrase_exit_2_then_throttled(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    before = file_hashes(vault_dir)
    for _ in range(5):
        res = run_cli("cases", vault=vault_dir, passphrase="daneben daneben")
        assert res.returncode == 2 and "wrong passphrase" in res.stderr
    res = run_cli("cases", vault=vault_dir, passphrase=PASSPHRASE)
    assert res.returncode == 2 and "try again in" in res.stderr
    after = file_hashes(vault_dir)
    assert before["lotse.db"] == after["lotse.db"] and before["lotse.key"] == after["lotse.key"]


def test_backup_restore_with_backup_time_passphrase(vault: Vault, vault_dir: Path,
                                                    tmp_path: Path) -> None:
    create_case(vault, NewCase(given_names="Đorđe", family_name="Đorđević", municipality="DO"))
    vault.lock()
    share = tmp_path / "share"
    share.mkdir()
    res = run_cli("backup", "--to", str(share), vault=vault_dir)
    assert res.returncode == 0, res.stderr
    backups = [p for p in share.iterdir()]
    assert len(backups) == 1 and not backups[0].name.endswith(".partial")
    manifest = json.loads((backups[0] / "manifest.json").read_text())
    assert manifest["audit_head"]["seq"] > 0
    res = run_cli("passwd", vault=vault_dir,
                  env={"LOTSE_NEW_PASSPHRASE": "nach der Sicherung Lavendel Seilbahn"})
    assert res.returncode == 0, res.stderr
    # A second backup never replaces the first.
    assert run_cli("backup", "--to", str(share), vault=vault_dir,
                   passphrase="nach der Sicherung Lavendel Seilbahn").returncode == 0
    assert len(list(share.iterdir())) == 2
    target = tmp_path / "restored"
    res = run_cli("restore", str(backups[0]), "--vault", str(target),
                  passphrase="nach der Sicherung Lavendel Seilbahn")
    assert res.returncode == 2 and not (target / "lotse.db").exists()
    res = run_cli("restore", str(backups[0]), "--vault", str(target))
    assert res.returncode == 0, res.stderr
    res = run_cli("cases", "--json", vault=target)
    assert [r["family_name"] for r in json.loads(res.stdout)] == ["Đorđević"]
    assert run_cli("check", vault=target).returncode == 0
    # Restoring over an existing vault is refused and changes nothing.
    before = file_hashes(target)
    assert run_cli("restore", str(backups[0]), "--vault", str(target)).returncode == 1
    assert file_hashes(target)["lotse.db"] == before["lotse.db"]


def test_damaged_backup_is_refused(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    vault.lock()
    share = tmp_path / "share"
    share.mkdir()
    run_cli("backup", "--to", str(share), vault=vault_dir)
    backup = next(share.iterdir())
    db = backup / "lotse.db"
    data = bytearray(db.read_bytes())
    data[5000] ^= 0xFF
    db.write_bytes(bytes(data))
    res = run_cli("restore", str(backup), "--vault", str(tmp_path / "r"))
    assert res.returncode == 3 and "checksum" in res.stderr
    assert not (tmp_path / "r" / "lotse.db").exists()
