"""Small and read-only disks for the fault tests, as real as the machine allows.

``tmpfs``: a real file system of a few hundred KiB (``mount -t tmpfs -o size=…``), where the test
may mount (root). ``fsize``: everywhere else, and on every machine as a second layer: the process
under test runs with ``RLIMIT_FSIZE``, so every write beyond the limit fails (EFBIG) in the
kernel, exactly where a full disk fails it. Neither is skipped: a machine that cannot mount
runs ``fsize`` twice.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LAYERS = ("tmpfs", "fsize")


def can_mount() -> bool:
    return os.name == "posix" and os.geteuid() == 0


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, check=False)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@dataclass
class SmallDisk:
    """``folder`` lies on a disk with room for about ``size`` bytes; run the process under test
    with ``preexec`` (None on a real small file system)."""

    folder: Path
    layer: str
    preexec: Callable[[], None] | None


def limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return preexec


@contextlib.contextmanager
def small_disk(base: Path, size: int, layer: str) -> Iterator[SmallDisk]:
    folder = base / "small"
    if layer == "tmpfs" and can_mount() and _mount(folder, f"size={size // 1024}k,mode=0755"):
        try:
            yield SmallDisk(folder, "tmpfs", None)
        finally:
            _umount(folder)
        return
    folder.mkdir(parents=True, exist_ok=True)
    yield SmallDisk(folder, "fsize", limit_file_size(size))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` (already filled) read-only for the duration: a read-only remount of a
    tmpfs copy where we may mount, else the permission bits (which bind everyone but root)."""
    if can_mount():
        stash = folder.with_name(folder.name + ".content")
        folder.rename(stash)
        if not _mount(folder, "size=64m,mode=0700"):
            stash.rename(folder)
        else:
            try:
                subprocess.run(["cp", "-a", f"{stash}/.", str(folder)], check=True)
                subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
                yield "read-only mount"
            finally:
                _umount(folder)
                folder.rmdir()
                stash.rename(folder)
            return
    if os.geteuid() == 0:
        raise RuntimeError("root without mount: no way to make a folder read-only")
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield "permissions"
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[bool]:
    """Make the one file ``path`` read-only (its medium refuses writes: EROFS) by bind-mounting
    it read-only onto itself, where we may mount; yields whether that worked. Where it did not,
    the caller brings its own failing file layer (a child process that cannot write the file)."""
    if not can_mount():
        yield False
        return
    target = str(path)
    if subprocess.run(["mount", "--bind", target, target], capture_output=True,
                      check=False).returncode:
        yield False
        return
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", target, target],
                          capture_output=True, check=False).returncode:
            yield False
        else:
            yield True
    finally:
        _umount(path)
