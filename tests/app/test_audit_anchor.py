"""The audit anchor against someone with access to the files: an older copy of the store put back,
single pages of one, a deleted, shortened or reordered anchor. Each is an alarm at every unlock
and in `lotse check` (exit 3), for good, until a person begins a new anchor."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app import anchoring, audit
from app.anchoring import ANCHORED_THROUGH
from app.clock import FixedClock
from app.services.audit.read import anchor_status
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.anchor import RECORD, AnchorFile, AnchorHead, AnchorOutOfOrder
from app.vault.keyfile import KeyFile
from app.vault.store import ANCHOR_NAME, DB_NAME, Vault, open_vault
from db.engine import PAGE_SIZE, SIDECARS, connect_raw
from tests.conftest import PASSPHRASE, run_cli

ALARM = "AUDIT ANCHOR ALARM"


def _put_back(vault_dir: Path, old: bytes) -> None:
    """What someone with file access does: an older ``lotse.db`` over the current one."""
    for suffix in SIDECARS:
        (vault_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    (vault_dir / DB_NAME).write_bytes(old)


def _work(vault_dir: Path, clock: FixedClock, case_id: int, reads: int) -> None:
    """Ordinary use: unlock, read the case ``reads`` times (each an audit entry), lock."""
    clock.advance(timedelta(minutes=7))  # entries of another hour hash differently, as in life
    with open_vault(vault_dir, PASSPHRASE, clock) as vault:
        for _ in range(reads):
            get_case(vault, case_id)


def _anchor_bytes(vault_dir: Path) -> bytes:
    return (vault_dir / ANCHOR_NAME).read_bytes()


@pytest.fixture
def case_id(vault: Vault, vault_dir: Path) -> int:
    cid = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                     municipality="DO"))
    vault.lock()
    return cid


def test_an_older_copy_put_back_is_an_alarm_and_six_entries_later_still_is(
        vault_dir: Path, clock: FixedClock, case_id: int) -> None:
    old = (vault_dir / DB_NAME).read_bytes()
    _work(vault_dir, clock, case_id, reads=3)
    anchor_before = _anchor_bytes(vault_dir)
    _put_back(vault_dir, old)

    res = run_cli("cases", vault=vault_dir)  # any command that opens the vault says so
    assert res.returncode == 0 and ALARM in res.stderr and "older copy" in res.stderr
    assert "Haidari" not in res.stderr
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3 and "PROBLEM: audit chain broken" in check.stdout

    # Six more ordinary entries (and more): the anchor takes none of them, the alarm stays.
    _work(vault_dir, clock, case_id, reads=6)
    with open_vault(vault_dir, PASSPHRASE, clock) as vault:
        status = anchor_status(vault)
        assert not status.ok and status.store_last_seq > status.anchor_last_seq
    assert _anchor_bytes(vault_dir) == anchor_before
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3, check.stdout
    problem = next(line for line in check.stdout.splitlines() if line.startswith("PROBLEM"))
    assert "differs from the external anchor" in problem
    verify = run_cli("audit", "--verify", vault=vault_dir)
    assert verify.returncode == 3
    assert problem.removeprefix("PROBLEM: audit chain broken") in verify.stdout


def _replay_audit_pages(vault_dir: Path, old: bytes) -> None:
    """Put the older versions of the audit log's pages (table and indexes) into the file and
    keep every other page as it is now."""
    key = KeyFile.load(vault_dir / "lotse.key").unwrap(PASSPHRASE)
    conn = connect_raw(vault_dir / DB_NAME, key)
    try:
        pages = [int(r[0]) for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'audit_log' AND rootpage > 0")]
    finally:
        conn.close()
    data = bytearray((vault_dir / DB_NAME).read_bytes())
    assert len(data) == len(old), "the test needs a store that did not grow"
    for page in pages:
        span = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
        data[span] = old[span]
    (vault_dir / DB_NAME).write_bytes(bytes(data))


def test_single_pages_of_an_older_copy_pass_both_integrity_checks_and_the_anchor_catches_it(
        vault_dir: Path, clock: FixedClock, case_id: int) -> None:
    old = (vault_dir / DB_NAME).read_bytes()
    clock.advance(timedelta(hours=1))
    with open_vault(vault_dir, PASSPHRASE, clock) as vault:
        add_journal_entry(vault, case_id, NewJournalEntry(
            contact_kind="phone", text="Rückruf Jobcenter", occurred_at=clock.now()))
        get_case(vault, case_id)
    _replay_audit_pages(vault_dir, old)

    key = KeyFile.load(vault_dir / "lotse.key").unwrap(PASSPHRASE)
    conn = connect_raw(vault_dir / DB_NAME, key)
    try:  # SQLCipher authenticates each page, not the file's version: both checks pass
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The journal entry is still there; the audit entries saying who wrote it are gone.
        assert conn.execute("SELECT count(*) FROM journal_entry").fetchone() == (1,)
        kinds = {r[0] for r in conn.execute("SELECT kind FROM audit_log")}
        assert "record.created" not in kinds and "vault.unlocked" not in kinds
    finally:
        conn.close()

    res = run_cli("cases", vault=vault_dir)
    assert ALARM in res.stderr and "pages" in res.stderr
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3
    assert "page authentication failed" not in check.stdout and "integrity:" not in check.stdout
    assert "PROBLEM: audit chain broken" in check.stdout


def test_a_deleted_anchor_is_an_alarm_and_never_rebuilt_silently(
        vault_dir: Path, clock: FixedClock, case_id: int) -> None:
    _work(vault_dir, clock, case_id, reads=2)
    (vault_dir / ANCHOR_NAME).unlink()
    res = run_cli("cases", vault=vault_dir)
    assert ALARM in res.stderr and "missing" in res.stderr
    _work(vault_dir, clock, case_id, reads=2)
    assert not (vault_dir / ANCHOR_NAME).exists()
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3 and "anchor is missing or empty" in check.stdout
    assert "audit_anchored: 0" in check.stdout
    assert not (vault_dir / ANCHOR_NAME).exists()

    (vault_dir / ANCHOR_NAME).write_bytes(b"")  # emptied instead of deleted: the same
    assert run_cli("check", vault=vault_dir).returncode == 3
    assert (vault_dir / ANCHOR_NAME).read_bytes() == b""


@pytest.mark.parametrize("cut", [2, 5])
def test_a_shortened_anchor_is_an_alarm(vault_dir: Path, clock: FixedClock, case_id: int,
                                        cut: int) -> None:
    _work(vault_dir, clock, case_id, reads=4)
    path = vault_dir / ANCHOR_NAME
    path.write_bytes(path.read_bytes()[:-cut * RECORD.size])
    shortened = path.read_bytes()
    res = run_cli("cases", vault=vault_dir)
    assert ALARM in res.stderr and "cut short" in res.stderr
    assert path.read_bytes() == shortened
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3 and "was cut short" in check.stdout
    assert path.read_bytes() == shortened


def test_the_tail_a_crash_leaves_unanchored_is_no_alarm_and_is_anchored(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    """The anchor lacking exactly the last commit's entries is what a kill between commit and
    append leaves (tests/app/vault/test_crash.py kills at random): anchored at the next unlock."""
    create_case(vault, NewCase(given_names="Emine", family_name="Şahin", municipality="DO"))
    vault.lock()
    path = vault_dir / ANCHOR_NAME
    full = path.read_bytes()
    path.write_bytes(full[:-RECORD.size])  # the last commit recorded one entry
    with open_vault(vault_dir, PASSPHRASE, clock) as reopened:
        assert anchor_status(reopened).ok
    assert path.read_bytes()[:len(full)] == full
    assert run_cli("check", vault=vault_dir).returncode == 0


def _records(vault_dir: Path) -> list[tuple[int, str]]:
    return AnchorFile(vault_dir / ANCHOR_NAME).read()


def _other_hash(digest: str) -> str:
    return f"{int(digest[0], 16) ^ 1:x}{digest[1:]}"


@pytest.mark.parametrize("how", ["repeated with another hash (the old rollback pattern)",
                                 "repeated with the same hash", "swapped", "skipped"])
def test_repeated_or_out_of_order_sequence_numbers_are_tampering(
        vault_dir: Path, clock: FixedClock, case_id: int, how: str) -> None:
    _work(vault_dir, clock, case_id, reads=3)
    records = _records(vault_dir)
    last_seq, last_hash = records[-1]
    if how.startswith("repeated with another"):
        records += [(last_seq - 1, _other_hash(records[-2][1])),
                    (last_seq, _other_hash(last_hash))]
    elif how.startswith("repeated with the same"):
        records.append(records[-1])
    elif how == "swapped":  # same length, same last record: only the full check sees it
        records[1], records[2] = records[2], records[1]
    else:
        del records[2]
    (vault_dir / ANCHOR_NAME).write_bytes(
        b"".join(RECORD.pack(seq, bytes.fromhex(h)) for seq, h in records))
    tampered = _anchor_bytes(vault_dir)
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 3, check.stdout
    assert "sequence numbers repeat or skip" in check.stdout
    _work(vault_dir, clock, case_id, reads=6)
    verify = run_cli("audit", "--verify", vault=vault_dir)
    assert verify.returncode == 3 and "sequence numbers repeat or skip" in verify.stdout
    if how == "swapped":
        # Unlocks compare the anchor's length and last record only (O(1)); a swap inside
        # keeps both, so entries are still appended, and the swap stays for every check.
        assert _anchor_bytes(vault_dir).startswith(tampered)
    else:
        assert ALARM in verify.stderr
        assert _anchor_bytes(vault_dir) == tampered  # nothing appended behind the tampering


def test_the_anchor_never_takes_a_sequence_number_that_does_not_continue_it(
        vault: Vault, vault_dir: Path) -> None:
    anchor = AnchorFile(vault_dir / ANCHOR_NAME)
    before = _anchor_bytes(vault_dir)
    last_seq, last_hash = anchor.read()[-1]
    for records in ([(last_seq, last_hash)], [(last_seq - 1, "ab" * 32)],
                    [(last_seq + 2, "ab" * 32)],
                    [(last_seq + 1, "ab" * 32), (last_seq + 3, "cd" * 32)]):
        with pytest.raises(AnchorOutOfOrder):
            anchor.append(records)
    assert _anchor_bytes(vault_dir) == before


def test_check_reports_the_anchor_as_facts(vault_dir: Path, clock: FixedClock,
                                           case_id: int) -> None:
    _work(vault_dir, clock, case_id, reads=2)
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 0 and ALARM not in res.stderr
    anchored = len(_records(vault_dir))  # the check's own unlock entry is anchored as well
    facts = dict(line.split(": ", 1) for line in res.stdout.splitlines() if ": " in line)
    assert facts["audit_anchored"] == facts["audit_entries"]
    assert int(facts["audit_anchor_last_seq"]) == int(facts["audit_anchored"]) == anchored
    with open_vault(vault_dir, PASSPHRASE, clock) as vault, vault.session() as s:
        from db.models import VaultMeta

        through = s.get(VaultMeta, ANCHORED_THROUGH)
        assert through is not None and int(through.value) == anchored


class _OthersSaveRightAfterTheRead(AnchorFile):
    """The anchor as a reader sees it when another process saves twice in the moment between
    the reader's look at the anchor and its look at the store: the second save anchors the
    first and records how far the anchor reaches, which the reader's older look does not."""

    def __init__(self, path: Path, vault: Vault) -> None:
        super().__init__(path)
        self.vault, self.done = vault, False

    def _then_others_save(self) -> None:
        if not self.done:
            self.done = True
            for name in ("Okafor", "Nowak"):
                create_case(self.vault, NewCase(given_names="Ada", family_name=name,
                                                municipality="DO"))

    def read(self) -> list[tuple[int, str]]:
        records = super().read()
        self._then_others_save()
        return records

    def head(self) -> AnchorHead:
        head = super().head()
        self._then_others_save()
        return head


def test_saves_between_a_readers_look_at_the_anchor_and_at_the_store_are_no_alarm(
        vault: Vault, vault_dir: Path) -> None:
    """Busy is never damage: three CLI commands opening at once each save their unlock."""
    for look in ("check", "unlock"):
        anchor = _OthersSaveRightAfterTheRead(vault_dir / ANCHOR_NAME, vault)
        with vault.read_session() as s:
            if look == "check":
                report = audit.verify(s, anchor)
                problem = report.problem
            else:
                problem = anchoring.assess(anchoring.session_runner(s), anchor).problem_en
        assert anchor.done and problem is None, (look, problem)
    assert anchor_status(vault).ok
