"""Refusal notices on the share (``app.bundle.notice`` is their content): in the sender's folder
``applied/<sender fp[:32]>/`` beside the acknowledgements, each under a fresh random name
``<random>.refused``, written like every share file (``write_new``: partial, verified, published
under a name that never existed). The sender reads them, records what verifies and removes each
one it has read, so the folder does not grow."""

from __future__ import annotations

from pathlib import Path

from app.bundle.notice import MAX_NOTICE_SIZE
from app.share.files import (
    final_names,
    is_sharing_violation,
    read_stable,
    unavailable,
    write_new,
)
from app.share.layout import NOTICE_SUFFIX, ShareLayout
from app.share.ops import OS_OPS, ShareOps


def write_notice(layout: ShareLayout, sender_fp: str, data: bytes, *, tag: str = "",
                 ops: ShareOps = OS_OPS) -> Path:
    """Put a sealed notice in ``sender_fp``'s folder; ``ShareUnavailable`` when the share is
    gone (then nothing is there under a final name)."""
    if len(data) > MAX_NOTICE_SIZE:
        raise ValueError("notice too large")
    return write_new(layout.acks_of(sender_fp), data, NOTICE_SUFFIX, root=layout.root, tag=tag,
                     ops=ops)


def read_notices(layout: ShareLayout, own_fp: str, *,
                 ops: ShareOps = OS_OPS) -> list[tuple[Path, bytes | None]]:
    """Every notice file in this vault's folder with its bytes; None for one over the size limit
    (never read: it is no notice). A file still being replaced or gone is left for the next
    run."""
    found: list[tuple[Path, bytes | None]] = []
    for path in final_names(layout.acks_of(own_fp), NOTICE_SUFFIX, ops=ops):
        try:
            data = read_stable(path, MAX_NOTICE_SIZE, ops=ops)
        except ValueError:
            found.append((path, None))
            continue
        if data is not None:
            found.append((path, data))
    return found


def remove_notice(path: Path, *, ops: ShareOps = OS_OPS) -> None:
    """Remove a notice this vault has read (gone already is fine; a scanner holding it: next
    run)."""
    try:
        ops.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if not is_sharing_violation(exc):
            raise unavailable(exc) from exc
