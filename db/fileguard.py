"""Vault files are plain regular files: never followed through a link, never a device, FIFO or
folder in disguise, and created private to their owner.

Someone with access to the laptop's files could otherwise point ``audit.anchor`` at another file
(every append would then write there) or put a dangling ``lotse.db`` link in the folder (``init``
would create the store wherever it points). Each file is checked with ``lstat`` for a clear
refusal and opened with ``O_NOFOLLOW`` where the OS has it, so a link planted between the check
and the open fails too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO, cast

from db.errors import UnsafeFile

FILE_MODE = 0o600  # owner only; on Windows the folder's ACL (%LOCALAPPDATA%) decides
DIR_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted after the check must not hang a read
_BINARY = getattr(os, "O_BINARY", 0)
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)

_FLAGS = {
    "rb": os.O_RDONLY | _NONBLOCK,
    "r+b": os.O_RDWR,
    "ab": os.O_WRONLY | os.O_APPEND | os.O_CREAT,
    "xb": os.O_WRONLY | os.O_CREAT | os.O_EXCL,
}
_WRITING = {"r+b", "ab", "xb"}


def _problem(st: os.stat_result) -> str | None:
    if stat.S_ISLNK(st.st_mode) or getattr(st, "st_file_attributes", 0) & _REPARSE_POINT:
        return UnsafeFile.LINK
    if not stat.S_ISREG(st.st_mode):
        return UnsafeFile.SPECIAL
    return None


def check_regular(path: Path, *, single_link: bool = False) -> bool:
    """True for a plain regular file, False when nothing is there (not even a dangling link).

    Raises ``UnsafeFile`` for a symlink (dangling or not), a junction, a folder, a device or FIFO,
    and with ``single_link`` for a file that has a second hard link (vault files are written in
    place: a twin elsewhere would be written too).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    problem = _problem(st)
    if problem is None and single_link and st.st_nlink > 1:
        problem = UnsafeFile.HARDLINK
    if problem is not None:
        raise UnsafeFile(path.name, problem)
    return True


def exists(path: Path) -> bool:
    """Whether anything at all is at ``path``: a dangling link counts (``Path.exists`` says no)."""
    return os.path.lexists(path)


def open_file(path: Path, mode: str) -> BinaryIO:
    """Open a vault file without following links.

    ``rb`` and ``r+b`` need an existing file; ``ab`` creates it private; ``xb`` creates a new
    private file and fails if anything is there. A file opened for writing must have no other
    hard link, so an append can never reach a file outside the vault through one.
    """
    fd = _open_fd(path, _FLAGS[mode], single_link=mode in _WRITING)
    try:
        if _NONBLOCK and mode == "rb":
            os.set_blocking(fd, True)
        return cast(BinaryIO, os.fdopen(fd, mode.replace("x", "w")))
    except BaseException:
        os.close(fd)
        raise


def open_lock(path: Path) -> int:
    """A descriptor on the vault's lock file, created private where nothing is; never through a
    link, never a FIFO (opened without blocking) or device, never a file linked elsewhere too.

    Read-only is enough for the OS locks (``db.vault_lock``) and works on a read-only medium.
    """
    return _open_fd(path, os.O_RDONLY | os.O_CREAT | _NONBLOCK, single_link=True)


def _open_fd(path: Path, flags: int, *, single_link: bool) -> int:
    check_regular(path)
    try:
        fd = os.open(path, flags | _NOFOLLOW | _BINARY, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link planted after the check
            raise UnsafeFile(path.name, UnsafeFile.LINK) from None
        raise
    try:
        st = os.fstat(fd)
        problem = _problem(st)
        if problem is None and single_link and st.st_nlink > 1:
            problem = UnsafeFile.HARDLINK
        if problem is not None:
            raise UnsafeFile(path.name, problem)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_limited(path: Path, limit: int) -> bytes | None:
    """Up to ``limit + 1`` bytes of a vault file (so the caller sees "too big"), None if absent."""
    try:
        with open_file(path, "rb") as fh:
            return fh.read(limit + 1)
    except FileNotFoundError:
        return None


def create_private(path: Path) -> None:
    """Create an empty private file where nothing exists (not even a dangling link)."""
    with open_file(path, "xb"):
        pass


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) and make the folder itself owner-only."""
    folder.mkdir(parents=True, exist_ok=True)
    tighten(folder)


def tighten(path: Path) -> None:
    """Owner-only permissions on an existing vault file or folder (POSIX; older vaults were made
    under the umask). Nothing on Windows, where the inherited ACL of the profile decides."""
    if os.name != "posix":
        return
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode) or st.st_uid != os.getuid():
        return
    wanted = DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE
    if stat.S_IMODE(st.st_mode) != wanted:
        os.chmod(path, wanted)
