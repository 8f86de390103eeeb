"""The vault-wide lock between Lotse processes: an empty file ``lotse.lock``, locked by the OS.

Every process that has the vault open holds it shared; whatever replaces the store file or must
run alone (a rekey, finishing or rolling back an interrupted one, creating a vault) holds it
exclusively. SQLite's locks cannot do this: they last one transaction, and a process keeps its
pooled connections to a store file that was replaced under it (its later writes would be lost).

The OS drops a process's locks when it dies (POSIX at once; Windows "depending on available
system resources", so a waiter polls until its deadline). The file is never removed while it
is in use; a locker checks after locking that the path still names the file it locked.

POSIX: ``flock``, which belongs to the open file: two opens in one process exclude each other as
two processes do (``fcntl`` record locks would not, and a process loses them when it closes any
descriptor of the file). Windows: ``LockFileEx`` on the first byte, shared or with
``LOCKFILE_EXCLUSIVE_LOCK``. The Windows part follows Microsoft's documentation but has never
run: Lotse's test machines are Linux.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from db import fileguard

POLL_SECONDS = 0.05


class LockTimeout(Exception):
    """Another process held the lock in a conflicting mode until the deadline."""


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _FAIL_IMMEDIATELY = 0x1
    _EXCLUSIVE = 0x2
    _ERROR_LOCK_VIOLATION = 33
    _ERROR_IO_PENDING = 997

    class _Overlapped(ctypes.Structure):
        # OVERLAPPED; Offset/OffsetHigh (the union's struct) stay 0: the lock is on byte 0.
        _fields_ = [("Internal", ctypes.c_size_t), ("InternalHigh", ctypes.c_size_t),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _lock_file_ex = _kernel32.LockFileEx
    _lock_file_ex.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                              wintypes.DWORD, ctypes.POINTER(_Overlapped)]
    _lock_file_ex.restype = wintypes.BOOL
    _unlock_file_ex = _kernel32.UnlockFileEx
    _unlock_file_ex.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD,
                                wintypes.DWORD, ctypes.POINTER(_Overlapped)]
    _unlock_file_ex.restype = wintypes.BOOL

    def _handle(fd: int) -> wintypes.HANDLE:
        return wintypes.HANDLE(msvcrt.get_osfhandle(fd))

    def _try_lock(fd: int, exclusive: bool) -> bool:
        flags = _FAIL_IMMEDIATELY | (_EXCLUSIVE if exclusive else 0)
        overlapped = _Overlapped()
        if _lock_file_ex(_handle(fd), flags, 0, 1, 0, ctypes.byref(overlapped)):
            return True
        error = ctypes.get_last_error()
        if error in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
            return False
        raise ctypes.WinError(error)

    def _unlock(fd: int) -> None:
        overlapped = _Overlapped()
        if not _unlock_file_ex(_handle(fd), 0, 1, 0, ctypes.byref(overlapped)):
            raise ctypes.WinError(ctypes.get_last_error())

    def _downgrade(fd: int) -> None:
        # A handle may lay a shared lock over its own exclusive one; the next unlock removes the
        # exclusive one first: the byte is never unlocked in between.
        if not _try_lock(fd, exclusive=False):
            raise OSError("the shared lock over our own exclusive lock was refused")
        _unlock(fd)

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _downgrade(fd: int) -> None:
        # Linux converts under one spin lock; POSIX does not promise that, so callers check the
        # files they rely on again afterwards (app.vault.access).
        fcntl.flock(fd, fcntl.LOCK_SH)


class VaultLock:
    """A held lock on a vault's lock file; ``release()`` (idempotent) gives it back."""

    def __init__(self, path: Path, fd: int, exclusive: bool) -> None:
        self.path = path
        self._fd: int | None = fd
        self._exclusive = exclusive
        # The desktop may lock (GUI thread) while its database thread lets go: close only once.
        self._guard = threading.Lock()

    @property
    def exclusive(self) -> bool:
        return self._fd is not None and self._exclusive

    def require_exclusive(self) -> None:
        """For what may only run alone (replacing the store): a bug otherwise, never a state."""
        if not self.exclusive:
            raise RuntimeError(f"{self.path.name} is not held exclusively")

    def downgrade(self) -> None:
        """Exclusive to shared, without letting another exclusive holder in (see above)."""
        with self._guard:
            if self._fd is not None and self._exclusive:
                _downgrade(self._fd)
                self._exclusive = False

    def release(self) -> None:
        with self._guard:
            fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __del__(self) -> None:  # a vault dropped without lock(): its process lets go anyway
        with contextlib.suppress(Exception):
            self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = os.lstat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


def acquire(path: Path, *, exclusive: bool, wait: float,
            notice: Callable[[], None] | None = None) -> VaultLock:
    """Lock ``path`` (created private if absent), polling up to ``wait`` seconds.

    ``notice`` is called once when the first attempt finds the lock taken (the CLI says that it
    waits). Raises ``LockTimeout`` at the deadline, ``UnsafeFile`` for a link, FIFO or device.
    """
    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while True:
        fd = fileguard.open_lock(path)
        kept = False
        try:
            locked = _try_lock(fd, exclusive)
            if locked and _same_file(fd, path):
                kept = True
                return VaultLock(path, fd, exclusive)
            if locked:  # removed or replaced meanwhile: lock the file that is there now
                _unlock(fd)
        finally:
            if not kept:
                os.close(fd)
        if time.monotonic() >= deadline:
            raise LockTimeout(f"{path.name} is held by another Lotse process")
        if not locked and notice is not None and not told:
            notice()
            told = True
        time.sleep(POLL_SECONDS)
