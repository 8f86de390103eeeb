"""Is the share there? Asked without ever hanging the caller for long.

A vanished SMB server can block ``stat`` for a minute or more (the kernel's or the redirector's
own timeout). The probe therefore runs in a daemon thread and the caller waits at most
``timeout`` seconds. While one probe of a root still hangs, the next call answers False at once
instead of piling up another blocked thread.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from app.share.ops import OS_OPS, ShareOps

_hanging: set[str] = set()
_lock = threading.Lock()


def reachable(root: Path, *, timeout: float = 2.0, ops: ShareOps = OS_OPS) -> bool:
    """True if ``root`` is a folder that can be listed within ``timeout`` seconds."""
    key = os.fspath(root)
    with _lock:
        if key in _hanging:
            return False
        _hanging.add(key)
    answer: list[bool] = []

    def probe() -> None:
        try:
            ok = stat.S_ISDIR(ops.stat(root).st_mode)
            if ok:
                ops.scandir(root)  # a stale handle may stat fine and fail on listing
            answer.append(ok)
        except OSError:
            answer.append(False)
        finally:
            with _lock:
                _hanging.discard(key)

    thread = threading.Thread(target=probe, name="share-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answer) and answer[0]
