"""Writing a file under a final name that never existed, and reading one that holds still."""

from __future__ import annotations

from pathlib import Path


class ShareUnavailable(OSError):
    """The share (or the folder) cannot be reached or written now: try again later."""


def write_new(folder: Path, data: bytes, suffix: str) -> Path:
    """``<random>.partial`` in ``folder`` → write, flush, fsync → read back and compare → rename
    to a new random final name without ever replacing a file. Returns the final path; raises
    ``ShareUnavailable`` when the share is gone (nothing is left under a final name)."""
    raise NotImplementedError  # contract: the share engineer fills this in


def final_names(folder: Path, suffix: str) -> list[Path]:
    """Regular files under final names (no ``.partial``, no links), sorted by name."""
    raise NotImplementedError


def read_stable(path: Path, max_size: int) -> bytes | None:
    """The file's bytes if it holds still (same size and identity before and after reading);
    None if it is still growing or vanished (retry later). ``ValueError`` if over ``max_size``."""
    raise NotImplementedError
