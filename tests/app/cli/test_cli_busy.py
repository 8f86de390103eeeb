"""A second Lotse process writing to the vault: readers wait and succeed, a writer that holds on
longer than ``--wait`` gives exit 5 and says so. Busy is never reported as damage (exit 3)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select as sql_select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault, open_vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE, ROOT, run_cli

HANG_GUARD = 120  # seconds; only against a hung test, never a timing assertion


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    return {**env, "LOTSE_PASSPHRASE": PASSPHRASE}


class Holder:
    """``tests.support.lock_holder``: the demo generator stopped inside its transaction."""

    def __init__(self, folder: Path, cases: int = 20) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.lock_holder", str(folder), str(cases)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=ROOT, env=_env())
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line == "holding", self.proc.stderr.read() if self.proc.stderr else ""

    def release(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        out, err = self.proc.communicate(timeout=HANG_GUARD)
        assert self.proc.returncode == 0 and out.strip() == "done", err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=HANG_GUARD)


@pytest.fixture
def holder(vault: Vault, vault_dir: Path) -> Iterator[Holder]:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    h = Holder(vault_dir)
    yield h
    h.kill()


class Waiter:
    """A CLI command whose stderr is a terminal (so it says that it waits)."""

    def __init__(self, folder: Path, *args: str) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "--vault", str(folder), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, text=True,
            cwd=ROOT, env=_env())
        os.close(slave)
        self.said = ""

    def wait_for_notice(self) -> None:
        deadline = time.monotonic() + HANG_GUARD
        while "waiting for another Lotse process" not in self.said:
            assert self.proc.poll() is None, f"ended instead of waiting: {self.said!r}"
            assert time.monotonic() < deadline, f"never said it waits: {self.said!r}"
            self._read(0.2)

    def _read(self, timeout: float) -> bool:
        if not select.select([self.master], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the terminal closed with the process
            return False
        self.said += chunk.decode(errors="replace")
        return bool(chunk)

    def finish(self) -> tuple[int, str]:
        out, _ = self.proc.communicate(timeout=HANG_GUARD)
        while self._read(0.1):
            pass
        os.close(self.master)
        return self.proc.returncode, out


def _audit_kinds(folder: Path) -> list[str]:
    with open_vault(folder, PASSPHRASE) as v, v.session() as s:
        return list(s.execute(sql_select(AuditLog.kind).order_by(AuditLog.seq)).scalars())


def test_readers_wait_for_a_writing_demo_and_then_succeed(holder: Holder,
                                                          vault_dir: Path) -> None:
    waiters = {name: Waiter(vault_dir, *args) for name, args in {
        "cases": ("cases", "--json", "--limit", "500"),
        "search": ("search", "haidari", "--json"),
        "check": ("check",),
    }.items()}
    for w in waiters.values():
        w.wait_for_notice()  # each is still running while the demo holds the vault
    holder.release()
    results = {name: w.finish() for name, w in waiters.items()}
    for name, (code, _out) in results.items():
        assert code == 0, (name, waiters[name].said, _out)
        assert "Traceback" not in waiters[name].said and "unreadable" not in waiters[name].said
    # They read after the demo committed: its 20 cases are there besides Mariam Haidari's.
    assert len(json.loads(results["cases"][1])) == 21
    assert [h["family_name"] for h in json.loads(results["search"][1])["cases"]] == ["Haidari"]
    assert "check: ok" in results["check"][1]


def test_a_writer_holding_on_longer_than_the_wait_gives_exit_5(holder: Holder,
                                                                vault_dir: Path) -> None:
    for args in (("cases",), ("check",), ("case", "show", "1")):
        res = run_cli("--wait", "1", *args, vault=vault_dir)
        assert res.returncode == 5, res.stderr
        assert res.stderr.strip() == ("error: the vault is in use by another Lotse process; "
                                      "try again when it has finished (or wait longer with "
                                      "--wait SECONDS)")
        assert res.stdout == ""
    holder.release()
    # The refused commands wrote nothing: the holder's unlock and demo (its certificates are
    # issued through the services after the bulk transaction), then this look.
    kinds = _audit_kinds(vault_dir)
    assert kinds[:4] == ["vault.created", "case.created", "vault.unlocked",
                         "vault.demo_generated"]
    assert kinds[-1] == "vault.unlocked" and "vault.unlocked" not in kinds[4:-1]
    assert {k.split(".")[0] for k in kinds[4:-1]} <= {"key", "certificate", "record"}
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 0 and "check: ok" in res.stdout
