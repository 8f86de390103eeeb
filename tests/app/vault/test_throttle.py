"""The failed-unlock record under attack: a damaged, deleted or replaced unlock.throttle never
locks the owner out, and the next successful unlock puts what happened into the audit log."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.backup import backup, restore
from app.clock import FixedClock
from app.errors import Throttled, WrongPassphrase
from app.vault.store import THROTTLE_NAME, Vault, open_vault
from app.vault.throttle import Throttle
from db.models import AuditLog
from tests.conftest import PASSPHRASE, file_hashes, run_cli

WRONG = "daneben daneben daneben"


@pytest.fixture
def locked(vault: Vault, vault_dir: Path) -> Path:
    vault.lock()
    return vault_dir


def _fail(folder: Path, clock: FixedClock, times: int) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassphrase):
            open_vault(folder, WRONG, clock)


def _unlock_entries(folder: Path, clock: FixedClock) -> list[tuple[str, dict[str, Any]]]:
    """Unlock with the right passphrase; the audit entries this unlock wrote before its own."""
    with open_vault(folder, PASSPHRASE, clock) as v, v.session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq.desc())).scalars().all()
    assert rows[0].kind == "vault.unlocked"
    found = []
    for row in rows[1:]:
        if row.kind not in ("vault.unlock_failures", "vault.throttle_damaged"):
            break
        found.append((row.kind, row.detail))
    return list(reversed(found))


def _assert_fresh_record(folder: Path, clock: FixedClock) -> None:
    state = Throttle(folder / THROTTLE_NAME, clock).read()
    assert state.damage is None and state.failures == 0 and state.record_id is not None


DAMAGE = {
    "empty": (b"", "unreadable"),
    "truncated": (b'{"format": "lotse-unlock-throttle", "failures": 7, "last_fa', "unreadable"),
    "not_json": (b"\x00\xff garbage", "unreadable"),
    "a_list": (b"[1, 2, 3]", "unreadable"),
    "nan": (b'{"failures": NaN, "last_failure_epoch": 1}', "implausible"),
    "infinity": (b'{"failures": 9, "last_failure_epoch": Infinity}', "implausible"),
    "overflowing_float": (b'{"failures": 9, "last_failure_epoch": 1e400}', "implausible"),
    "negative": (b'{"failures": -3, "last_failure_epoch": 1}', "implausible"),
    "huge_count": (b'{"failures": 10000000000000000000000, "last_failure_epoch": 1}',
                   "implausible"),
    "text_count": (b'{"failures": "9", "last_failure_epoch": 1}', "implausible"),
    "far_future": (b'{"failures": 9, "last_failure_epoch": 4102444800}', "implausible"),
    "too_big": (b'{"failures": 9, "last_failure_epoch": 1, "x": "' + b"a" * 5000 + b'"}',
                "too_big"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_record_never_locks_out_the_right_passphrase(locked: Path, clock: FixedClock,
                                                               damage: str) -> None:
    content, problem = DAMAGE[damage]
    (locked / THROTTLE_NAME).write_bytes(content)

    entries = _unlock_entries(locked, clock)

    assert entries == [("vault.throttle_damaged", {"problems": [problem]})]
    _assert_fresh_record(locked, clock)
    assert _unlock_entries(locked, clock) == []  # reported once; the new record is sound


def test_failures_on_a_damaged_record_are_counted_and_the_damage_still_reported(
        locked: Path, clock: FixedClock) -> None:
    (locked / THROTTLE_NAME).write_bytes(b'{"failures": 3, "last_fail')  # truncated
    _fail(locked, clock, 2)  # wrong passphrases say so; no traceback, no endless wait

    entries = _unlock_entries(locked, clock)

    assert entries == [("vault.unlock_failures", {"failed_attempts": 2}),
                       ("vault.throttle_damaged", {"problems": ["unreadable"]})]


def test_a_folder_in_its_place_is_left_alone_reported_and_never_blocks(locked: Path,
                                                                     clock: FixedClock) -> None:
    folder = locked / THROTTLE_NAME
    folder.unlink()
    folder.mkdir()
    (folder / "inside.txt").write_text("not ours")
    _fail(locked, clock, 6)  # nothing can be counted there, but each refusal is plain

    assert _unlock_entries(locked, clock) == [
        ("vault.throttle_damaged", {"problems": ["not_a_file"]})]
    assert (folder / "inside.txt").read_text() == "not ours"
    # Still there at the next unlock: reported again, the unlock goes on.
    assert _unlock_entries(locked, clock) == [
        ("vault.throttle_damaged", {"problems": ["not_a_file"]})]


@pytest.mark.skipif(os.name != "posix", reason="POSIX links and FIFOs")
def test_a_link_in_its_place_is_removed_and_its_target_never_written(locked: Path,
                                                                     tmp_path: Path,
                                                                     clock: FixedClock) -> None:
    victim = tmp_path / "notes.txt"
    victim.write_bytes(b'{"failures": 99, "last_failure_epoch": 1}')
    before = victim.read_bytes()
    (locked / THROTTLE_NAME).unlink()
    (locked / THROTTLE_NAME).symlink_to(victim)

    entries = _unlock_entries(locked, clock)

    assert entries == [("vault.throttle_damaged", {"problems": ["link"]})]
    assert not (locked / THROTTLE_NAME).is_symlink()
    assert victim.read_bytes() == before
    _assert_fresh_record(locked, clock)


@pytest.mark.skipif(os.name != "posix", reason="POSIX FIFOs")
def test_a_fifo_in_its_place_neither_hangs_nor_blocks(locked: Path, clock: FixedClock) -> None:
    (locked / THROTTLE_NAME).unlink()
    os.mkfifo(locked / THROTTLE_NAME)
    outcome: list[object] = []

    def attempt() -> None:
        try:
            outcome.append(_unlock_entries(locked, clock))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "unlocking hangs on a FIFO"
    assert outcome == [[("vault.throttle_damaged", {"problems": ["not_a_file"]})]]
    _assert_fresh_record(locked, clock)


def test_deleting_the_record_after_failures_is_reported(locked: Path,
                                                        clock: FixedClock) -> None:
    _fail(locked, clock, 4)
    (locked / THROTTLE_NAME).unlink()

    assert _unlock_entries(locked, clock) == [
        ("vault.throttle_damaged", {"problems": ["missing"]})]


@pytest.mark.parametrize("replacement", [
    {"failures": 0, "last_failure_epoch": 0},  # the old format, without an id
    {"format": "lotse-unlock-throttle", "id": "0" * 32, "failures": 0,
     "last_failure_epoch": 0, "damage_found": []},
])
def test_replacing_the_record_is_reported(locked: Path, clock: FixedClock,
                                          replacement: dict[str, Any]) -> None:
    _fail(locked, clock, 5)
    (locked / THROTTLE_NAME).write_text(json.dumps(replacement))

    assert _unlock_entries(locked, clock) == [
        ("vault.throttle_damaged", {"problems": ["replaced"]})]


def test_an_old_copy_of_the_record_put_back_is_reported(locked: Path,
                                                        clock: FixedClock) -> None:
    old_copy = (locked / THROTTLE_NAME).read_bytes()  # clean, from before the last unlock
    open_vault(locked, PASSPHRASE, clock).lock()
    _fail(locked, clock, 3)
    (locked / THROTTLE_NAME).write_bytes(old_copy)

    assert _unlock_entries(locked, clock) == [
        ("vault.throttle_damaged", {"problems": ["replaced"]})]


def test_ordinary_use_raises_no_alarm(locked: Path, clock: FixedClock, tmp_path: Path) -> None:
    assert _unlock_entries(locked, clock) == []
    _fail(locked, clock, 2)
    assert _unlock_entries(locked, clock) == [("vault.unlock_failures", {"failed_attempts": 2})]
    assert _unlock_entries(locked, clock) == []
    # A restore starts its own record: the store came from a folder whose record stayed there.
    share = tmp_path / "share"
    share.mkdir()
    with open_vault(locked, PASSPHRASE, clock) as v:
        result = backup(v, share)
    restore(result.path, tmp_path / "restored", PASSPHRASE, clock).lock()
    with open_vault(tmp_path / "restored", PASSPHRASE, clock) as v, v.session() as s:
        kinds = s.execute(select(AuditLog.kind)).scalars().all()
    assert "vault.throttle_damaged" not in kinds


def test_a_sound_record_still_delays_guessing(locked: Path, clock: FixedClock) -> None:
    _fail(locked, clock, 5)
    with pytest.raises(Throttled):
        open_vault(locked, PASSPHRASE, clock)
    # A failure stamped a little in the future (a clock corrected back) waits its delay only.
    record = json.loads((locked / THROTTLE_NAME).read_text())
    record["last_failure_epoch"] += 120
    (locked / THROTTLE_NAME).write_text(json.dumps(record))
    with pytest.raises(Throttled) as info:
        open_vault(locked, PASSPHRASE, clock)
    assert info.value.wait_seconds == 30


def test_cli_opens_despite_a_folder_or_truncated_record(locked: Path) -> None:
    (locked / THROTTLE_NAME).write_bytes(b'{"failures": 40, "last_failure_epo')
    res = run_cli("cases", "--json", vault=locked)
    assert res.returncode == 0, res.stderr
    (locked / THROTTLE_NAME).unlink()
    (locked / THROTTLE_NAME).mkdir()
    before = file_hashes(locked)
    res = run_cli("cases", vault=locked, passphrase=WRONG)
    assert res.returncode == 2 and "wrong passphrase" in res.stderr
    assert "Traceback" not in res.stderr
    assert file_hashes(locked) == before
    res = run_cli("audit", "--json", vault=locked)
    assert res.returncode == 0, res.stderr
    damaged = [e["detail"] for e in json.loads(res.stdout) if e["kind"] == "vault.throttle_damaged"]
    assert damaged == [{"problems": ["unreadable"]}, {"problems": ["not_a_file"]}]
