"""Ending an anchor alarm takes a person's explicit word: `lotse audit --reanchor` asks on a
terminal (or takes --yes), keeps the old anchor file, records the restart, and from then on the
new anchor guards the store as the old one did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.services.audit.read import anchor_status
from app.services.audit.write import restart_anchor
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.anchor import RECORD
from app.vault.store import ANCHOR_NAME, DB_NAME, THROTTLE_NAME, Vault, open_vault
from db.engine import SIDECARS
from db.models import AuditLog
from tests.conftest import PASSPHRASE, ROOT, file_hashes, run_cli

ALARM = "AUDIT ANCHOR ALARM"


@pytest.fixture
def rolled_back(vault: Vault, vault_dir: Path, clock: FixedClock) -> Path:
    """A vault whose ``lotse.db`` was replaced by an older copy and used since."""
    case_id = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                         municipality="DO"))
    vault.lock()
    old = (vault_dir / DB_NAME).read_bytes()
    for put_back in (False, True):
        if put_back:
            for suffix in SIDECARS:
                (vault_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
            (vault_dir / DB_NAME).write_bytes(old)
        clock.advance(timedelta(minutes=5))
        with open_vault(vault_dir, PASSPHRASE, clock) as v:
            get_case(v, case_id)
    return vault_dir


def _on_terminal(vault_dir: Path, answer: str) -> tuple[int, str]:
    """Run `lotse audit --reanchor` with a terminal as a person does, typing ``answer``."""
    import pty

    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    proc = subprocess.Popen([sys.executable, "-m", "app", "--vault", str(vault_dir), "audit",
                             "--reanchor"], stdin=child, stdout=child, stderr=child, cwd=ROOT,
                            env=env)
    os.close(child)
    out = b""
    while b"Type 'yes'" not in out:
        out += os.read(main, 4096)
    os.write(main, answer.encode() + b"\n")
    code = proc.wait(timeout=120)
    try:
        while chunk := os.read(main, 4096):
            out += chunk
    except OSError:  # the terminal closes with the process
        pass
    os.close(main)
    return code, out.decode(errors="replace")


def test_reanchor_asks_on_a_terminal_and_needs_yes_in_scripts(rolled_back: Path) -> None:
    before = file_hashes(rolled_back)
    res = run_cli("audit", "--reanchor", vault=rolled_back)  # no terminal, no --yes
    assert res.returncode == 1 and "--yes" in res.stderr
    code, out = _on_terminal(rolled_back, "no")
    assert code == 0 and "nothing changed" in out and ALARM in out
    # Only the unlock wrote: its audit entries (store) and a fresh failure record (throttle).
    unlock_writes = {DB_NAME, THROTTLE_NAME}
    assert {k: v for k, v in file_hashes(rolled_back).items() if k not in unlock_writes} == {
        k: v for k, v in before.items() if k not in unlock_writes}
    assert run_cli("check", vault=rolled_back).returncode == 3
    code, out = _on_terminal(rolled_back, "yes")
    assert code == 0 and "new audit anchor begun" in out
    assert run_cli("check", vault=rolled_back).returncode == 0


def test_reanchor_keeps_the_old_anchor_records_the_restart_and_guards_again(
        rolled_back: Path, clock: FixedClock) -> None:
    old_anchor = (rolled_back / ANCHOR_NAME).read_bytes()
    res = run_cli("audit", "--reanchor", "--yes", vault=rolled_back)
    assert res.returncode == 0, res.stderr
    kept = [p for p in rolled_back.iterdir() if p.name.startswith(ANCHOR_NAME + ".replaced-")]
    assert len(kept) == 1 and kept[0].read_bytes() == old_anchor
    assert kept[0].stat().st_mode & 0o077 == 0
    check = run_cli("check", vault=rolled_back)
    assert check.returncode == 0 and ALARM not in check.stderr, check.stdout

    with open_vault(rolled_back, PASSPHRASE, clock) as vault, vault.session() as s:
        entries = list(s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars())
    restart = next(e for e in entries if e.kind == "vault.anchor_restarted")
    old_seq, old_hash = RECORD.unpack(old_anchor[-RECORD.size:])
    assert restart.detail["old_seq"] == old_seq and restart.detail["old_hash"] == old_hash.hex()
    before = entries[restart.seq - 2]
    assert (restart.detail["new_seq"], restart.detail["new_hash"]) == (before.seq, before.hash)
    assert "Haidari" not in json.dumps(restart.detail)

    # Nothing left to restart: refused; the anchor only grows by the unlock's own entry.
    names, anchor = sorted(os.listdir(rolled_back)), (rolled_back / ANCHOR_NAME).read_bytes()
    res = run_cli("audit", "--reanchor", "--yes", vault=rolled_back)
    assert res.returncode == 2 and "nothing to restart" in res.stderr
    assert sorted(os.listdir(rolled_back)) == names
    assert (rolled_back / ANCHOR_NAME).read_bytes()[:-RECORD.size] == anchor

    # The new anchor catches the next rollback as the old one did.
    copy = (rolled_back / DB_NAME).read_bytes()
    assert run_cli("cases", vault=rolled_back).returncode == 0
    for suffix in SIDECARS:
        (rolled_back / (DB_NAME + suffix)).unlink(missing_ok=True)
    (rolled_back / DB_NAME).write_bytes(copy)
    assert ALARM in run_cli("cases", vault=rolled_back).stderr


def test_reanchor_after_a_deleted_anchor(vault: Vault, vault_dir: Path) -> None:
    (vault_dir / ANCHOR_NAME).unlink()
    status = anchor_status(vault)
    assert not status.ok and status.problem_de and "gelöscht" in status.problem_de
    result = restart_anchor(vault)
    assert result.kept is None and result.old_head is None and result.status.ok
    vault.lock()
    assert run_cli("check", vault=vault_dir).returncode == 0
