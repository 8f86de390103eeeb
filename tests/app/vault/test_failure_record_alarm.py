"""The failure record as a second witness: an older ``lotse.db`` put back together with an
anchor cut to its length (no key needed) is an alarm through ``unlock.throttle``, which every
unlock renews and the store remembers; the alarm stands at every unlock, in every CLI command and
in ``lotse check`` until a new anchor is begun. Ordinary life raises none: a restore, a vault
from before the ids, a crash between the unlock's commit and the file's renewal, two processes
unlocking at once, an unlock that fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import audit
from app.backup import backup, restore
from app.clock import FixedClock
from app.errors import WrongPassphrase
from app.services.audit.read import anchor_status
from app.vault.store import THROTTLE_NAME, Vault, open_vault
from app.vault.throttle import Throttle
from app.vault.throttle_record import PREVIOUS_ID_KEY, RECORD_ID_KEY, Renewal, audit_and_renew
from db.models import AuditLog, VaultMeta
from tests.conftest import PASSPHRASE, run_cli
from tests.support.rollback_helpers import roll_back_and_cut_anchor

ALARM = "AUDIT ANCHOR ALARM"
RECORD_PROBLEM = "failure record alarm: the failure record beside the vault (unlock.throttle)"


def _damaged_entries(vault_dir: Path, clock: FixedClock) -> list[dict[str, object]]:
    """Unlock; the details of every ``vault.throttle_damaged`` entry in the log."""
    with open_vault(vault_dir, PASSPHRASE, clock) as v, v.session() as s:
        rows = s.execute(select(AuditLog.detail).where(
            AuditLog.kind == audit.Kind.THROTTLE_DAMAGED).order_by(AuditLog.seq)).scalars()
        return list(rows)


def _assert_no_alarm(vault_dir: Path) -> None:
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 0, res.stdout + res.stderr
    assert ALARM not in res.stderr


def _ids(vault: Vault) -> dict[str, str]:
    with vault.session() as s:
        return dict(s.execute(select(VaultMeta.key, VaultMeta.value).where(
            VaultMeta.key.in_([RECORD_ID_KEY, PREVIOUS_ID_KEY]))).tuples().all())


def _file_id(vault_dir: Path, clock: FixedClock) -> str | None:
    return Throttle(vault_dir / THROTTLE_NAME, clock).read().record_id


def _unlock_transaction(vault: Vault, clock: FixedClock) -> Renewal:
    """What an unlock commits (``open_vault``), without the renewal of the file after it."""
    with vault.session(immediate=True) as s:
        renewal = audit_and_renew(s, Throttle(vault.folder / THROTTLE_NAME, clock),
                                  vault.info.vault_uuid)
        audit.record(s, audit.Kind.UNLOCKED, "vault", vault.info.vault_uuid)
    return renewal


@pytest.mark.slow  # several unlocks and rollbacks: over half a minute
def test_a_rollback_with_the_anchor_cut_to_match_is_an_alarm_until_a_new_anchor(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    roll_back_and_cut_anchor(vault, vault_dir, clock)

    cases = run_cli("cases", vault=vault_dir)
    assert cases.returncode == 0 and ALARM in cases.stderr, cases.stderr
    assert "unlock.throttle" in cases.stderr and "older copy of the database" in cases.stderr
    assert "Haidari" not in cases.stderr
    for _ in range(3):  # further unlocks, checks and verifications: it stands
        check = run_cli("check", vault=vault_dir)
        assert check.returncode == 3, check.stdout
        assert f"PROBLEM: {RECORD_PROBLEM}" in check.stdout
        verify = run_cli("audit", "--verify", vault=vault_dir)
        assert verify.returncode == 3 and "FAILURE RECORD ALARM" in verify.stdout
        assert ALARM in verify.stderr
    with open_vault(vault_dir, PASSPHRASE, clock) as v:
        status = anchor_status(v)
        assert status.failure_record and status.problem_de is not None
        assert "Fehlversuchen" in status.problem_de
        with v.session() as s:
            raised = s.execute(select(AuditLog).where(
                AuditLog.kind == audit.Kind.THROTTLE_DAMAGED)).scalars().all()
    assert [(e.seq, e.detail) for e in raised] == [(status.first_bad_seq,
                                                    {"problems": ["replaced"]})]

    res = run_cli("audit", "--reanchor", "--yes", vault=vault_dir)
    assert res.returncode == 0, res.stderr
    _assert_no_alarm(vault_dir)
    assert ALARM not in run_cli("cases", vault=vault_dir).stderr
    with open_vault(vault_dir, PASSPHRASE, clock) as v, v.session() as s:
        restart = s.execute(select(AuditLog).where(
            AuditLog.kind == audit.Kind.ANCHOR_RESTARTED)).scalar_one()
    assert restart.detail["failure_record_alarm"] == status.first_bad_seq  # acknowledged


def test_a_deleted_record_is_an_alarm(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    (vault_dir / THROTTLE_NAME).unlink()
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3 and "(unlock.throttle) was missing" in check.stdout
    check = run_cli("check", vault=vault_dir)  # the new record is sound; the alarm stays
    assert check.returncode == 3 and "(unlock.throttle) was missing" in check.stdout


@pytest.mark.parametrize("damage", ["truncated", "nan", "folder"])
def test_damage_of_other_kinds_stays_a_warning_in_the_log(vault: Vault, vault_dir: Path,
                                                          clock: FixedClock, damage: str) -> None:
    vault.lock()
    path = vault_dir / THROTTLE_NAME
    if damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(b'{"failures": 3, "last_fa' if damage == "truncated"
                         else b'{"failures": NaN, "last_failure_epoch": 1}')
    assert len(_damaged_entries(vault_dir, clock)) == 1
    _assert_no_alarm(vault_dir)
    if damage == "folder":  # once the folder is gone, its absence is no alarm either
        path.rmdir()
        _assert_no_alarm(vault_dir)
        _assert_no_alarm(vault_dir)


def test_a_restored_vault_raises_no_alarm(vault: Vault, vault_dir: Path, clock: FixedClock,
                                          tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    made = backup(vault, share).path
    vault.lock()
    restore(made, tmp_path / "restored", PASSPHRASE, clock).lock()
    for _ in range(2):
        _assert_no_alarm(tmp_path / "restored")
    assert _damaged_entries(tmp_path / "restored", clock) == []


@pytest.mark.parametrize("record", ["none", "old_format"])
def test_a_vault_whose_store_has_no_id_yet_raises_no_alarm(vault: Vault, vault_dir: Path,
                                                           clock: FixedClock,
                                                           record: str) -> None:
    """The first unlock after the upgrade: the store has not kept an id yet."""
    with vault.session() as s:
        for key in (RECORD_ID_KEY, PREVIOUS_ID_KEY):
            row = s.get(VaultMeta, key)
            if row is not None:
                s.delete(row)
    vault.lock()
    if record == "none":
        (vault_dir / THROTTLE_NAME).unlink()
    else:
        (vault_dir / THROTTLE_NAME).write_text(json.dumps({"failures": 0,
                                                           "last_failure_epoch": 0}))
    assert _damaged_entries(vault_dir, clock) == []
    assert _file_id(vault_dir, clock) is not None  # from now on the record is witnessed
    _assert_no_alarm(vault_dir)


def test_a_crash_between_the_unlocks_commit_and_the_renewal_is_accepted(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    before = _file_id(vault_dir, clock)
    renewal = _unlock_transaction(vault, clock)  # committed; then the process died
    assert _file_id(vault_dir, clock) == before != renewal.record_id
    vault.lock()

    assert _damaged_entries(vault_dir, clock) == []
    _assert_no_alarm(vault_dir)
    with open_vault(vault_dir, PASSPHRASE, clock) as v:
        assert _ids(v) == {RECORD_ID_KEY: _file_id(vault_dir, clock)}  # renewed, confirmed


def test_a_crash_between_the_renewal_and_its_confirmation_is_accepted(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    renewal = _unlock_transaction(vault, clock)
    assert renewal.throttle.renew(renewal.record_id)  # the file, not yet the store's part
    assert PREVIOUS_ID_KEY in _ids(vault)
    vault.lock()
    assert _damaged_entries(vault_dir, clock) == []
    _assert_no_alarm(vault_dir)


def test_an_old_record_put_back_after_a_confirmed_renewal_is_still_caught(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    old = (vault_dir / THROTTLE_NAME).read_bytes()
    vault.lock()
    open_vault(vault_dir, PASSPHRASE, clock).lock()  # renewed and confirmed
    (vault_dir / THROTTLE_NAME).write_bytes(old)
    assert _damaged_entries(vault_dir, clock) == [{"problems": ["replaced"]}]


@pytest.mark.parametrize("order", ["first_finishes_first", "second_finishes_first"])
def test_two_processes_unlocking_at_once_raise_no_alarm(vault: Vault, vault_dir: Path,
                                                        clock: FixedClock, order: str) -> None:
    """Each process's unlock commits before either renews the file (the write lock orders the
    transactions and the renewals): whichever renews last, the store expects its id."""
    vault.lock()
    first = open_vault(vault_dir, PASSPHRASE, clock)
    second = open_vault(vault_dir, PASSPHRASE, clock)  # another engine: another process
    try:
        a = _unlock_transaction(first, clock)
        b = _unlock_transaction(second, clock)
        finishes = [(first, a), (second, b)]
        if order == "second_finishes_first":
            finishes.reverse()
        done = [renewal.finish(v.engine) for v, renewal in finishes]
        assert done == ([False, True] if order == "first_finishes_first" else [True, False])
        assert _file_id(vault_dir, clock) == b.record_id
    finally:
        first.lock()
        second.lock()
    assert _damaged_entries(vault_dir, clock) == []
    _assert_no_alarm(vault_dir)


def test_an_unlock_that_fails_to_commit_changes_no_record(vault: Vault, vault_dir: Path,
                                                          clock: FixedClock) -> None:
    """The failures stay counted for the next unlock to report, and the record keeps the id
    the store expects (it used to be renewed inside the transaction that then failed)."""
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            open_vault(vault_dir, "daneben daneben daneben", clock)
    record = (vault_dir / THROTTLE_NAME).read_bytes()
    with pytest.raises(RuntimeError), vault.session(immediate=True) as s:
        audit_and_renew(s, Throttle(vault_dir / THROTTLE_NAME, clock), vault.info.vault_uuid)
        raise RuntimeError("the unlock's commit fails (a full disk, say)")
    assert (vault_dir / THROTTLE_NAME).read_bytes() == record
    vault.lock()

    with open_vault(vault_dir, PASSPHRASE, clock) as v, v.session() as s:
        kinds = [(e.kind, e.detail) for e in s.execute(select(AuditLog).where(
            AuditLog.kind.in_([audit.Kind.UNLOCK_FAILURES, audit.Kind.THROTTLE_DAMAGED]))
        ).scalars()]
    assert kinds == [(audit.Kind.UNLOCK_FAILURES, {"failed_attempts": 3})]
    _assert_no_alarm(vault_dir)
