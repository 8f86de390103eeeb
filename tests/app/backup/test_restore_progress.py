"""Restoring reports its progress (bytes copied and re-hashed, then the verification steps)
and can be stopped at every step: a cancelled or interrupted restore removes its staging
folder and leaves the open vault and the backup byte for byte as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import restore as restore_module
from app.backup import backup
from app.demo.generator import generate_demo
from app.errors import Cancelled
from app.restore import CANCELLED_DE
from app.restore_in_place import prepare_replacement
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, file_hashes


@pytest.fixture
def backup_dir(vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    generate_demo(vault, 20, seed=3)  # a store of many pages: copying takes many chunks
    monkeypatch.setattr(restore_module, "CHUNK", 64 * 1024)
    share = tmp_path / "share"
    share.mkdir()
    return backup(vault, share).path


def snapshot(vault: Vault, backup_dir: Path) -> tuple[object, ...]:
    return (file_hashes(vault.folder), file_hashes(backup_dir),
            sorted(p.name for p in vault.folder.parent.iterdir()))


class Recorder:
    """Remembers every report; says "stop" once the report number ``at`` was heard."""

    def __init__(self, at: int | None = None, interrupt: bool = False) -> None:
        self.at, self.interrupt = at, interrupt
        self.reports: list[tuple[int, int]] = []

    def progress(self, done: int, total: int) -> None:
        self.reports.append((done, total))
        if self.interrupt and len(self.reports) == self.at:
            raise KeyboardInterrupt  # Ctrl+C in `lotse restore`

    def cancelled(self) -> bool:
        return self.at is not None and len(self.reports) >= self.at


def full_run(vault: Vault, backup_dir: Path) -> Recorder:
    recorder = Recorder()
    restored = prepare_replacement(backup_dir, vault.folder, PASSPHRASE, recorder.cancelled,
                                   recorder.progress)
    restore_module.shutil.rmtree(restored)
    return recorder


def test_progress_is_monotonic_and_reaches_its_total(vault: Vault, backup_dir: Path) -> None:
    reports = full_run(vault, backup_dir).reports
    totals = {total for _done, total in reports}
    assert len(totals) == 1 and len(reports) > 10
    dones = [done for done, _total in reports]
    assert dones == sorted(dones) and dones[0] > 0
    assert dones[-1] == totals.pop()


def verification_reports(reports: list[tuple[int, int]], size: int) -> list[int]:
    """Numbers (1-based) of the reports after copying and re-hashing: verification steps."""
    return [i + 1 for i, (done, _t) in enumerate(reports) if done > 2 * size]


@pytest.mark.parametrize("interrupt", [False, True], ids=["Abbrechen", "Ctrl+C"])
def test_a_cancel_during_verification_leaves_vault_and_backup_as_they_were(
        vault: Vault, backup_dir: Path, interrupt: bool) -> None:
    reports = full_run(vault, backup_dir).reports
    size = sum(p.stat().st_size for p in backup_dir.iterdir()
               if p.name in restore_module.BACKUP_FILES)
    steps = verification_reports(reports, size)
    assert len(steps) >= 3
    before = snapshot(vault, backup_dir)
    # Every verification step but the last (the copy is in place then): pages read, audit
    # chain compared, store switched to WAL.
    for at in steps[:-1]:
        recorder = Recorder(at, interrupt)
        expected: type[BaseException] = KeyboardInterrupt if interrupt else Cancelled
        with pytest.raises(expected) as info:
            prepare_replacement(backup_dir, vault.folder, PASSPHRASE, recorder.cancelled,
                                recorder.progress)
        if not interrupt:
            assert getattr(info.value, "message_de", "") == CANCELLED_DE
        assert len(recorder.reports) == at  # stopped right at that step, nothing after it
        assert snapshot(vault, backup_dir) == before, f"stop at report {at} left traces"


def test_a_cancel_at_any_chunk_of_the_copy_leaves_nothing(vault: Vault,
                                                          backup_dir: Path) -> None:
    reports = full_run(vault, backup_dir).reports
    before = snapshot(vault, backup_dir)
    for at in (1, len(reports) // 3, len(reports) // 2):
        recorder = Recorder(at)
        with pytest.raises(Cancelled):
            prepare_replacement(backup_dir, vault.folder, PASSPHRASE, recorder.cancelled,
                                recorder.progress)
        assert snapshot(vault, backup_dir) == before, f"cancel at report {at} left traces"


class CtrlCInPageCheck:
    """Ctrl+C while the pages are read: Python's signal handler raises KeyboardInterrupt in
    the next Python code SQLite calls, its progress handler. That handler asks ``cancelled``:
    raising there is exactly what a real SIGINT does."""

    def __init__(self, after_reports: int) -> None:
        self.after_reports, self.questions = after_reports, 0
        self.reports: list[int] = []

    def progress(self, done: int, _total: int) -> None:
        self.reports.append(done)

    def cancelled(self) -> bool:
        if len(self.reports) == self.after_reports:
            self.questions += 1
            if self.questions == 2:  # the first is the re-hash's own; then SQLite asks
                raise KeyboardInterrupt
        return False


def test_ctrl_c_while_the_pages_are_read_leaves_nothing(vault: Vault, backup_dir: Path,
                                                       tmp_path: Path) -> None:
    """`lotse restore` into a new folder: interrupted, not "forged", and nothing left."""
    reports = full_run(vault, backup_dir).reports
    size = sum(p.stat().st_size for p in backup_dir.iterdir()
               if p.name in restore_module.BACKUP_FILES)
    last_hash_report = verification_reports(reports, size)[0] - 1
    before = file_hashes(backup_dir)
    target = tmp_path / "neu"
    ctrl_c = CtrlCInPageCheck(last_hash_report)
    with pytest.raises(KeyboardInterrupt):
        restore_module.restore(backup_dir, target, PASSPHRASE, progress=ctrl_c.progress,
                               cancelled=ctrl_c.cancelled)
    assert ctrl_c.questions >= 2 and len(ctrl_c.reports) == last_hash_report
    assert file_hashes(backup_dir) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("neu")]
