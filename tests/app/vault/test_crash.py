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
from app.check import run_check
from app.errors import WrongPassphrase
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault import keylog
from app.vault.keyfile import KeyFile
from app.vault.store import DB_NAME, KEY_NAME, Vault, open_vault
from db.engine import connect_raw
from db.errors import UndecryptableStore
from db.models import AuditLog, CaseFile, JournalEntry, Person
from tests.conftest import PASSPHRASE, ROOT, data_key, run_cli

# 59 kills, each followed by a check of the store: minutes, not seconds (`-m "not slow"` leaves
# them out while working on something else; the README's command and CI run them).
pytestmark = pytest.mark.slow

OTHER = "zweite Passphrase fuer den Test"
THIRD = "dritte Passphrase fuer den Test"
RUNS = {"insert": 18, "update": 12, "passwd": 10, "backup": 10, "rekey": 9}  # 59 kills in all

# Every line the child prints names one committed write (tests/support/crash_child.py). After a
# kill the store holds exactly what was reported, or that plus the one write that was committed but
# killed before its line was printed: never less, never two writes more, never anything else.
Write = tuple[str, int, int]  # (kind, case id, n)


def _run_and_kill(mode: str, folder: Path, rng: random.Random, *extra: str,
                  longest: float = 1.2) -> list[str]:
    env = {**os.environ, "LOTSE_PASSPHRASE": PASSPHRASE, "LOTSE_NEW_PASSPHRASE": OTHER,
           "LOTSE_THIRD_PASSPHRASE": THIRD}
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.crash_child", mode, str(folder),
                             *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
                            text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(0.02, longest))
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    return [line for line in out.splitlines() if line]


