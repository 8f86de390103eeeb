"""A real full disk and a real read-only share (tmpfs where the test may mount, else a
file-size limit): the writer says "full" / "unavailable" and leaves no file behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.disk_faults import LAYERS, read_only, small_disk

CHILD = """
import sys
from pathlib import Path
from app.share.files import ShareFull, ShareUnavailable, write_new
try:
    write_new(Path(sys.argv[1]) / "to" / ("ab" * 16), b"x" * int(sys.argv[2]), ".lbundle",
              root=Path(sys.argv[1]), tag="abc")
except ShareFull:
    print("full")
except ShareUnavailable:
    print("unavailable")
else:
    print("written")
"""


def write_in_child(root: Path, size: int, preexec: object = None) -> str:
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(size)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          preexec_fn=preexec)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("layer", LAYERS)
def test_a_full_share_is_reported_full_and_left_clean(tmp_path: Path, layer: str) -> None:
    with small_disk(tmp_path, 256 * 1024, layer) as disk:
        assert write_in_child(disk.folder, 1024, disk.preexec) == "written"  # room for a small
        before = files_under(disk.folder)
        assert write_in_child(disk.folder, 1024 * 1024, disk.preexec) == "full"
        assert files_under(disk.folder) == before  # no partial, no final of the big one


def test_a_read_only_share_is_unavailable(tmp_path: Path) -> None:
    share = tmp_path / "share"
    (share / "to" / ("ab" * 16)).mkdir(parents=True)
    with read_only(share):
        assert write_in_child(share, 1024) == "unavailable"
        assert files_under(share) == []
