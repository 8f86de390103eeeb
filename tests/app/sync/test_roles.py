"""Vault roles: made by ``lotse init --role``, stored in vault_meta, and deciding which kinds of
bundle a vault takes in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundle.records import CATALOGUE, DEPUTY, DIRECTORY, KINDS, STEERING, TRANSFER
from app.errors import UsageError
from app.sync.keys import ROLE_KEY
from app.sync.roles import ROLE_KEY as ROLES_ROLE_KEY
from app.sync.roles import accepts, vault_role
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault, open_vault
from db.models import AuditLog, VaultMeta
from tests.conftest import PASSPHRASE, run_cli


def _role_of(folder: Path) -> tuple[str, VaultMeta | None, dict[str, object]]:
    with open_vault(folder, PASSPHRASE) as vault, vault.read_session() as s:
        row = s.get(VaultMeta, ROLE_KEY)
        created = s.execute(select(AuditLog.detail).where(
            AuditLog.kind == "vault.created")).scalar_one()
        return vault_role(s), row, created


def test_init_makes_a_steering_vault_and_by_default_a_casework_one(tmp_path: Path) -> None:
    result = run_cli("init", "--name", "Lenkungskreis", "--municipality", "DO", "--role",
                     "steering", vault=tmp_path / "s")
    assert result.returncode == 0, result.stderr
    assert "role steering" in result.stdout
    role, row, created = _role_of(tmp_path / "s")
    assert (role, row is not None, created.get("role")) == ("steering", True, "steering")
    # The desktop's first run makes its vault as every vault before roles: casework, unset.
    create_vault(tmp_path / "c", PASSPHRASE, owner_name="Katharina Nowak", municipality="DO",
                 kdf=KdfParams.minimum()).lock()
    role, row, created = _role_of(tmp_path / "c")
    assert (role, row, "role" in created) == ("casework", None, False)
    bad = run_cli("init", "--name", "X", "--role", "boss", vault=tmp_path / "x")
    assert bad.returncode != 0 and "invalid choice" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_create_vault_refuses_an_unknown_role(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        create_vault(tmp_path / "v", PASSPHRASE, owner_name="A", municipality="DO",
                     kdf=KdfParams.minimum(), role="boss")
    assert not (tmp_path / "v").exists()


def test_a_coordination_vault_keeps_its_role(tmp_path: Path) -> None:
    v: Vault = create_vault(tmp_path / "k", PASSPHRASE, owner_name="Koordinierungsstelle",
                            municipality="DO", kdf=KdfParams.minimum(), role="coordination")
    with v.read_session() as s:
        assert vault_role(s) == "coordination"
    v.lock()
    assert ROLE_KEY == ROLES_ROLE_KEY == "vault_role"


def test_which_role_takes_which_kind() -> None:
    assert {k for k in KINDS if accepts("steering", k)} == {STEERING, CATALOGUE}
    for role in ("casework", "coordination"):
        assert not accepts(role, STEERING)
        assert all(accepts(role, k) for k in (DEPUTY, TRANSFER, DIRECTORY, CATALOGUE))
