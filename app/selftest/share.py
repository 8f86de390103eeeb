"""Is the share folder writable? A ``<random>.partial`` is written, fsynced, read back and
removed, through the same file operations the bundle writer uses (``app.share.ops``).

No share set is reported, not failed. Messages never carry the path (it may name a person).
"""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path

from app.share.files import partial_name
from app.share.ops import OS_OPS, ShareOps
from app.share.reach import reachable

NOT_SET = "not set"
PROBE_BYTES = 4096


class ShareCheckFailed(Exception):
    pass


def check_share(folder: Path | None, *, ops: ShareOps = OS_OPS) -> str:
    if folder is None:
        return NOT_SET
    if not reachable(folder, ops=ops):  # a vanished SMB server must not hang the self-test
        raise ShareCheckFailed("share folder missing, not a folder or not reachable")
    data = secrets.token_bytes(PROBE_BYTES)
    partial = folder / partial_name()
    fd = ops.open_new(partial)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[ops.write(fd, view):]
            ops.fsync(fd)
        finally:
            ops.close(fd)
        fd = ops.open_read(partial)
        try:
            back = ops.read(fd, PROBE_BYTES + 1)
        finally:
            ops.close(fd)
        if back != data:
            raise ShareCheckFailed("the share returned other bytes than were written")
    finally:
        with contextlib.suppress(OSError):
            ops.unlink(partial)
    if _exists(partial, ops):
        raise ShareCheckFailed("the test file could not be removed")
    return "writable (a partial file written, synced, read back, removed)"


def _exists(path: Path, ops: ShareOps) -> bool:
    try:
        ops.lstat(path)
    except FileNotFoundError:
        return False
    return True
