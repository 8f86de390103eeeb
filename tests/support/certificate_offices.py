"""Two offices' vaults for the certificate CLI tests (``lotse certificate …``, ``lotse keys
…``): Dortmund and Bielefeld, each with three cases, one pair per test module; and the CLI calls
the tests make on them."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.demo.certificate_values import values_for
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import TRAINING
from app.services.templates.read import templates
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, run_cli

JSON_KEYS = {"serial", "kind", "issued_on", "revoked", "revoked_on", "copies", "check_code",
             "case_number"}
CLIENTS = [("Ayşe", "Yıldız", None), ("Łukasz", "Wróblewski", None),
           ("Nguyễn Thị", "Hương", None)]


@dataclass
class Office:
    vault: Vault
    folder: Path
    cases: list[int]


def _office(root: Path, code: str, owner: str, muni: str) -> Office:
    folder = root / code
    vault = create_vault(folder, PASSPHRASE, owner_name=owner, municipality=muni,
                         vault_code=code, kdf=KdfParams.minimum())
    cases = [create_case(vault, NewCase(given_names=given, family_name=family,
                                        municipality=muni, date_of_birth=born))
             for given, family, born in CLIENTS]
    return Office(vault, folder, cases)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Office, Office]]:
    root = tmp_path_factory.mktemp("certificates")
    first = _office(root, "K7Q2", "Jürgen Müller-Lüdenscheidt", "DO")
    second = _office(root, "B1EL", "Fatma Şahin", "BI")
    yield first, second
    first.vault.lock()
    second.vault.lock()


def template_args(vault: Vault, index: int = 0) -> tuple[str, list[str]]:
    """A client template's key and its fields as ``--field`` arguments."""
    client = [t for t in templates(vault) if t.kind != TRAINING]
    t = client[index % len(client)]
    values = values_for(t, random.Random(index), vault.clock.today(), index)
    fields = [arg for key, value in values.items() for arg in ("--field", f"{key}={value}")]
    return t.key, fields


def issue(office: Office, case: int, out: Path | None = None,
          index: int = 0) -> subprocess.CompletedProcess[str]:
    key, fields = template_args(office.vault, index)
    extra = ["--out", str(out)] if out is not None else []
    return run_cli("certificate", "issue", "--case", str(case), "--template", key, *fields,
                   *extra, vault=office.folder)


def serial_of(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 0, res.stderr
    line = next(x for x in res.stdout.splitlines() if x.startswith("certificate issued: "))
    return line.removeprefix("certificate issued: ").split()[0]


def listing(office: Office) -> list[dict[str, object]]:
    res = run_cli("certificate", "list", "--json", vault=office.folder)
    assert res.returncode == 0, res.stderr
    rows: list[dict[str, object]] = json.loads(res.stdout)
    return rows


def verify(office: Office, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("certificate", "verify", *args, vault=office.folder)
