"""A ``ShareOps`` that fails (or does something) at one named file operation, for the share tests.

Everything stays real files; only the one operation named is replaced by what a vanished SMB
share, a full disk or a virus scanner holding a file open would do at that moment.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.share.ops import ShareOps


def os_error(code: int, winerror: int | None = None) -> OSError:
    exc = OSError(code, os.strerror(code))
    if winerror is not None:
        exc.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    return exc


def sharing_violation() -> OSError:
    return os_error(errno.EACCES, winerror=32)


class FaultOps(ShareOps):
    """``before[name]`` runs before the real operation ``name`` with its arguments; it may raise
    (the fault) or change the files (the share vanishing between two steps). ``calls`` counts
    every operation by name; ``slept`` records the retry waits (not really waited)."""

    def __init__(self, **before: Callable[..., Any]) -> None:
        self.before = before
        self.calls: dict[str, int] = {}
        self.slept: list[float] = []

    def _hook(self, name: str, *args: Any) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        action = self.before.get(name)
        if action is not None:
            action(*args)

    def open_new(self, path: Path) -> int:
        self._hook("open_new", path)
        return super().open_new(path)

    def write(self, fd: int, data: bytes | memoryview) -> int:
        self._hook("write", fd, data)
        return super().write(fd, data)

    def fsync(self, fd: int) -> None:
        self._hook("fsync", fd)
        super().fsync(fd)

    def open_read(self, path: Path) -> int:
        self._hook("open_read", path)
        return super().open_read(path)

    def read(self, fd: int, size: int) -> bytes:
        self._hook("read", fd, size)
        return super().read(fd, size)

    def lstat(self, path: Path) -> os.stat_result:
        self._hook("lstat", path)
        return super().lstat(path)

    def stat(self, path: Path) -> os.stat_result:
        self._hook("stat", path)
        return super().stat(path)

    def scandir(self, folder: Path) -> list[tuple[str, bool]]:
        self._hook("scandir", folder)
        return super().scandir(folder)

    def publish(self, src: Path, dst: Path) -> None:
        self._hook("publish", src, dst)
        super().publish(src, dst)

    def unlink(self, path: Path) -> None:
        self._hook("unlink", path)
        super().unlink(path)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def fail_times(exc: Callable[[], OSError], times: int) -> Callable[..., None]:
    """A hook that raises ``exc()`` the first ``times`` calls, then lets the operation run."""
    left = [times]

    def hook(*_: Any) -> None:
        if left[0] > 0:
            left[0] -= 1
            raise exc()

    return hook


def once(action: Callable[..., Any]) -> Callable[..., None]:
    """A hook that runs ``action`` on the first call only."""
    done = [False]

    def hook(*args: Any) -> None:
        if not done[0]:
            done[0] = True
            action(*args)

    return hook
