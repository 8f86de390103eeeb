"""The vault lock between processes (``lotse.lock``), tried with real second processes.

A process that starts during a rekey waits (and gives exit 5 after ``--wait``) instead of
discarding or installing the rekey's copy; a rekey refuses while another process has the vault
open, so that process's later writes are kept; ``passwd`` and ``rekey`` that got past their commit
point report success even when the audit entry has to wait for the next unlock; a rekey during
an anchor alarm says so; the lock file is a private plain file that never goes into a backup.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.backup import backup
from app.errors import IntegrityFailure, UnsafeVaultFile, WrongPassphrase
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault import swap
from app.vault.access import hold
from app.vault.keyfile import KeyFile
from app.vault.rekey import rekey
from app.vault.store import ANCHOR_NAME, DB_NAME, KEY_NAME, LOCK_NAME, Vault, open_vault
from db.models import AuditLog
from tests.app.cli.test_cli_busy import Holder, Waiter
from tests.conftest import PASSPHRASE, ROOT, file_hashes, run_cli

HANG_GUARD = 120  # seconds; only against a hung test, never a timing assertion
PENDING = "lotse.db.rekey"
NEW = "Wolkenkratzer Gurkensalat Zitronenfalter 917"
BUSY = ("error: the vault is in use by another Lotse process; try again when it has finished "
        "(or wait longer with --wait SECONDS)")
OPEN_ELSEWHERE = ("error: the vault is open in another Lotse process; lock or close it there "
                  "first (nothing was changed)")
PASSWD_DONE = ("passphrase changed (key files copied before still open with the old passphrase; "
               "`lotse rekey` renews the data key)")


class Child:
    """A test helper process that reports on stdout and waits for a line on stdin."""

    def __init__(self, module: str, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**env, "LOTSE_PASSPHRASE": PASSPHRASE})

    def expect(self, line: str) -> None:
        assert self.proc.stdout is not None
        got = self.proc.stdout.readline().strip()
        assert got == line, (got, self.proc.stderr.read() if self.proc.stderr else "")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self) -> list[str]:
        out, err = self.proc.communicate(timeout=HANG_GUARD)
        assert self.proc.returncode == 0, err
        return out.splitlines()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=HANG_GUARD)


@pytest.fixture
def seeded(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    return vault_dir


def family_names(folder: Path, passphrase: str = PASSPHRASE) -> list[str]:
    res = run_cli("cases", "--json", vault=folder, passphrase=passphrase)
    assert res.returncode == 0, res.stderr
    return [row["family_name"] for row in json.loads(res.stdout)]


Entries = list[tuple[str, dict[str, object]]]


def audit_entries(folder: Path, passphrase: str = PASSPHRASE) -> Entries:
    with open_vault(folder, passphrase) as v, v.session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows]


def assert_checks_ok(folder: Path, passphrase: str = PASSPHRASE) -> None:
    res = run_cli("check", vault=folder, passphrase=passphrase)
    assert res.returncode == 0 and "check: ok" in res.stdout, res.stdout + res.stderr


# 70: copy written; 90: copy verified; 93: new key file wrapped, not written; 95: installed.
@pytest.mark.parametrize("mark", [70, 90, 93, 95])
def test_a_process_starting_during_a_rekey_waits_and_leaves_its_copy_alone(
        seeded: Path, mark: int) -> None:
    old_key_file = (seeded / KEY_NAME).read_bytes()
    child = Child("tests.support.rekey_child", str(seeded), str(mark))
    try:
        child.expect(f"paused {mark}")
        before = file_hashes(seeded)
        assert (PENDING in before) == (mark < 95)

        res = run_cli("--wait", "1", "cases", vault=seeded)

        assert res.returncode == 5, res.stdout + res.stderr
        assert res.stderr.strip() == BUSY and res.stdout == ""
        assert file_hashes(seeded) == before, "the second process changed the vault's files"
        child.go()
        assert child.finish() == ["renewed"]
    finally:
        child.kill()
    assert (seeded / KEY_NAME).read_bytes() != old_key_file
    assert family_names(seeded) == ["Haidari"]  # opens with the passphrase, under the new key
    assert_checks_ok(seeded)
    renewals = [d for k, d in audit_entries(seeded) if k == "vault.rekeyed"]
    assert len(renewals) == 1 and "late" not in renewals[0]


def test_a_process_waiting_through_a_rekey_then_opens_under_the_new_key(seeded: Path) -> None:
    child = Child("tests.support.rekey_child", str(seeded), "90")
    waiter: Waiter | None = None
    try:
        child.expect("paused 90")
        waiter = Waiter(seeded, "--wait", "120", "cases", "--json")
        waiter.wait_for_notice()  # it waits while the rekey holds the vault
        child.go()
        assert child.finish() == ["renewed"]
        code, out = waiter.finish()
    finally:
        child.kill()
        if waiter is not None and waiter.proc.poll() is None:
            waiter.proc.kill()
    assert code == 0, waiter.said
    assert [row["family_name"] for row in json.loads(out)] == ["Haidari"]
    assert_checks_ok(seeded)


def test_settling_or_installing_a_copy_needs_the_exclusive_lock(seeded: Path) -> None:
    pending = swap.pending_store(seeded / DB_NAME)
    pending.write_bytes((seeded / DB_NAME).read_bytes())  # a copy of a rekey that died
    before = file_hashes(seeded)
    shared = hold(seeded, exclusive=False)
    try:
        for step in (lambda: swap.install(seeded / DB_NAME, shared),
                     lambda: swap.discard(seeded / DB_NAME, shared),
                     lambda: swap.settle(seeded / DB_NAME, bytes(32), shared)):
            with pytest.raises(RuntimeError, match="not held exclusively"):
                step()
    finally:
        shared.release()
    assert file_hashes(seeded) == before


def test_rekey_refuses_while_another_process_has_the_vault_open(seeded: Path) -> None:
    other = Child("tests.support.open_holder", str(seeded), "Xhaferi")
    try:
        other.expect("open")
        before = file_hashes(seeded)

        res = run_cli("--wait", "1", "rekey", vault=seeded)

        assert res.returncode == 5, res.stdout + res.stderr
        assert res.stderr.strip() == OPEN_ELSEWHERE
        assert file_hashes(seeded) == before
        other.go()  # the other process saves after the refused rekey
        assert other.finish() == ["saved"]
    finally:
        other.kill()
    assert family_names(seeded) == ["Xhaferi"]  # its write was kept
    res = run_cli("rekey", vault=seeded)  # nobody else has it open now
    assert res.returncode == 0, res.stderr
    assert family_names(seeded) == ["Xhaferi"]
    assert_checks_ok(seeded)


def test_passwd_while_another_process_writes_is_done_and_audited_at_the_next_unlock(
        seeded: Path) -> None:
    holder = Holder(seeded)  # `lotse demo` in another process, inside its transaction
    try:
        res = run_cli("--wait", "1", "passwd", vault=seeded, env={"LOTSE_NEW_PASSPHRASE": NEW})

        assert res.returncode == 0, res.stdout + res.stderr
        assert res.stdout.splitlines() == [
            PASSWD_DONE, "note: its audit entry follows at the next unlock (another Lotse "
            "process was writing to the vault)"]
        keyfile = KeyFile.load(seeded / KEY_NAME)  # unwrapped directly: no attempt is counted
        keyfile.unwrap(NEW)
        with pytest.raises(WrongPassphrase):
            keyfile.unwrap(PASSPHRASE)
    finally:
        holder.release()
    entries = audit_entries(seeded, NEW)
    changes = [d for k, d in entries if k == "vault.passphrase_changed"]
    assert len(changes) == 1 and changes[0]["late"] is True
    assert "vault.unlock_failures" not in [k for k, _ in entries]
    assert_checks_ok(seeded, NEW)


def test_a_rekey_whose_reopening_meets_a_full_disk_is_done_and_audited_later(
        seeded: Path) -> None:
    old_key_file = (seeded / KEY_NAME).read_bytes()
    child = Child("tests.support.rekey_child", str(seeded), "-1", "full-after-install")
    try:
        assert child.finish() == ["renewed", "deferred StorageFailure"]
    finally:
        child.kill()
    assert (seeded / KEY_NAME).read_bytes() != old_key_file
    assert PENDING not in file_hashes(seeded)  # installed before the disk filled up
    renewals = [d for k, d in audit_entries(seeded) if k == "vault.rekeyed"]
    assert len(renewals) == 1 and renewals[0]["late"] is True
    assert family_names(seeded) == ["Haidari"]
    assert_checks_ok(seeded)


def test_rekey_during_an_anchor_alarm_names_the_alarm_and_changes_nothing(seeded: Path) -> None:
    (seeded / ANCHOR_NAME).write_bytes(b"")  # emptied by someone
    before = {n: h for n, h in file_hashes(seeded).items() if n != "unlock.throttle"}

    res = run_cli("rekey", vault=seeded)

    assert res.returncode == 3, res.stdout + res.stderr
    assert res.stderr.startswith("error: audit anchor alarm: the audit anchor is missing or "
                                 "empty but the store holds"), res.stderr
    assert "the data key was not renewed" in res.stderr
    with pytest.raises(IntegrityFailure) as info:
        rekey(seeded, PASSPHRASE)
    assert info.value.message_de.startswith("Prüfanker-Alarm: Der Prüfanker fehlt oder ist leer")
    assert "wird der Datenschlüssel nicht erneuert" in info.value.message_de
    assert {n: h for n, h in file_hashes(seeded).items() if n != "unlock.throttle"} == before


def test_the_lock_file_is_private_empty_and_never_in_a_backup(vault: Vault, vault_dir: Path,
                                                              tmp_path: Path) -> None:
    lock = vault_dir / LOCK_NAME
    assert stat.S_ISREG(lock.lstat().st_mode) and lock.stat().st_size == 0
    if os.name == "posix":
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    share = tmp_path / "share"
    share.mkdir()
    made = backup(vault, share).path
    assert LOCK_NAME not in {p.name for p in made.iterdir()}


@pytest.mark.skipif(os.name != "posix", reason="POSIX links and FIFOs")
@pytest.mark.parametrize("kind", ["symlink", "fifo", "hardlink"])
def test_a_link_or_fifo_in_place_of_the_lock_file_is_refused(
        seeded: Path, tmp_path: Path, kind: str) -> None:
    lock, elsewhere = seeded / LOCK_NAME, tmp_path / "someone-elses-file"
    lock.unlink()
    if kind == "fifo":
        os.mkfifo(lock)
    else:
        elsewhere.write_bytes(b"notes\n")
        if kind == "symlink":
            lock.symlink_to(elsewhere)
        else:
            os.link(elsewhere, lock)
    before = {n: h for n, h in file_hashes(seeded).items() if n != LOCK_NAME}
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            open_vault(seeded, PASSPHRASE).lock()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=HANG_GUARD)
    assert not worker.is_alive(), "opening the vault hangs on the lock file"
    assert len(outcome) == 1 and isinstance(outcome[0], UnsafeVaultFile), outcome
    assert outcome[0].name == LOCK_NAME
    assert outcome[0].problem == {"symlink": "link", "fifo": "special",
                                  "hardlink": "hardlink"}[kind]
    assert {n: h for n, h in file_hashes(seeded).items() if n != LOCK_NAME} == before
    if kind != "fifo":
        assert elsewhere.read_bytes() == b"notes\n"
    if kind == "symlink":
        res = run_cli("cases", vault=seeded)
        assert res.returncode == 2 and "lotse.lock is a symbolic link" in res.stderr, res.stderr
