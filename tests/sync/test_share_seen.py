"""A file judged before is passed over by its name: a run with nothing new opens no bundle.

Writers never reuse a final name, so the name is enough; the same bytes under a new name are
still caught by their hash (tests/sync/test_import_pipeline.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.sync.records import SyncReport
from app.services.sync.write import export_directory
from app.share.layout import ShareLayout
from app.share.ops import ShareOps
from app.sync import run as sync_run
from app.sync import seen
from db.models import ShareSeen
from tests.support.sync_world import Office, add_place, befriend, colleagues, institution, sync


class CountingOps(ShareOps):
    """The real operations, counting the files opened for reading."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_read(self, path: Path) -> int:
        self.opened.append(path.name)
        return super().open_read(path)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Office, Office, Path]]:
    with colleagues(tmp_path, introduce=befriend) as (share, (a, b)):
        yield a, b, share


def _receive(office: Office, share: Path, ops: ShareOps) -> SyncReport:
    report = SyncReport()
    sync_run.receive(office.vault, ShareLayout(share), report, ops=ops)
    return report


def _names(office: Office) -> set[str]:
    with office.vault.read_session() as s:
        return set(s.execute(select(ShareSeen.file_name)).scalars())


def test_a_file_judged_once_is_never_opened_again(pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    place = add_place(b, "Caritas Bielefeld")
    export_directory(b.vault)
    sync(b)
    [sent] = ShareLayout(share).inbox_of(a.fingerprint).iterdir()
    first = CountingOps()
    assert len(_receive(a, share, first).applied) == 1
    assert first.opened == [sent.name]
    assert _names(a) == {sent.name}
    again = CountingOps()
    report = _receive(a, share, again)
    assert again.opened == [] and report.applied == report.skipped == report.rejected == []
    row = institution(a, place)
    assert row is not None and row.name == "Caritas Bielefeld"
    # A new bundle next to the old one: only the new file is read.
    add_place(b, "AWO Bielefeld")
    export_directory(b.vault)
    sync(b)
    third = CountingOps()
    assert len(_receive(a, share, third).applied) == 1
    assert len(third.opened) == 1 and third.opened != [sent.name]


def test_a_file_still_growing_is_not_remembered(pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    add_place(b, "Diakonie Bielefeld")
    export_directory(b.vault)
    sync(b)
    assert len(list(ShareLayout(share).inbox_of(a.fingerprint).iterdir())) == 1

    class Growing(CountingOps):
        def fstat(self, fd: int):  # type: ignore[no-untyped-def]
            real = super().fstat(fd)
            grown = list(real)
            grown[6] += 1  # st_size: the writer is still appending
            return type(real)(grown)

    report = _receive(a, share, Growing())
    assert report.applied == [] and _names(a) == set()
    assert len(_receive(a, share, CountingOps()).applied) == 1  # the next run takes it


def test_an_applied_file_is_remembered_only_once_acknowledged(
        pair: tuple[Office, Office, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, share = pair
    add_place(b, "Ausländerbehörde Bielefeld")
    export_directory(b.vault)
    sync(b)

    def share_gone(*_args: object, **_kwargs: object) -> None:
        raise OSError("share vanished while acknowledging")

    monkeypatch.setattr(sync_run, "write_ack", share_gone)
    report = sync(a)
    assert not report.share_reachable
    assert _names(a) == set()  # applied, but the sender was never told: read again next time
    monkeypatch.undo()
    ops = CountingOps()
    _receive(a, share, ops)
    assert len(ops.opened) == 1  # read again, skipped by its hash, acknowledged now
    acks = list((share / "applied").rglob("*")) if (share / "applied").is_dir() else []
    assert any(p.is_file() for p in acks)
    assert len(_names(a)) == 1


def test_names_gone_from_the_share_are_forgotten_after_a_while(
        pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    add_place(b, "Jobcenter Bielefeld")
    export_directory(b.vault)
    sync(b)
    [sent] = ShareLayout(share).inbox_of(a.fingerprint).iterdir()
    _receive(a, share, CountingOps())
    sent.unlink()  # cleaned up by its sender once every recipient applied it
    seen.forget_unlisted(a.vault, [])
    assert _names(a) == {sent.name}  # a cached listing may hide a file for a while
    with a.vault.session() as s:
        for row in s.execute(select(ShareSeen)).scalars():
            row.seen_at = row.seen_at - seen.FORGET_AFTER - timedelta(minutes=1)
    seen.forget_unlisted(a.vault, ["other.lbundle"])
    assert _names(a) == set()
