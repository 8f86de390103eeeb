"""Cleanup receipts: a sender's bundle file goes once every recipient has applied it, and not a
moment before; nothing but a bundle file in an inbox folder is ever deleted."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from app.share.acks import ack_path, acked, cleanup, write_ack
from app.share.files import ShareUnavailable, write_new
from app.share.layout import BUNDLE_SUFFIX, CARD_SUFFIX, ShareLayout
from app.share.reach import reachable
from tests.support.share_faults import FaultOps

SENDER, ANNA, BERT = "a1" * 32, "b2" * 32, "c3" * 32
DATA = b"sealed bundle"
HASH = hashlib.sha256(DATA).hexdigest()


def send(layout: ShareLayout) -> list[tuple[Path, str, list[str]]]:
    """One bundle for two recipients: a copy in each inbox."""
    return [(write_new(layout.inbox_of(fp), DATA, BUNDLE_SUFFIX, root=layout.root), HASH,
             [ANNA, BERT]) for fp in (ANNA, BERT)]


def test_ack_names_carry_hashes_only_and_are_idempotent(tmp_path: Path) -> None:
    layout = ShareLayout(tmp_path)
    first = write_ack(layout, SENDER, HASH, ANNA)
    assert write_ack(layout, SENDER, HASH, ANNA) == first  # a second import acks again: fine
    assert first == tmp_path / "applied" / SENDER[:32] / f"{HASH}.{ANNA[:16]}.ack"
    assert first.read_bytes() == b""
    assert acked(layout, SENDER) == {(HASH, ANNA[:16])}


def test_odd_entries_in_the_ack_folder_are_not_acks(tmp_path: Path) -> None:
    layout = ShareLayout(tmp_path)
    folder = layout.acks_of(SENDER)
    folder.mkdir(parents=True)
    elsewhere = tmp_path / "x"
    elsewhere.write_bytes(b"")
    (folder / f"{HASH}.{ANNA[:16]}.ack").symlink_to(elsewhere)
    (folder / f"{HASH}.{BERT[:16]}.ack").mkdir()
    (folder / f"{HASH[:-1]}.{BERT[:16]}.ack").write_bytes(b"")
    (folder / f"{HASH}.{BERT[:16]}.ack.partial").write_bytes(b"")
    assert acked(layout, SENDER) == set()
    with pytest.raises(ValueError):
        ack_path(layout, SENDER, "../" + HASH[3:], ANNA)


@pytest.mark.parametrize("sender", [SENDER, None], ids=["own-folder", "all-folders"])
def test_cleanup_waits_for_every_recipient(tmp_path: Path, sender: str | None) -> None:
    layout = ShareLayout(tmp_path)
    sent = send(layout)
    assert cleanup(layout, sent, sender_fp=sender) == 0
    write_ack(layout, SENDER, HASH, ANNA)
    assert cleanup(layout, sent, sender_fp=sender) == 0  # Bert has not applied it yet
    assert all(path.exists() for path, _, _ in sent)
    write_ack(layout, SENDER, HASH, BERT)
    assert cleanup(layout, sent, sender_fp=sender) == 2
    assert not any(path.exists() for path, _, _ in sent)
    assert acked(layout, SENDER) == set()  # the acks go with the files
    assert cleanup(layout, sent, sender_fp=sender) == 0  # done before: nothing to do, no error


def test_cleanup_never_deletes_outside_an_inbox(tmp_path: Path) -> None:
    layout = ShareLayout(tmp_path)
    card = write_new(layout.cards(), DATA, CARD_SUFFIX, root=tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.lbundle"
    outside.write_bytes(DATA)
    write_ack(layout, SENDER, HASH, ANNA)
    try:
        assert cleanup(layout, [(card, HASH, [ANNA]), (outside, HASH, [ANNA])],
                       sender_fp=SENDER) == 0
        assert card.exists() and outside.exists()
    finally:
        outside.unlink()


def test_reachable(tmp_path: Path) -> None:
    assert reachable(tmp_path)
    assert not reachable(tmp_path / "gone")
    (tmp_path / "file").write_bytes(b"")
    assert not reachable(tmp_path / "file")


def test_reachable_does_not_wait_for_a_hanging_share(tmp_path: Path) -> None:
    """A dead SMB server blocks stat for a minute: the caller gets False instead of a hang, and
    a second question while the first probe still hangs starts no second probe."""
    release = threading.Event()
    ops = FaultOps(stat=lambda *_: release.wait())
    try:
        assert not reachable(tmp_path, timeout=0.05, ops=ops)
        assert not reachable(tmp_path, timeout=0.05, ops=ops)
        assert ops.calls["stat"] == 1
    finally:
        release.set()


def test_writing_an_ack_to_a_vanished_share_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ShareUnavailable):
        write_ack(ShareLayout(tmp_path / "gone"), SENDER, HASH, ANNA)
    assert not (tmp_path / "gone").exists()
