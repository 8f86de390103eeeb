"""Serials: ``{municipality}-{year}-{vault_code}-B{seq:04d}``, unique without a server: two
vaults of the same municipality issuing interleaved never collide (property test), nor do two
processes issuing on one vault at once (both draw through the store's write lock)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.read import certificate_register
from app.services.certificates.records import IssueRequest, RegisterFilter
from app.services.certificates.write import issue_certificate
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from tests.app.services.certificates.conftest import COURSE, case_number
from tests.conftest import PASSPHRASE, ROOT

SERIAL = re.compile(r"DO-2026-(T3ST|ZW2T)-B(\d{4})")
HANG_GUARD = 120  # seconds; only against a hung child, never a timing assertion


def _vault(folder: Path, code: str) -> tuple[Vault, str]:
    clock = FixedClock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    v = create_vault(folder, PASSPHRASE, owner_name=f"Fallmanagerin {code}", municipality="DO",
                     vault_code=code, kdf=KdfParams.minimum(), clock=clock)
    return v, case_number(v, create_case(v, NewCase("Mariam", "Haidari", "DO")))


@pytest.fixture(scope="module")
def two_vaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[Vault, str]]]:
    """Two laptops of one municipality: real vault folders with different vault codes."""
    base = tmp_path_factory.mktemp("serials")
    vaults = [_vault(base / "a", "T3ST"), _vault(base / "b", "ZW2T")]
    yield vaults
    for v, _ in vaults:
        v.lock()


SEEN: set[str] = set()


@settings(max_examples=15, deadline=None)
@given(order=st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=6))
def test_two_vaults_issuing_interleaved_never_share_a_serial(
        two_vaults: list[tuple[Vault, str]], order: list[int]) -> None:
    """0 / 1: one vault issues; 2: both at once, on two threads."""
    def issue(i: int, out: list[str]) -> None:
        v, case = two_vaults[i]
        out.append(issue_certificate(v, IssueRequest(case, "teilnahme", COURSE)).serial)

    issued: list[str] = []
    for step in order:
        if step < 2:
            issue(step, issued)
            continue
        threads = [threading.Thread(target=issue, args=(i, issued)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(HANG_GUARD)
        assert not any(t.is_alive() for t in threads)
    assert len(issued) == sum(2 if s == 2 else 1 for s in order)
    for serial in issued:
        assert SERIAL.fullmatch(serial), serial
        assert serial not in SEEN, f"{serial} issued twice"
        SEEN.add(serial)
    # Each vault counts its own sequence without gaps.
    for code in ("T3ST", "ZW2T"):
        numbers = sorted(int(m[2]) for s in SEEN if (m := SERIAL.fullmatch(s)) and m[1] == code)
        assert numbers == list(range(1, len(numbers) + 1))


def _child(folder: Path, case: str, count: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.certificate_issuer", str(folder), case,
         str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env={**env, "LOTSE_PASSPHRASE": PASSPHRASE})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr
    return proc


def test_two_processes_on_one_vault_never_share_a_serial(vault: Vault, vault_dir: Path) -> None:
    case = case_number(vault, create_case(vault, NewCase("Mariam", "Haidari", "DO")))
    children = [_child(vault_dir, case, 6) for _ in range(2)]
    for child in children:  # both go, while this process issues too
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    mine = [issue_certificate(vault, IssueRequest(case, "teilnahme", COURSE)).serial
            for _ in range(6)]
    serials = list(mine)
    for child in children:
        out, err = child.communicate(timeout=HANG_GUARD)
        assert child.returncode == 0, err
        serials += json.loads(out.strip().splitlines()[-1])
    assert len(serials) == len(set(serials)) == 18
    registered = [r.serial for r in certificate_register(vault, RegisterFilter())]
    assert sorted(registered) == sorted(serials)
    by_year: dict[str, list[int]] = {}
    for s in serials:
        municipality, year, code, number = s.split("-")
        assert (municipality, code) == ("DO", "T3ST") and number.startswith("B")
        by_year.setdefault(year, []).append(int(number[1:]))
    for numbers in by_year.values():  # one gap-free sequence per year (children: system clock)
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