@pytest.fixture
def seeded(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    return vault_dir


def _check(folder: Path, passphrase: str = PASSPHRASE, *, cli: bool = False) -> None:
    """What ``lotse check`` runs (``app.check``), on a fresh open after the kill. In this process
    for most rounds (a Python start and the CLI's imports per kill cost minutes over 59 kills);
    through the CLI itself, exit code and all, on each test's last round."""
    if cli:
        res = run_cli("check", vault=folder, passphrase=passphrase)
        assert res.returncode == 0, res.stdout + res.stderr
        return
    with open_vault(folder, passphrase) as v:
        report = run_check(v)
    assert report.ok, report.problems


def _inserted(folder: Path, before: set[int]) -> list[Write]:
    """The store's writes of one insert run, in the order the child makes them."""
    with open_vault(folder, PASSPHRASE) as v, v.session() as s:
        cases = s.execute(select(CaseFile.id, Person.given_names)
                          .join(Person, CaseFile.person_id == Person.id)
                          .where(CaseFile.id.not_in(before)).order_by(CaseFile.id)).all()
        entries = s.execute(select(JournalEntry.case_id, JournalEntry.text)
                            .where(JournalEntry.case_id.not_in(before))
                            .order_by(JournalEntry.id)).all()
    writes: list[Write] = []
    for cid, given in cases:
        writes.append(("case", cid, int(given.removeprefix("Emine "))))
        writes += [("journal", cid, int(text.removeprefix("Rückruf Jobcenter ")))
                   for case_of, text in entries if case_of == cid]
    return writes


def _one_write_after(reported: list[Write], extra: Write) -> bool:
    """Is `extra` the write the insert child makes right after the reported ones?"""
    if reported and reported[-1][0] == "case":
        return extra == ("journal", *reported[-1][1:])
    last_id, last_n = (reported[-1][1], reported[-1][2]) if reported else (0, 0)
    return extra[0] == "case" and extra[1] > last_id and extra[2] == last_n + 1


def test_kill_during_inserts_every_reported_commit_is_there_and_nothing_else(
        seeded: Path) -> None:
    rng = random.Random(4711)
    before = {1}
    reported: list[Write] = []
    for round_ in range(RUNS["insert"]):
        lines = _run_and_kill("insert", seeded, rng)
        reported_now: list[Write] = [(kind, int(cid), int(n))
                                     for kind, cid, n in (x.split() for x in lines)]
        _check(seeded, cli=round_ == RUNS["insert"] - 1)
        stored = _inserted(seeded, before)
        assert stored[:len(reported_now)] == reported_now, "a reported commit is missing"
        extra = stored[len(reported_now):]
        assert extra == [] or (len(extra) == 1 and _one_write_after(reported_now, extra[0])), \
            f"beyond the reported commits the store holds {extra}"
        reported += reported_now
        before |= {cid for _, cid, _ in stored}
    assert {kind for kind, _, _ in reported} == {"case", "journal"}, \
        "the writer never committed both kinds: the test proves nothing"


def _update_state(folder: Path) -> tuple[int, int]:
    """(n of case 1's indication, n of its person's family name); 0 for the seeded values."""
    with open_vault(folder, PASSPHRASE) as v, v.session() as s:
        indication, family = s.execute(select(CaseFile.indication, Person.family_name)
                                       .join(Person, CaseFile.person_id == Person.id)
                                       .where(CaseFile.id == 1)).one()
    return (0 if indication is None else int(indication.removeprefix("Mehrfachbedarf Stand ")),
            0 if family == "Haidari" else int(family.removeprefix("Yılmaz")))


def _after(state: tuple[int, int], writes: list[tuple[str, int]]) -> tuple[int, int]:
    indication, name = state
    for kind, n in writes:
        indication, name = (n, name) if kind == "indication" else (indication, n)
    return indication, name


def test_kill_during_updates_leaves_the_last_reported_values_or_one_newer(seeded: Path) -> None:
    rng = random.Random(4712)
    state = _update_state(seeded)
    assert state == (0, 0)
    kinds: set[str] = set()
    for round_ in range(RUNS["update"]):
        first = max(state) + 1
        lines = _run_and_kill("update", seeded, rng, str(first))
        reported = [(kind, int(n)) for kind, n in (x.split() for x in lines)]
        _check(seeded, cli=round_ == RUNS["update"] - 1)
        following = (("name", reported[-1][1]) if reported and reported[-1][0] == "indication"
                     else ("indication", reported[-1][1] + 1 if reported else first))
        allowed = {_after(state, reported), _after(state, [*reported, following])}
        new_state = _update_state(seeded)
        assert new_state in allowed, f"{new_state} after reported {reported[-2:]}"
        kinds |= {kind for kind, _ in reported}
        state = new_state
    assert kinds == {"indication", "name"}, "the writer never committed: the test proves nothing"


def test_kill_during_passwd_leaves_the_reported_passphrase_or_the_next(seeded: Path) -> None:
    from app.vault.kdf import KdfParams
    from app.vault.passwd import change_passphrase

    rng = random.Random(815)
    rotation = [PASSPHRASE, OTHER, THIRD]
    changes = 0
    for round_ in range(RUNS["passwd"]):
        lines = _run_and_kill("passwd", seeded, rng, longest=4.0)  # a change: 1-2 s
        reported = [int(x.split()[1]) for x in lines]
        changes += len(reported)
        last = reported[-1] if reported else 0
        opens = []
        for secret in rotation:
            try:
                open_vault(seeded, secret).lock()
                opens.append(secret)
            except WrongPassphrase:
                pass
        assert len(opens) == 1, f"vault opens with {len(opens)} of the three passphrases"
        assert opens[0] in (rotation[last], rotation[(last + 1) % 3]), \
            f"reported passphrase {last}, but the vault opens with {rotation.index(opens[0])}"
        _check(seeded, opens[0], cli=round_ == RUNS["passwd"] - 1)
        if opens[0] != PASSPHRASE:  # keep the next run's starting point fixed
            change_passphrase(seeded, opens[0], PASSPHRASE, kdf=KdfParams.minimum())
    assert changes, "no passphrase change committed: the test proves nothing"


def test_kill_during_backup_never_leaves_a_half_backup_under_a_final_name(
        seeded: Path, tmp_path: Path) -> None:
    rng = random.Random(1312)
    share = tmp_path / "share"
    share.mkdir()
    reported: list[str] = []
    finals: set[str] = set()
    for round_ in range(RUNS["backup"]):
        lines = _run_and_kill("backup", seeded, rng, str(share))
        reported_now = {x.split()[1] for x in lines}
        _check(seeded, cli=round_ == RUNS["backup"] - 1)
        finals_now = {p.name for p in share.iterdir() if not p.name.endswith(".partial")}
        new = finals_now - finals
        assert reported_now <= new, "a reported backup is missing"
        assert len(new - reported_now) <= 1, f"unreported backups: {new - reported_now}"
        reported += reported_now
        finals = finals_now
    assert reported, "no backup completed: the test proves nothing"
    for name in finals:
        read_manifest(share / name, PASSPHRASE)  # raises on anything incomplete, damaged, forged


def _renewals(folder: Path) -> list[AuditLog]:
    with open_vault(folder, PASSPHRASE) as v, v.session() as s:
        return list(s.execute(select(AuditLog).where(AuditLog.kind == "vault.rekeyed")
                              .order_by(AuditLog.seq)).scalars())


def test_kill_during_rekey_keeps_everything_and_retires_the_old_key(seeded: Path) -> None:
    rng = random.Random(2718)
    cases_before = {1}
    reported = retired = 0
    renewals_before = len(_renewals(seeded))
    for round_ in range(RUNS["rekey"]):
        old_key_file = (seeded / KEY_NAME).read_bytes()
        lines = _run_and_kill("rekey", seeded, rng, longest=4.0)  # a rekey: 0.7-2 s
        cases_now = {int(x.split()[1]) for x in lines if x.startswith("case ")}
        rekeys_now = sum(x.startswith("rekeyed ") for x in lines)
        with open_vault(seeded, PASSPHRASE) as v, v.session() as s:  # finishes or rolls back
            last = keylog.last_key_event(s)
            assert last is not None
            assert last["key_file"] == keylog.key_detail(
                KeyFile.load(seeded / KEY_NAME), data_key(v))["key_file"]  # audited
            stored = set(s.execute(select(CaseFile.id)).scalars()) - cases_before
        assert sorted(p.name for p in seeded.iterdir()) == [
            "audit.anchor", "lotse.db", "lotse.key", "lotse.lock", "unlock.throttle"
        ], "a half-swapped file was left"
        _check(seeded, cli=round_ == RUNS["rekey"] - 1)
        assert cases_now <= stored, "a reported case is missing"
        assert len(stored - cases_now) <= 1, f"unreported cases: {stored - cases_now}"
        renewals = _renewals(seeded)
        committed = len(renewals) - renewals_before
        assert committed in (rekeys_now, rekeys_now + 1), \
            f"{committed} rekeys in the audit log, {rekeys_now} reported"
        assert ((seeded / KEY_NAME).read_bytes() != old_key_file) == (committed > 0)
        if committed:  # the key file from before this run no longer opens the store
            old_key = KeyFile.from_bytes(old_key_file).unwrap(PASSPHRASE)
            with pytest.raises(UndecryptableStore):
                connect_raw(seeded / DB_NAME, old_key)
            retired += 1
        assert len({r.detail["key_file"] for r in renewals}) == len(renewals)
        reported += rekeys_now
        renewals_before = len(renewals)
        cases_before |= stored
    assert reported and retired, "no rekey committed: the test proves nothing"
