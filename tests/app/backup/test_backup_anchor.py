"""A backup is consistent even when something is audited while it is being written."""

from __future__ import annotations

from pathlib import Path

from app import audit
from app.backup import backup
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from tests.conftest import run_cli


def test_an_entry_committed_during_the_copy_does_not_spoil_the_backup(vault: Vault,
                                                                     tmp_path: Path) -> None:
    """The desktop's worker audits a case read while the backup runs: the copied anchor must
    end where the copied store ends, or the restore finds an anchor ahead of its store."""
    create_case(vault, NewCase(given_names="Nadia", family_name="Haddad", municipality="DO"))
    share = tmp_path / "share"
    share.mkdir()
    interleaved: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == total and not interleaved:  # the store copy is complete, the anchor not yet
            with vault.session() as s:
                interleaved.append(audit.record(s, audit.Kind.CASE_READ, "case", "x" * 32))

    made = backup(vault, share, progress=progress).path
    assert interleaved, "the interleaved commit never happened: the test proves nothing"
    vault.lock()

    target = tmp_path / "wiederhergestellt"
    res = run_cli("restore", str(made), "--vault", str(target))
    assert res.returncode == 0, res.stdout + res.stderr
    res = run_cli("check", vault=target)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "ALARM" not in res.stderr
