"""SIGKILL writers at random moments: the store stays intact and every reported commit survives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.backup import read_manifest
from app.errors import WrongPassphrase
from app.services.cases import NewCase, create_case
from app.vault.store import Vault, open_vault
from db.models import CaseFile, Person
from tests.conftest import PASSPHRASE, ROOT, run_cli

OTHER = "zweite Passphrase fuer den Test"
RUNS = {"insert": 18, "update": 12, "passwd": 10, "backup": 10}  # 50 kills in all


def _run_and_kill(mode: str, folder: Path, rng: random.Random, *extra: str) -> list[str]:
    env = {**os.environ, "LOTSE_PASSPHRASE": PASSPHRASE, "LOTSE_NEW_PASSPHRASE": OTHER}
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash_child", mode, str(folder), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
                            text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(0.02, 1.2))
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    return [line for line in out.splitlines() if line]


@pytest.fixture
def seeded(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    return vault_dir


def test_kill_during_inserts_and_updates(seeded: Path) -> None:
    rng = random.Random(4711)
    reported: list[int] = []
    for mode in ("insert", "update"):
        for _ in range(RUNS[mode]):
            lines = _run_and_kill(mode, seeded, rng)
            reported += [int(x.split()[1]) for x in lines if x.startswith("case ")]
            res = run_cli("check", vault=seeded)
            assert res.returncode == 0, res.stdout + res.stderr
    assert reported, "the writer never committed: the test proves nothing"
    with open_vault(seeded, PASSPHRASE) as v, v.session() as s:
        present = set(s.execute(select(CaseFile.id).where(CaseFile.id.in_(reported))).scalars())
        assert present == set(reported)
        name = s.execute(select(Person.family_name).where(Person.id == 1)).scalar_one()
        assert name == "Haidari" or name.startswith("Yılmaz")


def test_kill_during_passwd_leaves_exactly_one_passphrase(seeded: Path) -> None:
    rng = random.Random(815)
    for _ in range(RUNS["passwd"]):
        _run_and_kill("passwd", seeded, rng)
        opens = []
        for secret in (PASSPHRASE, OTHER):
            try:
                open_vault(seeded, secret).lock()
                opens.append(secret)
            except WrongPassphrase:
                pass
        assert len(opens) == 1, f"vault opens with {len(opens)} of the two passphrases"
        res = run_cli("check", vault=seeded, passphrase=opens[0])
        assert res.returncode == 0, res.stdout + res.stderr
        if opens[0] != PASSPHRASE:  # keep the next run's starting point fixed
            from app.vault.kdf import KdfParams
            from app.vault.store import change_passphrase
            change_passphrase(seeded, OTHER, PASSPHRASE, kdf=KdfParams.minimum())


def test_kill_during_backup_never_leaves_a_half_backup_under_a_final_name(
        seeded: Path, tmp_path: Path) -> None:
    rng = random.Random(1312)
    share = tmp_path / "share"
    share.mkdir()
    reported: list[str] = []
    for _ in range(RUNS["backup"]):
        lines = _run_and_kill("backup", seeded, rng, str(share))
        reported += [x.split()[1] for x in lines if x.startswith("backup ")]
        assert run_cli("check", vault=seeded).returncode == 0
    finals = [p for p in share.iterdir() if not p.name.endswith(".partial")]
    assert {p.name for p in finals} >= set(reported)
    assert reported, "no backup completed: the test proves nothing"
    for p in finals:
        read_manifest(p, PASSPHRASE)  # raises on anything incomplete, damaged or forged
