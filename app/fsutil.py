"""Durable file writes: temp file, fsync, atomic rename; Windows sharing violations retried."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from db.engine import fsync_dir

_WINDOWS_SHARING_ERRORS = {5, 32, 33}  # access denied, sharing violation, lock violation


def _retry(op: Callable[[], None], attempts: int = 10, delay: float = 0.05) -> None:
    """Antivirus or indexers hold files briefly on Windows: retry a few times, never forever."""
    for attempt in range(attempts):
        try:
            op()
            return
        except OSError as exc:
            winerror = getattr(exc, "winerror", None)
            if winerror not in _WINDOWS_SHARING_ERRORS or attempt == attempts - 1:
                raise
            time.sleep(delay * (attempt + 1))


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new content."""
    tmp = path.with_name(path.name + ".new")
    _write_synced(tmp, data)
    _retry(lambda: os.replace(tmp, path))
    fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path``; never replaces an existing file (FileExistsError instead)."""
    partial = path.with_name(path.name + ".partial")
    _write_synced(partial, data)
    try:
        if os.name == "nt":
            os.rename(partial, path)  # fails on Windows if the target exists
        else:
            os.link(partial, path)  # link() refuses an existing target; rename() would not
            partial.unlink()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
