"""The file operations the share layer performs, as one seam.

Every touch of the share goes through a ``ShareOps`` so that benchmarks can run "the share as a
local folder with 20 ms added per file operation" (``SlowOps``) and tests can make one operation
fail the way a vanished SMB share, a full disk or a virus scanner holding a file open does,
without FUSE and without mocking the file system: everything else stays real files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import time
from pathlib import Path

# O_BINARY exists on Windows only; O_NOFOLLOW on POSIX only. Missing flags are 0 (no effect).
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

# Errors with which a file system says "I cannot make hard links": fall back to a no-replace rename.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}

_RENAME_NOREPLACE = 1  # linux/fs.h
_AT_FDCWD = -100


def _libc_renameat2() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        return getattr(libc, "renameat2", None)
    except OSError:
        return None


_renameat2 = _libc_renameat2() if os.name == "posix" else None


def rename_noreplace(src: Path, dst: Path) -> None:
    """Linux's ``renameat2(RENAME_NOREPLACE)``: atomic, and refuses an existing target."""
    if _renameat2 is None:
        raise OSError(errno.ENOSYS, "no-replace rename not available")
    result = _renameat2(  # type: ignore[operator]
        _AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


class ShareOps:
    """The real operations (``os``). Subclasses add latency or fail on purpose."""

    def open_new(self, path: Path) -> int:
        """Create ``path`` exclusively (never opens an existing file or follows a link)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_NOFOLLOW | _O_CLOEXEC
        return os.open(path, flags, 0o644)

    def write(self, fd: int, data: bytes | memoryview) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def open_read(self, path: Path) -> int:
        return os.open(path, os.O_RDONLY | _O_BINARY | _O_NOFOLLOW | _O_CLOEXEC)

    def read(self, fd: int, size: int) -> bytes:
        return os.read(fd, size)

    def fstat(self, fd: int) -> os.stat_result:
        return os.fstat(fd)

    def lstat(self, path: Path) -> os.stat_result:
        return os.lstat(path)

    def stat(self, path: Path) -> os.stat_result:
        """Follows links: only for the share root, which the person chose."""
        return os.stat(path)

    def scandir(self, folder: Path) -> list[tuple[str, bool]]:
        """(name, is a regular file and not a link) for every entry of ``folder``."""
        with os.scandir(folder) as entries:
            return [(e.name, e.is_file(follow_symlinks=False)) for e in entries]

    def mkdir(self, folder: Path) -> None:
        os.mkdir(folder)

    def sync_folder(self, folder: Path) -> None:
        """fsync a folder so a created or renamed entry survives a power cut (POSIX only: Windows
        cannot open a folder, and some network file systems refuse; both are fine to skip)."""
        if os.name != "posix":
            return
        try:
            fd = os.open(folder, os.O_RDONLY | _O_CLOEXEC)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF):
                raise
        finally:
            os.close(fd)

    def publish(self, src: Path, dst: Path) -> None:
        """Give the file ``src`` the name ``dst``, never replacing an existing ``dst``
        (``FileExistsError`` then). ``src`` may remain as a second name (the caller removes it)."""
        if os.name == "nt":
            os.rename(src, dst)  # refuses an existing target on Windows
            return
        try:
            self.link(src, dst)
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            rename_noreplace(src, dst)

    def link(self, src: Path, dst: Path) -> None:
        os.link(src, dst, follow_symlinks=False)

    def unlink(self, path: Path) -> None:
        os.unlink(path)

    def sleep(self, seconds: float) -> None:
        """Waiting between retries (a seam too, so a test need not wait for real)."""
        time.sleep(seconds)


class SlowOps(ShareOps):
    """The share as a folder with ``latency`` seconds added per file operation (a network share
    without FUSE). Writes and reads of the same open file count once per call, as on SMB."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.calls = 0

    def _wait(self) -> None:
        self.calls += 1
        time.sleep(self.latency)

    def open_new(self, path: Path) -> int:
        self._wait()
        return super().open_new(path)

    def write(self, fd: int, data: bytes | memoryview) -> int:
        self._wait()
        return super().write(fd, data)

    def fsync(self, fd: int) -> None:
        self._wait()
        super().fsync(fd)

    def close(self, fd: int) -> None:
        self._wait()
        super().close(fd)

    def open_read(self, path: Path) -> int:
        self._wait()
        return super().open_read(path)

    def read(self, fd: int, size: int) -> bytes:
        self._wait()
        return super().read(fd, size)

    def fstat(self, fd: int) -> os.stat_result:
        self._wait()
        return super().fstat(fd)

    def lstat(self, path: Path) -> os.stat_result:
        self._wait()
        return super().lstat(path)

    def stat(self, path: Path) -> os.stat_result:
        self._wait()
        return super().stat(path)

    def scandir(self, folder: Path) -> list[tuple[str, bool]]:
        self._wait()
        return super().scandir(folder)

    def mkdir(self, folder: Path) -> None:
        self._wait()
        super().mkdir(folder)

    def sync_folder(self, folder: Path) -> None:
        self._wait()
        super().sync_folder(folder)

    def publish(self, src: Path, dst: Path) -> None:
        self._wait()
        super().publish(src, dst)

    def unlink(self, path: Path) -> None:
        self._wait()
        super().unlink(path)


OS_OPS = ShareOps()
