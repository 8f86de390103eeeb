"""The sweeper removes only this vault's own stale partials: never another laptop's partial in
progress, never a fresh one of ours, never a final file or a link."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.share.layout import PARTIAL_SUFFIX, ShareLayout
from app.share.sweep import STALE_AFTER, sweep_layout, sweep_partials

OURS, THEIRS = "0a11ce", "0b0b"


def make(path: Path, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a bundle")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_only_our_own_old_partials_go(tmp_path: Path) -> None:
    old_ours = make(tmp_path / f"{'1' * 32}-{OURS}{PARTIAL_SUFFIX}", STALE_AFTER + 60)
    fresh_ours = make(tmp_path / f"{'2' * 32}-{OURS}{PARTIAL_SUFFIX}", 60)
    old_theirs = make(tmp_path / f"{'3' * 32}-{THEIRS}{PARTIAL_SUFFIX}", STALE_AFTER + 60)
    untagged = make(tmp_path / f"{'4' * 32}{PARTIAL_SUFFIX}", STALE_AFTER + 60)
    final = make(tmp_path / f"{'5' * 32}.lbundle", STALE_AFTER + 60)
    link = tmp_path / f"{'6' * 32}-{OURS}{PARTIAL_SUFFIX}"
    link.symlink_to(final)
    then = time.time() - STALE_AFTER - 60
    os.utime(link, (then, then), follow_symlinks=False)  # an old link named like our partial
    assert sweep_partials(tmp_path, OURS) == 1
    assert not old_ours.exists()
    assert all(p.exists() for p in (fresh_ours, old_theirs, untagged, final, link))


def test_a_layout_is_swept_in_every_folder_we_write_to(tmp_path: Path) -> None:
    layout = ShareLayout(tmp_path)
    stale = STALE_AFTER + 60
    gone = [make(folder / f"{'7' * 32}-{OURS}{PARTIAL_SUFFIX}", stale)
            for folder in (layout.cards(), layout.inbox_of("ab" * 16), layout.acks_of("cd" * 16))]
    kept = make(layout.inbox_of("ab" * 16) / f"{'8' * 32}-{THEIRS}{PARTIAL_SUFFIX}", stale)
    assert sweep_layout(layout, OURS) == 3
    assert not any(p.exists() for p in gone) and kept.exists()
    assert sweep_layout(ShareLayout(tmp_path / "empty"), OURS) == 0


def test_a_tag_that_is_not_hex_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        sweep_partials(tmp_path, ".*")
