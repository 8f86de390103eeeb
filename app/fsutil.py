"""Durable file writes: private temp file, fsync, atomic rename; Windows sharing violations
retried. Vault files are never written through a link (db.fileguard)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from app.errors import UnsafeVaultFile
from db import fileguard
from db.engine import fsync_dir
from db.errors import UnsafeFile

_WINDOWS_SHARING_ERRORS = {5, 32, 33}  # access denied, sharing violation, lock violation


def refusal(exc: UnsafeFile) -> UnsafeVaultFile:
    return UnsafeVaultFile(exc.name, exc.problem, str(exc))


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Turn the file guard's finding into the user-facing refusal."""
    try:
        yield
    except UnsafeFile as exc:
        raise refusal(exc) from None


def check_regular(path: Path) -> bool:
    with guarded():
        return fileguard.check_regular(path)


def open_file(path: Path, mode: str) -> BinaryIO:
    with guarded():
        return fileguard.open_file(path, mode)


def read_limited(path: Path, limit: int) -> bytes | None:
    with guarded():
        return fileguard.read_limited(path, limit)


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


def fsync_file(path: Path) -> None:
    """Make a file's content durable before it is renamed or declared done."""
    with open_file(path, "r+b") as fh:  # Windows flushes only a handle open for writing
        os.fsync(fh.fileno())


def replace(source: Path, target: Path) -> None:
    """``os.replace``, retried briefly while another program holds a file (Windows)."""
    _retry(lambda: os.replace(source, target))


def _write_new_synced(path: Path, data: bytes) -> None:
    """A fresh private file; a leftover of a crash (or a planted link) is removed, not followed."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # unlinking a symlink removes the link, never its target
    with guarded(), fileguard.open_file(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new content."""
    check_regular(path)  # a linked target is refused, not silently replaced
    tmp = path.with_name(path.name + ".new")
    try:
        _write_new_synced(tmp, data)
        _retry(lambda: os.replace(tmp, path))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path``; never replaces an existing file (FileExistsError instead)."""
    partial = path.with_name(path.name + ".partial")
    try:
        _write_new_synced(partial, data)
        if os.name == "nt":
            os.rename(partial, path)  # fails on Windows if the target exists
        else:
            os.link(partial, path)  # link() refuses an existing target; rename() would not
            partial.unlink()
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    fsync_dir(path.parent)
