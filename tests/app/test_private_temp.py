"""Plaintext copies for other programs never outlive a session: the private temp folder is
emptied at every start of the desktop and of the CLI, subfolders too, without ever following a
link out of it; what cannot be removed is reported, never a crash."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.private_temp import empty_private_temp, private_temp_dir
from app.vault.store import Vault
from tests.conftest import ROOT, run_cli


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp dir of this test's own (TMPDIR for child processes), never the shared one."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """What links in the private folder point at: must survive every cleanup."""
    target = tmp_path / "Eigene Dateien"
    (target / "Unterordner").mkdir(parents=True)
    (target / "Lebenslauf.pdf").write_bytes(b"%PDF mine")
    (target / "Unterordner" / "Zeugnis.pdf").write_bytes(b"%PDF also mine")
    return target


def _leftovers(folder: Path, outside: Path) -> int:
    """A crashed session's copies, nested, plus links out of the folder; returns their count."""
    (folder / "a" / "b" / "c").mkdir(parents=True)
    (folder / "copy.pdf").write_bytes(b"%PDF plaintext")
    (folder / "a" / "note.txt").write_bytes(b"plaintext")
    (folder / "a" / "b" / "c" / "deep.png").write_bytes(b"\x89PNG plaintext")
    (folder / "a" / "to_folder").symlink_to(outside, target_is_directory=True)
    (folder / "a" / "b" / "to_file").symlink_to(outside / "Lebenslauf.pdf")
    (folder / "dangling").symlink_to(outside / "gibt es nicht")
    return 6


def _outside_intact(outside: Path) -> None:
    assert (outside / "Lebenslauf.pdf").read_bytes() == b"%PDF mine"
    assert (outside / "Unterordner" / "Zeugnis.pdf").read_bytes() == b"%PDF also mine"


@contextlib.contextmanager
def undeletable(path: Path) -> Iterator[None]:
    """A file this process cannot delete (as a viewer holding it open on Windows): the folder
    is read-only for an ordinary user; root ignores that, so the file is made immutable."""
    if os.geteuid() != 0:
        path.parent.chmod(0o500)
        try:
            yield
        finally:
            path.parent.chmod(0o700)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    assert made.returncode == 0, f"cannot make a file undeletable here: {made.stderr}"
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_nested_copies_and_links_are_removed_and_link_targets_survive(temp_root: Path,
                                                                      outside: Path) -> None:
    folder = private_temp_dir()
    count = _leftovers(folder, outside)
    result = empty_private_temp()
    assert list(folder.iterdir()) == []
    assert (result.removed, result.left, result.untouched) == (count, 0, False)
    _outside_intact(outside)


def test_a_file_that_cannot_be_removed_is_counted_and_the_rest_goes(temp_root: Path,
                                                                    outside: Path) -> None:
    folder = private_temp_dir()
    count = _leftovers(folder, outside)
    held = folder / "a" / "b" / "c" / "deep.png"
    with undeletable(held):
        result = empty_private_temp()
        assert (result.removed, result.left) == (count - 1, 1)
        remaining = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
        assert remaining == ["a", "a/b", "a/b/c", "a/b/c/deep.png"]
        # The CLI starts all the same and says why a copy is still there.
        res = run_cli("--help", env={"TMPDIR": str(temp_root)})
        assert res.returncode == 0 and "Traceback" not in res.stderr
        assert "1 leftover entries in the private temp folder could not be removed" in res.stderr
    assert empty_private_temp().removed == 1  # released: gone at the next start
    assert list(folder.iterdir()) == []
    _outside_intact(outside)


def test_every_cli_start_empties_the_folder(temp_root: Path, outside: Path, vault: Vault,
                                            vault_dir: Path) -> None:
    vault.lock()
    folder = private_temp_dir()
    _leftovers(folder, outside)
    res = run_cli("cases", vault=vault_dir, env={"TMPDIR": str(temp_root)})
    assert res.returncode == 0, res.stderr
    assert list(folder.iterdir()) == [] and res.stderr == ""
    _outside_intact(outside)


def test_every_desktop_start_empties_the_folder(temp_root: Path, outside: Path,
                                                tmp_path: Path) -> None:
    folder = private_temp_dir()
    _leftovers(folder, outside)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(TMPDIR=str(temp_root), QT_QPA_PLATFORM="offscreen", LOTSE_EXIT_AFTER_SHOW="1")
    res = subprocess.run([sys.executable, "-c", "import sys; from ui.entry import main; "
                          f"sys.exit(main(['--vault', {str(tmp_path / 'vault')!r}]))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert list(folder.iterdir()) == []
    _outside_intact(outside)


def test_a_linked_private_folder_is_never_followed(temp_root: Path, outside: Path) -> None:
    """Someone put a link where the folder belongs: neither emptied nor written through."""
    user_folder = private_temp_dir()
    user_folder.rmdir()
    user_folder.symlink_to(outside, target_is_directory=True)
    assert empty_private_temp().untouched
    _outside_intact(outside)
    res = run_cli("--help", env={"TMPDIR": str(temp_root)})
    assert res.returncode == 0 and "left untouched" in res.stderr
    _outside_intact(outside)
