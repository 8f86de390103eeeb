"""Cleanup receipts: a recipient says "applied", the sender removes its bundle files.

After applying a bundle, the recipient creates the empty file
``applied/<sender fp[:32]>/<sha256 of the bundle file>.<recipient fp[:16]>.ack``. The name holds
only hashes and key fingerprints (no personal data); an empty file cannot be half-written, so an
exclusive create is atomic enough, and a second ack of the same bundle finds the file there (fine).
The sender lists its ack folder and deletes a bundle file once every recipient has acked it.
An ack only lets the sender tidy up: it proves nothing and is never trusted for anything else
(a forged ack can at worst remove a bundle early, which the sender's outbox can write again).
"""

from __future__ import annotations

import contextlib
import re
import stat
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from app.share.files import SHARING_RETRY_DELAYS, ensure_folder, is_sharing_violation, unavailable
from app.share.layout import ACK_SUFFIX, BUNDLE_SUFFIX, ShareLayout
from app.share.ops import OS_OPS, ShareOps

_HASH = re.compile(r"[0-9a-f]{64}")
_FP = re.compile(r"[0-9a-f]{16,64}")
_ACK = re.compile(rf"([0-9a-f]{{64}})\.([0-9a-f]{{16}}){re.escape(ACK_SUFFIX)}")
_BUNDLE = re.compile(rf"[A-Za-z0-9_-]{{1,128}}{re.escape(BUNDLE_SUFFIX)}")

Sent = tuple[Path, str, Sequence[str]]  # (bundle file on the share, its sha256, recipient fps)


def _check(file_hash: str, *fingerprints: str) -> None:
    if not _HASH.fullmatch(file_hash):
        raise ValueError("file hash must be 64 lowercase hex characters")
    if not all(_FP.fullmatch(fp) for fp in fingerprints):
        raise ValueError("fingerprint must be lowercase hex")


def ack_path(layout: ShareLayout, sender_fp: str, file_hash: str, recipient_fp: str) -> Path:
    _check(file_hash, sender_fp, recipient_fp)
    return layout.acks_of(sender_fp) / f"{file_hash}.{recipient_fp[:16]}{ACK_SUFFIX}"


def write_ack(
    layout: ShareLayout,
    sender_fp: str,
    file_hash: str,
    recipient_fp: str,
    *,
    ops: ShareOps = OS_OPS,
) -> Path:
    """Say on the share that ``recipient_fp`` applied the bundle file ``file_hash`` from
    ``sender_fp``. Idempotent; ``ShareUnavailable`` when the share is gone."""
    path = ack_path(layout, sender_fp, file_hash, recipient_fp)
    try:
        ensure_folder(path.parent, layout.root, ops)
        for delay in (*SHARING_RETRY_DELAYS, None):
            try:
                ops.close(ops.open_new(path))
                break
            except FileExistsError:
                break  # acked before (a second import, or a crash after the create)
            except OSError as exc:
                if not is_sharing_violation(exc) or delay is None:
                    raise
                ops.sleep(delay)
        ops.sync_folder(path.parent)
    except OSError as exc:
        raise unavailable(exc) from exc
    return path


def acked(
    layout: ShareLayout, sender_fp: str, *, ops: ShareOps = OS_OPS
) -> set[tuple[str, str]]:
    """``(file_hash, recipient fp[:16])`` for every ack of ``sender_fp``'s bundles (regular files
    with a well-formed name only)."""
    _check("0" * 64, sender_fp)
    return _acks_in(layout.acks_of(sender_fp), ops)


def _acks_in(folder: Path, ops: ShareOps) -> set[tuple[str, str]]:
    try:
        entries = ops.scandir(folder)
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise unavailable(exc) from exc
    found = set()
    for name, regular in entries:
        match = _ACK.fullmatch(name)
        if regular and match:
            found.add((match.group(1), match.group(2)))
    return found


def cleanup(
    layout: ShareLayout,
    sent: Iterable[Sent],
    *,
    sender_fp: str | None = None,
    done: Collection[tuple[str, str]] = (),
    ops: ShareOps = OS_OPS,
) -> int:
    """Delete each sent bundle file whose every recipient has acked its hash; returns how many
    files were deleted. Once every file of a hash is gone, its acks are removed too (so the ack
    folder does not grow forever on a slow share).

    ``done``: more ``(file hash, recipient fp[:16])`` pairs that count as acked (a recipient
    that refused the file for good, by its signed notice).

    ``sender_fp``: this vault's fingerprint (its ack folder); without it every ack folder is
    read. Only regular files with a bundle name inside the share's ``to/`` folder are deleted;
    anything else in ``sent`` is left alone. A file already gone counts as cleaned up."""
    items = list(sent)
    if not items:
        return 0
    acks = _all_acks(layout, sender_fp, ops)
    extra = set(done)
    removed = 0
    pending: dict[str, bool] = {}  # file hash -> every file of it is gone
    for path, file_hash, recipients in items:
        _check(file_hash, *recipients)
        finished = all((file_hash, fp[:16]) in acks or (file_hash, fp[:16]) in extra
                       for fp in recipients)
        if finished and _deletable(layout, path):
            try:
                info = ops.lstat(path)
                if stat.S_ISREG(info.st_mode):
                    ops.unlink(path)
                    removed += 1
            except FileNotFoundError:
                pass  # gone already (an earlier cleanup that crashed before removing the acks)
            except OSError as exc:
                if not is_sharing_violation(exc):
                    raise unavailable(exc) from exc
                finished = False  # a scanner holds it: next run
        pending[file_hash] = pending.get(file_hash, True) and finished
    for file_hash, gone in pending.items():
        if gone:
            _remove_acks(layout, sender_fp, file_hash, acks, ops)
    return removed


def _all_acks(layout: ShareLayout, sender_fp: str | None, ops: ShareOps) -> set[tuple[str, str]]:
    if sender_fp is not None:
        return acked(layout, sender_fp, ops=ops)
    found: set[tuple[str, str]] = set()
    for folder in _ack_folders(layout, ops):
        found |= _acks_in(folder, ops)
    return found


def _ack_folders(layout: ShareLayout, ops: ShareOps) -> list[Path]:
    parent = layout.root / "applied"
    try:
        return [parent / name for name, regular in ops.scandir(parent) if not regular]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise unavailable(exc) from exc


def _deletable(layout: ShareLayout, path: Path) -> bool:
    """Only a bundle file directly in a recipient's inbox folder: a wrong entry in ``sent``
    must never delete a card, an ack or a file outside the share."""
    inbox = path.parent
    return (
        _BUNDLE.fullmatch(path.name) is not None
        and inbox.parent == layout.root / "to"
        and _FP.fullmatch(inbox.name) is not None
    )


def _remove_acks(
    layout: ShareLayout,
    sender_fp: str | None,
    file_hash: str,
    acks: set[tuple[str, str]],
    ops: ShareOps,
) -> None:
    folders = [layout.acks_of(sender_fp)] if sender_fp else _ack_folders(layout, ops)
    for folder in folders:
        for acked_hash, fp16 in acks:
            if acked_hash == file_hash:
                with contextlib.suppress(OSError):
                    ops.unlink(folder / f"{file_hash}.{fp16}{ACK_SUFFIX}")

