"""The private folder for plaintext copies opened in other programs (stdlib only: the desktop
cleans it at start before anything heavy is imported)."""

from __future__ import annotations

import contextlib
import getpass
import os
import stat
import tempfile
from pathlib import Path

from app.errors import Refused


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



def cleanup_private_temp() -> int:
    """Remove every private temp copy; returns how many files were removed.

    A file still open in another program cannot be deleted on Windows; it is retried at the
    next lock, exit or start.
    """
    folder = private_temp_dir()
    removed = 0
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
            elif path.is_symlink():
                path.unlink()
    return removed
