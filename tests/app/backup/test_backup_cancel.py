"""Cancelling a backup: at every point before the final rename nothing is left in the target
folder, no "backup" audit entry is written, and the next backup works."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import backup as backup_module
from app.backup import CANCELLED_DE, backup, read_manifest
from app.clock import FixedClock
from app.demo.generator import generate_demo
from app.errors import Cancelled
from app.services.account.read import last_backup
from app.vault.store import Vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE


def backup_entries(vault: Vault) -> int:
    with vault.session() as s:
        return int(s.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.kind == "vault.backup")).scalar_one())


class CancelAt:
    """Says "stop" at the n-th question and remembers what was on disk at that moment."""

    def __init__(self, n: int, share: Path) -> None:
        self.n, self.share, self.asked = n, share, 0
        self.seen: list[str] = []

    def __call__(self) -> bool:
        self.asked += 1
        if self.asked == self.n:
            self.seen = sorted(p.name for p in self.share.iterdir())
            return True
        return False


def test_cancel_at_every_step_leaves_nothing(vault: Vault, tmp_path: Path, clock: FixedClock,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    generate_demo(vault, 40, seed=2)  # a store of many pages: the copy takes several batches
    monkeypatch.setattr(backup_module, "COPY_STEP_PAGES", 8)
    earlier = backup(vault, tmp_path)  # the "last backup" a cancel must not move
    previous = last_backup(vault)
    share = tmp_path / "share"
    share.mkdir()
    counter = CancelAt(0, share)
    pages: list[tuple[int, int]] = []
    # A full run counts the questions asked; the copy reports its pages as it goes.
    backup(vault, tmp_path, cancelled=counter, progress=lambda d, t: pages.append((d, t)))
    questions = counter.asked
    assert questions > 5 and len(pages) > 3 and pages[-1][0] == pages[-1][1]
    entries = backup_entries(vault)
    clock.advance(timedelta(days=3))

    for n in range(1, questions + 1):
        stop = CancelAt(n, share)
        with pytest.raises(Cancelled) as info:
            backup(vault, share, cancelled=stop)
        assert info.value.message_de == CANCELLED_DE
        assert list(share.iterdir()) == [], f"cancel at question {n} left files behind"
        if n > 1:  # from the first page on, the half-written copy really was there
            assert len(stop.seen) == 1 and stop.seen[0].endswith(".partial")
    assert backup_entries(vault) == entries
    assert last_backup(vault) == previous

    done = backup(vault, share)
    assert [p.name for p in share.iterdir()] == [done.path.name]
    assert read_manifest(done.path, PASSPHRASE)["vault_code"] == "T3ST"
    assert last_backup(vault) == clock.now() != previous
    assert earlier.path.is_dir()
