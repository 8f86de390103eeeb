"""The last step of a restore: the verified folder renamed onto the target. Where the OS cannot
rename onto an existing empty folder (Windows), the target is moved aside first; a rename that
fails then must leave the person's target folder exactly as it was, not remove it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.errors import UsageError
from app.restore import _put_in_place


def identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_mode, st.st_uid


@pytest.mark.parametrize("onto_folder", [False, True])
def test_a_failed_rename_leaves_the_target_folder_as_it_was(tmp_path: Path,
                                                           onto_folder: bool) -> None:
    target = tmp_path / "Tresor"
    target.mkdir()
    os.chmod(target, 0o750)  # the person's own choice, kept
    before = identity(target)
    gone = tmp_path / "Tresor.partial-1234"  # the verified copy vanished (say, a cleaner)

    with pytest.raises(UsageError) as info:
        _put_in_place(gone, target, existed=True, onto_folder=onto_folder)

    assert "es wurde nichts wiederhergestellt" in info.value.message_de
    assert identity(target) == before and list(target.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Tresor"]  # nothing left aside


@pytest.mark.parametrize("onto_folder", [False, True])
def test_the_copy_takes_the_place_of_an_empty_target(tmp_path: Path, onto_folder: bool) -> None:
    target, staging = tmp_path / "Tresor", tmp_path / "Tresor.partial-5678"
    target.mkdir()
    staging.mkdir()
    (staging / "lotse.key").write_bytes(b"key")

    _put_in_place(staging, target, existed=True, onto_folder=onto_folder)

    assert (target / "lotse.key").read_bytes() == b"key"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Tresor"]
