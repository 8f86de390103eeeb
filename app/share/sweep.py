"""Removing this vault's own stale ``.partial`` files from the share.

A writer killed between creating its partial and publishing it (laptop closed, process killed)
leaves the partial behind. Only the vault that wrote it may remove it, and only when it is old
enough that no writer of ours can still be working on it: the partial's name carries the vault's
tag (``<random>-<tag>.partial``), so another laptop's partial in progress is never touched.
File times are good enough here (they decide only when litter is swept, never what syncs).
"""

from __future__ import annotations

import contextlib
import re
import stat
import time
from pathlib import Path

from app.share.files import unavailable
from app.share.layout import PARTIAL_SUFFIX, ShareLayout
from app.share.ops import OS_OPS, ShareOps

STALE_AFTER = 3600.0  # seconds: far longer than any write of one bundle takes


def sweep_partials(
    folder: Path,
    tag: str,
    *,
    older_than: float = STALE_AFTER,
    now: float | None = None,
    ops: ShareOps = OS_OPS,
) -> int:
    """Remove ``<random>-<tag>.partial`` regular files in ``folder`` older than ``older_than``
    seconds. Returns how many were removed; an unreachable share raises ``ShareUnavailable``."""
    if not re.fullmatch(r"[0-9a-f]{1,32}", tag):
        raise ValueError("tag must be lowercase hex, at most 32 characters")
    own = re.compile(rf"[0-9a-f]{{32}}-{tag}{re.escape(PARTIAL_SUFFIX)}")
    limit = (time.time() if now is None else now) - older_than
    try:
        entries = ops.scandir(folder)
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise unavailable(exc) from exc
    removed = 0
    for name, regular in entries:
        if not (regular and own.fullmatch(name)):
            continue
        path = folder / name
        with contextlib.suppress(FileNotFoundError):
            info = ops.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                ops.unlink(path)
                removed += 1
    return removed


def sweep_layout(
    layout: ShareLayout,
    tag: str,
    *,
    older_than: float = STALE_AFTER,
    now: float | None = None,
    ops: ShareOps = OS_OPS,
) -> int:
    """``sweep_partials`` over every folder a vault writes to: cards, every inbox, every ack
    folder. Links among them are not followed."""
    folders = [layout.cards()]
    for parent in (layout.root / "to", layout.root / "applied"):
        try:
            folders += [parent / name for name, _ in ops.scandir(parent)]
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise unavailable(exc) from exc
    total = 0
    for folder in folders:
        try:
            if not stat.S_ISDIR(ops.lstat(folder).st_mode):
                continue
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise unavailable(exc) from exc
        total += sweep_partials(folder, tag, older_than=older_than, now=now, ops=ops)
    return total
