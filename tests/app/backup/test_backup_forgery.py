"""Forged and damaged backups on the share are refused with a clear message, and a restore
that fails leaves nothing at the target (nor a temporary folder beside it).

The attacker can write to the share but does not know the passphrase: they can recompute any
plain hash, not the manifest's MAC. A flipped page with a manifest recomputed *with* the key
(a buggy writer, or someone holding the key) is caught by reading every page."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.backup import backup
from app.backup_format import MAC_FILE, MANIFEST, manifest_bytes, manifest_mac
from app.demo.generator import generate_demo
from app.vault.store import DB_NAME, Vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE, data_key, run_cli

PAGE = 4096


@pytest.fixture
def made(vault: Vault, tmp_path: Path) -> tuple[Path, bytes, str]:
    """A real backup of a vault with many pages; the vault's data key and uuid for forging."""
    generate_demo(vault, 40, seed=3)
    share = tmp_path / "share"
    share.mkdir()
    path = backup(vault, share).path
    key, uuid = data_key(vault), vault.info.vault_uuid
    vault.lock()
    return path, key, uuid


def manifest(path: Path) -> dict[str, object]:
    return json.loads((path / MANIFEST).read_bytes())


def write_manifest(path: Path, doc: dict[str, object]) -> bytes:
    data = manifest_bytes(doc)
    (path / MANIFEST).write_bytes(data)
    return data


def recompute_file_hashes(path: Path, doc: dict[str, object]) -> None:
    files = doc["files"]
    assert isinstance(files, dict)
    for name, meta in files.items():
        meta["size"] = (path / name).stat().st_size
        meta["sha256"] = hashlib.sha256((path / name).read_bytes()).hexdigest()


def as_attacker_would(path: Path, doc: dict[str, object]) -> None:
    """Rewrite the manifest and every plain hash an attacker can recompute (no key)."""
    recompute_file_hashes(path, doc)
    data = write_manifest(path, doc)
    (path / (MANIFEST + ".sha256")).write_text(hashlib.sha256(data).hexdigest() + "\n")


def restore_refused(path: Path, target: Path, code: int, *args: str) -> str:
    res = run_cli("restore", str(path), "--vault", str(target), *args)
    assert res.returncode == code, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert not target.exists() or list(target.iterdir()) == []
    assert [p.name for p in target.parent.iterdir() if ".partial" in p.name] == []
    return res.stderr


@pytest.mark.parametrize("field", ["vault_uuid", "audit_head"])
def test_a_forged_manifest_with_recomputed_checksums_is_refused(
        made: tuple[Path, bytes, str], tmp_path: Path, field: str) -> None:
    path, _key, _uuid = made
    doc = manifest(path)
    if field == "vault_uuid":
        doc["vault_uuid"] = "f" * 32
    else:
        head = doc["audit_head"]
        assert isinstance(head, dict)
        head["seq"] = int(head["seq"]) + 40  # "this backup is newer than it is"
    as_attacker_would(path, doc)

    err = restore_refused(path, tmp_path / "ziel", 3)
    assert "manifest authentication failed" in err


def test_a_flipped_page_is_refused_even_with_a_manifest_made_with_the_key(
        made: tuple[Path, bytes, str], tmp_path: Path) -> None:
    path, key, uuid = made
    db = path / DB_NAME
    data = bytearray(db.read_bytes())
    pages = len(data) // PAGE
    assert pages > 40  # a page in the middle holds case data no unlock reads
    data[(pages // 2) * PAGE + 1500] ^= 0x01
    db.write_bytes(bytes(data))
    doc = manifest(path)
    recompute_file_hashes(path, doc)
    raw = write_manifest(path, doc)
    (path / MAC_FILE).write_text(manifest_mac(key, uuid, raw) + "\n")

    err = restore_refused(path, tmp_path / "ziel", 3)
    assert "pages fail authentication" in err


def test_a_missing_mac_file_is_a_clear_refusal(made: tuple[Path, bytes, str],
                                               tmp_path: Path) -> None:
    path, _key, _uuid = made
    (path / MAC_FILE).unlink()
    err = restore_refused(path, tmp_path / "ziel", 3)
    assert "manifest.json.mac is missing" in err


def test_a_failed_restore_leaves_an_empty_target_folder_empty(
        made: tuple[Path, bytes, str], tmp_path: Path) -> None:
    path, key, uuid = made
    target = tmp_path / "ziel"
    target.mkdir()
    anchor = path / "audit.anchor"
    anchor.write_bytes(anchor.read_bytes()[:-40])  # the anchor forgets the last entry
    doc = manifest(path)
    recompute_file_hashes(path, doc)
    raw = write_manifest(path, doc)
    (path / MAC_FILE).write_text(manifest_mac(key, uuid, raw) + "\n")

    err = restore_refused(path, target, 3)
    assert "audit" in err
    assert target.is_dir()


def to_format_1(path: Path) -> None:
    """What a backup written before authentication looked like."""
    doc = manifest(path)
    doc["version"] = 1
    del doc["mac"]
    (path / MAC_FILE).unlink()
    as_attacker_would(path, doc)


def test_a_format_1_backup_is_restored_only_on_request_and_fully_verified(
        made: tuple[Path, bytes, str], tmp_path: Path) -> None:
    path, _key, _uuid = made
    to_format_1(path)
    err = restore_refused(path, tmp_path / "ziel", 2)
    assert "--accept-unauthenticated" in err

    res = run_cli("restore", str(path), "--vault", str(tmp_path / "ziel"),
                  "--accept-unauthenticated")
    assert res.returncode == 0, res.stderr
    assert run_cli("check", vault=tmp_path / "ziel").returncode == 0
    from app.vault.store import open_vault

    with open_vault(tmp_path / "ziel", PASSPHRASE) as restored, restored.session() as s:
        entry = s.execute(select(AuditLog).where(AuditLog.kind == "vault.restored")
                          ).scalar_one()
        assert entry.detail == {"backup_format": 1, "authenticated": False}


def test_a_format_1_backup_with_a_flipped_page_is_refused_even_on_request(
        made: tuple[Path, bytes, str], tmp_path: Path) -> None:
    path, _key, _uuid = made
    db = path / DB_NAME
    data = bytearray(db.read_bytes())
    data[(len(data) // PAGE // 2) * PAGE + 1500] ^= 0x01
    db.write_bytes(bytes(data))
    to_format_1(path)
    err = restore_refused(path, tmp_path / "ziel", 3, "--accept-unauthenticated")
    assert "pages fail authentication" in err
