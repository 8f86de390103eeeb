"""Writing a file under a final name that never existed, and reading one that holds still.

The share is an SMB drive written by many laptops at once, cached by the Windows client for
seconds, scanned by antivirus, and gone when the laptop leaves the office. So:

* A writer never shows a half-written file: it writes ``<random>[-<tag>].partial``, fsyncs it,
  reads it back and compares the hash, and only then gives it a fresh random final name, with an
  operation that refuses to replace an existing file (POSIX: a hard link, or
  ``renameat2(RENAME_NOREPLACE)`` where links are not supported; Windows: ``os.rename``).
* A reader only looks at final names, caps the size before reading, and accepts the bytes only if
  the file held still while it read (same identity, size and mtime before and after); otherwise it
  says "not now" (None) and the caller tries again on the next run, it does not reject the file.
* Names are random hex: no personal data, nothing derived from a record.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from app.share.layout import PARTIAL_SUFFIX
from app.share.ops import OS_OPS, ShareOps

# Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION (a scanner or indexer holds the file).
SHARING_VIOLATIONS = (32, 33)
# Backoff for a sharing violation: bounded, about three seconds in all, never forever.
SHARING_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
# Fresh final names to try when one is taken (with 128 random bits this is paranoia).
NAME_ATTEMPTS = 8

_SUFFIX = re.compile(r"\.[a-z][a-z0-9]{0,15}")
_TAG = re.compile(r"[0-9a-f]{1,32}")
_STEM = re.compile(r"[A-Za-z0-9_-]{1,128}")
# EFBIG: a file-size limit (quota, RLIMIT_FSIZE) fails a write as a full disk does.
_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
_READ_CHUNK = 1 << 20


class ShareUnavailable(OSError):
    """The share (or the folder) cannot be reached or written now: try again later."""


class ShareFull(ShareUnavailable):
    """No space left on the share (or the quota is used up): try again later."""


class ShareBusy(ShareUnavailable):
    """Another program kept the file locked through every retry (Windows sharing violation)."""


def is_sharing_violation(exc: BaseException) -> bool:
    return getattr(exc, "winerror", None) in SHARING_VIOLATIONS


def unavailable(exc: OSError) -> ShareUnavailable:
    """The ``ShareUnavailable`` for an OS error. The message names the error, never a path (a
    share root may contain a person's user name)."""
    if isinstance(exc, ShareUnavailable):
        return exc
    code = exc.errno if exc.errno is not None else errno.EIO
    name = errno.errorcode.get(code, str(code))
    if code in _FULL:
        return ShareFull(code, f"share full ({name})")
    if is_sharing_violation(exc):
        return ShareBusy(code, f"share file locked by another program ({name})")
    return ShareUnavailable(code, f"share unavailable ({name})")


def check_suffix(suffix: str) -> None:
    if not _SUFFIX.fullmatch(suffix) or suffix == PARTIAL_SUFFIX:
        raise ValueError("suffix must look like '.lbundle'")


def partial_name(tag: str = "") -> str:
    """A fresh partial name; ``tag`` (this vault's hex id) lets its own sweeper find it later."""
    if tag and not _TAG.fullmatch(tag):
        raise ValueError("tag must be lowercase hex, at most 32 characters")
    token = secrets.token_hex(16)
    return f"{token}-{tag}{PARTIAL_SUFFIX}" if tag else f"{token}{PARTIAL_SUFFIX}"


def write_new(
    folder: Path,
    data: bytes,
    suffix: str,
    *,
    root: Path | None = None,
    tag: str = "",
    ops: ShareOps = OS_OPS,
) -> Path:
    """``<random>.partial`` in ``folder`` → write, flush, fsync → read back and compare → rename
    to a new random final name without ever replacing a file. Returns the final path; raises
    ``ShareUnavailable`` when the share is gone (nothing is left under a final name).

    ``root``: the share root. If given, it must exist (an empty mount point or a vanished drive is
    refused) and missing folders below it are created; without it, missing folders are created.
    ``tag``: this vault's hex id, put into the partial's name for ``sweep_partials``."""
    check_suffix(suffix)
    name = partial_name(tag)  # validates tag before touching the share
    try:
        ensure_folder(folder, root, ops)
        partial = _write_partial(folder, name, data, tag, ops)
    except OSError as exc:
        raise unavailable(exc) from exc
    try:
        _verify(partial, data, ops)
        final = _publish(partial, folder, suffix, ops)
    except BaseException as exc:
        _remove_quietly(partial, ops)
        if isinstance(exc, OSError):
            raise unavailable(exc) from exc
        raise
    # The final name holds the verified bytes now; the partial is only a second name left by the
    # hard link. Failing to remove it (or to sync the folder) is no reason to report failure:
    # the sweeper removes an old partial of ours later.
    _remove_quietly(partial, ops)
    with contextlib.suppress(OSError):
        ops.sync_folder(folder)
    return final


def ensure_folder(folder: Path, root: Path | None, ops: ShareOps) -> None:
    if root is None:
        # Without a root, the path up to the first existing folder is the person's business
        # (links allowed, as in "~/share"); only the missing rest is created.
        missing: list[Path] = []
        current = folder
        while True:
            try:
                if not stat.S_ISDIR(ops.stat(current).st_mode):
                    raise ShareUnavailable(errno.ENOTDIR, "share folder is not a folder")
                break
            except FileNotFoundError:
                if current.parent == current:
                    raise
                missing.append(current)
                current = current.parent
        base, parts = current, tuple(p.name for p in reversed(missing))
    else:
        if not stat.S_ISDIR(ops.stat(root).st_mode):
            raise ShareUnavailable(errno.ENOTDIR, "share root is not a folder")
        base, parts = root, folder.relative_to(root).parts
    current = base
    for part in parts:
        current = current / part
        try:
            mode = ops.lstat(current).st_mode
        except FileNotFoundError:
            with contextlib.suppress(FileExistsError):  # another laptop made it a moment ago
                ops.mkdir(current)
            mode = ops.lstat(current).st_mode
        if not stat.S_ISDIR(mode):  # a file or a link where a folder belongs: not ours to follow
            raise ShareUnavailable(errno.ENOTDIR, "share folder is not a folder")


def _write_partial(folder: Path, name: str, data: bytes, tag: str, ops: ShareOps) -> Path:
    for _ in range(NAME_ATTEMPTS):
        partial = folder / name
        try:
            fd = ops.open_new(partial)
            break
        except FileExistsError:
            name = partial_name(tag)
    else:
        raise ShareUnavailable(errno.EEXIST, "no free partial name")
    try:
        try:
            view = memoryview(data)
            while view:
                written = ops.write(fd, view)
                view = view[written:]
            ops.fsync(fd)
        finally:
            ops.close(fd)
    except BaseException:
        _remove_quietly(partial, ops)
        raise
    return partial


def _verify(partial: Path, data: bytes, ops: ShareOps) -> None:
    """Read the partial back through a fresh handle and compare: a share that accepted the write
    but stored something else must not get a final name."""
    fd = ops.open_read(partial)
    try:
        digest, size = hashlib.sha256(), 0
        # One read for the whole file (and one that finds its end): on a network share every
        # call is a round trip, so small chunks would cost a round trip per MiB.
        want = len(data) + 1
        while chunk := ops.read(fd, max(want - size, _READ_CHUNK)):
            digest.update(chunk)
            size += len(chunk)
            if size > len(data):
                break
    finally:
        ops.close(fd)
    if size != len(data) or digest.digest() != hashlib.sha256(data).digest():
        raise ShareUnavailable(errno.EIO, "share returned other bytes than were written")


def _publish(partial: Path, folder: Path, suffix: str, ops: ShareOps) -> Path:
    for _ in range(NAME_ATTEMPTS):
        final = folder / f"{secrets.token_hex(16)}{suffix}"
        try:
            retry_sharing(functools.partial(ops.publish, partial, final), ops)
            return final
        except FileExistsError:
            continue  # the name is taken: never replace, take another
    raise ShareUnavailable(errno.EEXIST, "no free final name")


def retry_sharing(action: Callable[[], None], ops: ShareOps) -> None:
    """Run ``action``; on a Windows sharing violation wait and retry, a bounded number of times."""
    for delay in (*SHARING_RETRY_DELAYS, None):
        try:
            action()
            return
        except OSError as exc:
            if not is_sharing_violation(exc):
                raise
            if delay is None:
                raise ShareBusy(exc.errno or errno.EACCES, "share file stayed locked") from exc
            ops.sleep(delay)


def _remove_quietly(path: Path, ops: ShareOps) -> None:
    with contextlib.suppress(OSError):
        ops.unlink(path)


def final_names(folder: Path, suffix: str, *, ops: ShareOps = OS_OPS) -> list[Path]:
    """Regular files under final names (no ``.partial``, no links), sorted by name.

    A missing folder is an empty one (nobody has written to it yet); an unreachable share raises
    ``ShareUnavailable``. Links, FIFOs, folders, dot files, other suffixes and names outside
    ``[A-Za-z0-9_-]`` are not listed."""
    check_suffix(suffix)
    try:
        entries = ops.scandir(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise unavailable(exc) from exc
    names = [
        name
        for name, regular in entries
        if regular and name.endswith(suffix) and _STEM.fullmatch(name[: -len(suffix)])
    ]
    return [folder / name for name in sorted(names)]


def read_stable(path: Path, max_size: int, *, ops: ShareOps = OS_OPS) -> bytes | None:
    """The file's bytes if it holds still (same size and identity before and after reading);
    None if it is still growing or vanished (retry later). ``ValueError`` if over ``max_size``.

    A link or anything but a regular file is None too (never followed). A file held open by a
    scanner (Windows sharing violation) is None: try again later."""
    try:
        before = ops.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if is_sharing_violation(exc):
            return None
        raise unavailable(exc) from exc
    if not stat.S_ISREG(before.st_mode):
        return None
    if before.st_size > max_size:
        raise ValueError("file over the size limit")
    try:
        return _read_if_still(path, before, max_size, ops)
    except (FileNotFoundError, IsADirectoryError):
        return None
    except OSError as exc:
        # ELOOP: a link was put in its place between lstat and open (O_NOFOLLOW refused it).
        if is_sharing_violation(exc) or exc.errno == errno.ELOOP:
            return None
        raise unavailable(exc) from exc


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    keys = ("st_dev", "st_ino", "st_size", "st_mtime_ns")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def _read_if_still(
    path: Path, before: os.stat_result, max_size: int, ops: ShareOps
) -> bytes | None:
    fd = ops.open_read(path)
    try:
        if not _same(before, ops.fstat(fd)):
            return None  # replaced between lstat and open
        chunks: list[bytes] = []
        size = 0
        want = before.st_size + 1  # the whole file in one call, then its end (see _verify)
        while chunk := ops.read(fd, max(want - size, _READ_CHUNK)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_size:
                return None  # it grew past the limit while we read: look again later
        during = ops.fstat(fd)
    finally:
        ops.close(fd)
    try:
        after = ops.lstat(path)
    except FileNotFoundError:
        return None  # vanished mid-read (a sender cleaned up): the next run will not see it
    data = b"".join(chunks)
    if not (_same(before, during) and _same(before, after)) or len(data) != during.st_size:
        return None
    return data
