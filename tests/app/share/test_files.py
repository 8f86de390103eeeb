"""The share's file layer on real files: a final name only ever holds verified bytes, nothing is
replaced, odd entries are neither listed nor followed, a restless file is read later."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pytest

from app.share.files import (
    NAME_ATTEMPTS,
    SHARING_RETRY_DELAYS,
    ShareBusy,
    ShareFull,
    ShareUnavailable,
    final_names,
    read_stable,
    write_new,
)
from app.share.layout import BUNDLE_SUFFIX, PARTIAL_SUFFIX
from app.share.ops import ShareOps
from tests.support.share_faults import FaultOps, fail_times, once, os_error, sharing_violation

DATA = b"\x00bundle bytes\xff" * 1000


def entries(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_round_trip_under_a_fresh_random_name(tmp_path: Path) -> None:
    inbox = tmp_path / "to" / ("ab" * 16)
    first = write_new(inbox, DATA, BUNDLE_SUFFIX, root=tmp_path, tag="c0ffee")
    second = write_new(inbox, DATA, BUNDLE_SUFFIX, root=tmp_path, tag="c0ffee")
    assert re.fullmatch(r"[0-9a-f]{32}\.lbundle", first.name)
    assert first != second  # the same bytes twice are two files, never one replacing the other
    assert final_names(inbox, BUNDLE_SUFFIX) == sorted([first, second])
    assert entries(inbox) == sorted([first.name, second.name])  # no partial left behind
    assert read_stable(first, len(DATA)) == DATA


def test_a_taken_final_name_is_never_replaced(tmp_path: Path) -> None:
    """Another laptop takes the chosen name just before the rename: its file stays as it was."""
    taken: list[Path] = []

    def grab(_src: Path, dst: Path) -> None:
        dst.write_bytes(b"the other laptop's bundle")
        taken.append(dst)

    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=FaultOps(publish=once(grab)))
    assert path != taken[0]
    assert taken[0].read_bytes() == b"the other laptop's bundle"
    assert path.read_bytes() == DATA


def test_every_name_taken_gives_up_without_replacing(tmp_path: Path) -> None:
    def grab(_src: Path, dst: Path) -> None:
        dst.write_bytes(b"theirs")

    with pytest.raises(ShareUnavailable):
        write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=FaultOps(publish=grab))
    files = list(tmp_path.iterdir())
    assert len(files) == NAME_ATTEMPTS
    assert all(f.read_bytes() == b"theirs" for f in files)  # nothing replaced, no partial left


class NoLinks(ShareOps):
    def link(self, src: Path, dst: Path) -> None:
        raise os_error(errno.EPERM)  # as a CIFS mount without unix extensions answers


@pytest.mark.parametrize("ops", [ShareOps(), NoLinks()], ids=["hard-link", "renameat2"])
def test_both_publish_paths_refuse_an_existing_target(tmp_path: Path, ops: ShareOps) -> None:
    """Where the share cannot make hard links, the no-replace rename refuses just the same."""
    src, dst = tmp_path / "x.partial", tmp_path / "y.lbundle"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        ops.publish(src, dst)
    assert dst.read_bytes() == b"old"
    fresh = tmp_path / "z.lbundle"
    ops.publish(src, fresh)
    assert fresh.read_bytes() == b"new"


def test_write_new_without_hard_links(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=NoLinks())
    assert entries(tmp_path) == [path.name] and path.read_bytes() == DATA


def test_links_fifos_and_odd_names_are_not_listed_or_followed(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    secret = tmp_path / "outside.txt"
    secret.write_bytes(b"not on the share")
    good = write_new(share, DATA, BUNDLE_SUFFIX)
    (share / f"{'a' * 32}{BUNDLE_SUFFIX}").symlink_to(secret)
    os.mkfifo(share / f"{'b' * 32}{BUNDLE_SUFFIX}")
    (share / f"{'c' * 32}{BUNDLE_SUFFIX}").mkdir()
    for name in (f".{'d' * 32}{BUNDLE_SUFFIX}", f"{'e' * 32}{PARTIAL_SUFFIX}",
                 f"{'f' * 32}.lcard", "bad name.lbundle", "../x.lbundle".replace("/", "_.")):
        (share / name).write_bytes(b"x")
    assert final_names(share, BUNDLE_SUFFIX) == [good]
    # Reading one of them anyway: the link is not followed, the FIFO not opened (no hang).
    assert read_stable(share / f"{'a' * 32}{BUNDLE_SUFFIX}", 1000) is None
    assert read_stable(share / f"{'b' * 32}{BUNDLE_SUFFIX}", 1000) is None
    assert read_stable(share / f"{'c' * 32}{BUNDLE_SUFFIX}", 1000) is None


def test_a_link_where_an_inbox_folder_belongs_is_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "share"
    (root / "to").mkdir(parents=True)
    (root / "to" / ("ab" * 16)).symlink_to(elsewhere)
    with pytest.raises(ShareUnavailable):
        write_new(root / "to" / ("ab" * 16), DATA, BUNDLE_SUFFIX, root=root)
    assert entries(elsewhere) == []


def test_a_missing_share_root_is_refused_and_not_created(tmp_path: Path) -> None:
    root = tmp_path / "mnt" / "share"  # a drive that is not there
    with pytest.raises(ShareUnavailable) as caught:
        write_new(root / "to" / ("ab" * 16), DATA, BUNDLE_SUFFIX, root=root)
    assert caught.value.errno == errno.ENOENT
    assert str(tmp_path) not in str(caught.value)  # no path (a user name) in the message
    assert not root.exists()


def _vanish(root: Path) -> None:
    shutil.rmtree(root)


def _replace_by_file(root: Path) -> None:
    shutil.rmtree(root / "to")
    (root / "to").write_bytes(b"")


@pytest.mark.parametrize("how", [_vanish, _replace_by_file], ids=["removed", "replaced-by-file"])
def test_share_vanishing_between_partial_and_rename(tmp_path: Path, how: object) -> None:
    root = tmp_path / "share"
    inbox = root / "to" / ("ab" * 16)
    root.mkdir()
    assert callable(how)
    ops = FaultOps(publish=lambda *_: how(root))
    with pytest.raises(ShareUnavailable):
        write_new(inbox, DATA, BUNDLE_SUFFIX, root=root, ops=ops)
    assert ops.calls["publish"] == 1  # the partial was written and verified: then it vanished
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == BUNDLE_SUFFIX]
    assert leftovers == []


@pytest.mark.parametrize("step", ["open_new", "write", "fsync", "open_read", "read", "publish"])
@pytest.mark.parametrize("code", [errno.ENOTCONN, errno.EIO, errno.EHOSTDOWN, errno.EACCES])
def test_share_errors_at_every_step_leave_no_final_and_no_partial(
    tmp_path: Path, step: str, code: int
) -> None:
    ops = FaultOps(**{step: fail_times(lambda: os_error(code), 1)})
    with pytest.raises(ShareUnavailable) as caught:
        write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=ops)
    assert caught.value.errno == code
    assert entries(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_full_disk_is_share_full_with_nothing_left(tmp_path: Path, code: int) -> None:
    ops = FaultOps(write=fail_times(lambda: os_error(code), 1))
    with pytest.raises(ShareFull):
        write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=ops)
    assert entries(tmp_path) == []


def test_bytes_read_back_wrong_never_get_a_final_name(tmp_path: Path) -> None:
    class Flipping(FaultOps):
        def read(self, fd: int, size: int) -> bytes:
            chunk = super().read(fd, size)
            return chunk[:-1] + bytes([chunk[-1] ^ 1]) if chunk else chunk

    with pytest.raises(ShareUnavailable):
        write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=Flipping())
    assert entries(tmp_path) == []


def test_a_sharing_violation_is_retried_briefly(tmp_path: Path) -> None:
    ops = FaultOps(publish=fail_times(sharing_violation, 3))
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=ops)
    assert path.read_bytes() == DATA
    assert ops.slept == list(SHARING_RETRY_DELAYS[:3])


def test_a_sharing_violation_that_never_ends_gives_up(tmp_path: Path) -> None:
    ops = FaultOps(publish=fail_times(sharing_violation, 10_000))
    with pytest.raises(ShareBusy):
        write_new(tmp_path, DATA, BUNDLE_SUFFIX, ops=ops)
    assert ops.calls["publish"] == len(SHARING_RETRY_DELAYS) + 1
    assert ops.slept == list(SHARING_RETRY_DELAYS)
    assert entries(tmp_path) == []


def test_a_file_growing_while_read_is_read_later(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)

    def grow(*_: object) -> None:
        with path.open("ab") as f:
            f.write(b"more")

    assert read_stable(path, 1 << 20, ops=FaultOps(read=once(grow))) is None
    assert read_stable(path, 1 << 20) == DATA + b"more"


def test_a_file_vanishing_mid_read_is_none(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)
    assert read_stable(path, 1 << 20, ops=FaultOps(read=once(lambda *_: path.unlink()))) is None
    assert read_stable(path, 1 << 20) is None


def test_a_file_replaced_mid_read_is_none(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)
    other = tmp_path / "other"
    other.write_bytes(DATA)  # same size, other file

    ops = FaultOps(read=once(lambda *_: os.replace(other, path)))
    assert read_stable(path, 1 << 20, ops=ops) is None
    assert read_stable(path, 1 << 20) == DATA


def test_a_file_locked_by_a_scanner_is_read_later(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)
    assert read_stable(path, 1 << 20, ops=FaultOps(open_read=fail_times(sharing_violation, 1))) \
        is None


def test_an_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)
    ops = FaultOps()
    with pytest.raises(ValueError):
        read_stable(path, len(DATA) - 1, ops=ops)
    assert "open_read" not in ops.calls and "read" not in ops.calls
    assert read_stable(path, len(DATA), ops=ops) == DATA


def test_an_unreachable_share_is_unavailable_for_the_reader(tmp_path: Path) -> None:
    path = write_new(tmp_path, DATA, BUNDLE_SUFFIX)
    ops = FaultOps(lstat=fail_times(lambda: os_error(errno.ENOTCONN), 1),
                   scandir=fail_times(lambda: os_error(errno.EHOSTDOWN), 1))
    with pytest.raises(ShareUnavailable):
        read_stable(path, 1 << 20, ops=ops)
    with pytest.raises(ShareUnavailable):
        final_names(tmp_path, BUNDLE_SUFFIX, ops=ops)
    assert final_names(tmp_path / "nobody-wrote-here", BUNDLE_SUFFIX) == []
