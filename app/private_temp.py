"""The private folder for plaintext copies opened in other programs (stdlib only: the desktop
cleans it at start before anything heavy is imported)."""

from __future__ import annotations

import errno
import getpass
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.errors import Refused

# An entry that is a link in all but name (Windows junctions and other reparse points).
_REPARSE = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)
_NOT_EMPTY = {errno.ENOTEMPTY, errno.EEXIST}


def private_temp_dir() -> Path:
    """A folder only this user can enter, under the user's temp dir (0700 on POSIX)."""
    base = Path(tempfile.gettempdir())
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name in a service session: the dir is still ours
        login = "user"
    user = "".join(ch for ch in login if ch.isalnum())[:32] or "user"
    folder = base / f"lotse-private-{user}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise Refused("Der private Ordner für temporäre Kopien ist unsicher.",
                      f"{folder} is not a plain directory")
    if os.name == "posix":
        if info.st_uid != os.getuid():
            raise Refused("Der private Ordner für temporäre Kopien gehört jemand anderem.",
                          f"{folder} has another owner")
        os.chmod(folder, 0o700)
    return folder


@dataclass(frozen=True)
class Cleanup:
    removed: int  # files and links removed
    left: int  # entries that could not be removed (open in another program, say)
    untouched: bool = False  # the folder itself is unsafe or unreachable: nothing was done


def empty_private_temp() -> Cleanup:
    """Remove everything below the private temp folder, subfolders too; never raises.

    Links (and junctions) are removed themselves, never followed, and no other file system is
    entered, so nothing outside the folder is touched. What cannot be removed now (a file still
    open in another program on Windows) is counted and retried at the next lock, exit or start.
    """
    try:
        folder = private_temp_dir()
    except (Refused, OSError):
        return Cleanup(0, 0, untouched=True)
    try:
        device = folder.lstat().st_dev
    except OSError:
        return Cleanup(0, 0, untouched=True)
    removed = left = 0
    # Depth first without recursion (a hostile tree may be deeper than Python's stack).
    pending: list[tuple[str, bool]] = [(str(folder), False)]
    while pending:
        path, emptied = pending.pop()
        if emptied:
            left += _remove_dir(path)
            continue
        if path != str(folder):
            pending.append((path, True))
        try:
            with os.scandir(path) as entries:
                children = list(entries)
        except OSError:
            left += 1
            continue
        for entry in children:
            if _descend(entry, device):
                pending.append((entry.path, False))
            elif _remove_entry(entry):
                removed += 1
            else:
                left += 1
    return Cleanup(removed, left)


def cleanup_private_temp() -> int:
    """``empty_private_temp`` for callers that only want the number of removed files."""
    return empty_private_temp().removed


def _descend(entry: os.DirEntry[str], device: int) -> bool:
    """A real folder on the same file system: emptied, then removed."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    reparse = getattr(info, "st_file_attributes", 0) & _REPARSE
    return stat.S_ISDIR(info.st_mode) and not reparse and info.st_dev == device


def _remove_entry(entry: os.DirEntry[str]) -> bool:
    try:
        os.unlink(entry.path)
        return True
    except IsADirectoryError:
        pass  # a directory not to enter (a junction, a mount point): remove just the entry
    except PermissionError:
        if os.name != "nt":
            return False
    except OSError:
        return False
    try:
        os.rmdir(entry.path)  # removes a junction itself, and only an empty folder otherwise
        return True
    except OSError:
        return False


def _remove_dir(path: str) -> int:
    """0 when removed or only still holding what was already counted, else 1."""
    try:
        os.rmdir(path)
    except OSError as exc:
        return 0 if exc.errno in _NOT_EMPTY else 1
    return 0
