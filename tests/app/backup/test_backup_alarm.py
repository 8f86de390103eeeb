"""A backup is refused while an alarm stands (a missing, emptied or shortened anchor, an older
store put back, the failure record's alarm): a restore of it would fail, or carry the alarm. The
refusal is exit 3 with the alarm's text and what to do, no traceback, nothing in the target
folder. A backup taken while the anchor only lags behind (an append that failed after its
commit) is complete and restores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.backup import backup
from app.errors import IntegrityFailure
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.anchor import RECORD, AnchorFile
from app.vault.store import ANCHOR_NAME, DB_NAME, THROTTLE_NAME, Vault, open_vault
from tests.conftest import PASSPHRASE, run_cli
from tests.support.rollback_helpers import put_back

NOT_RESTORABLE = "a backup made now could not be restored; resolve the alarm first"
CARRIES = "a backup made now would carry this alarm into every restore"

ALARMS = {  # what someone with file access did -> what the refusal names
    "anchor_deleted": ("missing or empty", NOT_RESTORABLE),
    "anchor_emptied": ("missing or empty", NOT_RESTORABLE),
    "anchor_shortened": ("cut short", NOT_RESTORABLE),
    "older_store": ("differs from the external anchor", NOT_RESTORABLE),
    "record_deleted": ("(unlock.throttle) was missing", CARRIES),
}


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


def _tamper(vault: Vault, vault_dir: Path, how: str) -> None:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    old = (vault_dir / DB_NAME).read_bytes()
    open_vault(vault_dir, PASSPHRASE).lock()
    anchor = vault_dir / ANCHOR_NAME
    if how == "anchor_deleted":
        anchor.unlink()
    elif how == "anchor_emptied":
        anchor.write_bytes(b"")
    elif how == "anchor_shortened":
        os.truncate(anchor, anchor.stat().st_size - 2 * RECORD.size)
    elif how == "older_store":
        put_back(vault_dir, old)
    else:
        (vault_dir / THROTTLE_NAME).unlink()


@pytest.mark.parametrize("how", sorted(ALARMS))
def test_no_backup_while_an_alarm_stands(vault: Vault, vault_dir: Path, share: Path,
                                         how: str) -> None:
    _tamper(vault, vault_dir, how)
    res = run_cli("backup", "--to", str(share), vault=vault_dir)
    assert res.returncode == 3, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    error = next(line for line in res.stderr.splitlines() if line.startswith("error:"))
    problem, advice = ALARMS[how]
    assert problem in error and advice in error and "lotse audit --reanchor" in error
    assert "backup written" not in res.stdout
    assert list(share.iterdir()) == []  # no backup, no .partial


def test_the_refusal_comes_before_any_copying_and_speaks_german(
        vault: Vault, vault_dir: Path, share: Path) -> None:
    _tamper(vault, vault_dir, "anchor_shortened")
    copied: list[int] = []
    with open_vault(vault_dir, PASSPHRASE) as v, pytest.raises(IntegrityFailure) as info:
        backup(v, share, progress=lambda done, _total: copied.append(done))
    assert copied == []  # the progress bar never moved: refused up front
    assert "gekürzt" in info.value.message_de
    assert "Sicherung ließe sich nicht wiederherstellen" in info.value.message_de
    assert list(share.iterdir()) == []


def test_an_alarm_that_arises_during_the_copy_refuses_what_was_copied(
        vault: Vault, vault_dir: Path, share: Path) -> None:
    """The copy runs without the write lock; what it copied is judged afterwards."""
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))

    def progress(done: int, total: int) -> None:
        if done == total:  # the store is copied; someone deletes the anchor now
            (vault_dir / ANCHOR_NAME).unlink(missing_ok=True)

    with pytest.raises(IntegrityFailure) as info:
        backup(vault, share, progress=progress)
    assert "missing or empty" in info.value.detail_en
    assert list(share.iterdir()) == []


def test_a_backup_while_the_anchor_lags_behind_is_complete_and_restores(
        vault: Vault, vault_dir: Path, share: Path, tmp_path: Path) -> None:
    """What a failed append after a commit leaves (the save is kept, the anchor lacks its
    entries until the next commit): the backup's anchor is completed from the copied store."""
    anchor = AnchorFile(vault_dir / ANCHOR_NAME)
    anchored = anchor.head().records
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    assert anchor.head().records > anchored
    os.truncate(anchor.path, anchored * RECORD.size)  # the append after the commit failed

    made = backup(vault, share).path
    vault.lock()
    target = tmp_path / "restored"
    res = run_cli("restore", str(made), "--vault", str(target))
    assert res.returncode == 0, res.stdout + res.stderr
    check = run_cli("check", vault=target)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = run_cli("cases", vault=target)
    assert "Haidari" in listed.stdout
