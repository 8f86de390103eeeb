"""Audit chain anchor outside the database: one (seq, hash) record per audit entry.

Someone holding the data key could rewrite the in-database chain and recompute every hash;
this file (and its copy in every backup) still shows the first entry that differs. The records
are the store's entries 1, 2, 3, ... in order, each exactly once: a repeated or skipped sequence
number is tampering, and nothing is ever appended that does not continue the last record.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from app.fsutil import check_regular, open_file, write_atomic, write_new

RECORD = struct.Struct(">Q32s")
KEPT_SUFFIX = ".replaced-"


class AnchorOutOfOrder(ValueError):
    """An append that would not continue the anchor (a programming error: callers compare
    store and anchor first, under the store's write lock)."""


@dataclass(frozen=True)
class AnchorHead:
    """What the anchor's size and last record say, read in O(1)."""

    records: int  # whole records in the file (a torn last record of a crash is not counted)
    last: tuple[int, str] | None

    @property
    def last_seq(self) -> int:
        return self.last[0] if self.last else 0

    @property
    def contiguous(self) -> bool:
        """Records 1..n each once means the n-th record carries n: a repeat or gap shows here."""
        return self.last_seq == self.records


def pack(records: list[tuple[int, str]]) -> bytes:
    return b"".join(RECORD.pack(seq, bytes.fromhex(h)) for seq, h in records)


class AnchorFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[tuple[int, str]]:
        """All whole records in file order; a torn last record (crash mid-append) is ignored.

        A list, not a dict: a sequence number that repeats must stay visible to the check.
        """
        try:
            with open_file(self.path, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            return []
        whole = len(raw) - len(raw) % RECORD.size
        return [
            (seq, digest.hex())
            for seq, digest in RECORD.iter_unpack(raw[:whole])
        ]

    def head(self) -> AnchorHead:
        try:
            fh = open_file(self.path, "rb")
        except FileNotFoundError:
            return AnchorHead(0, None)
        with fh:
            size = os.fstat(fh.fileno()).st_size
            whole = size - size % RECORD.size
            if whole == 0:
                return AnchorHead(0, None)
            fh.seek(whole - RECORD.size)
            seq, digest = RECORD.unpack(fh.read(RECORD.size))
        return AnchorHead(whole // RECORD.size, (seq, digest.hex()))

    def last(self) -> tuple[int, str] | None:
        return self.head().last

    def append(self, records: list[tuple[int, str]]) -> None:
        """Continue the anchor with ``records``; never a sequence number at or below its last."""
        if not records:
            return
        self._drop_torn_tail()
        head = self.head()
        expected = list(range(head.records + 1, head.records + 1 + len(records)))
        if not head.contiguous or [seq for seq, _ in records] != expected:
            raise AnchorOutOfOrder(
                f"anchor holds {head.records} records (last {head.last_seq}); refusing to "
                f"append {records[0][0]}..{records[-1][0]}")
        with open_file(self.path, "ab") as fh:
            fh.write(pack(records))
            fh.flush()
            os.fsync(fh.fileno())

    def replace(self, records: list[tuple[int, str]], stamp: str) -> Path | None:
        """Start the anchor anew from ``records``; the old file is kept beside it, renamed.

        Returns the kept copy (None when there was no anchor). The copy is written before the
        anchor is replaced (atomically), so a crash leaves the old anchor, and at worst a copy.
        """
        kept: Path | None = None
        if check_regular(self.path):
            with open_file(self.path, "rb") as fh:
                old = fh.read()
            kept = self._keep(old, stamp)
        write_atomic(self.path, pack(records))
        return kept

    def _keep(self, data: bytes, stamp: str) -> Path:
        base = f"{self.path.name}{KEPT_SUFFIX}{stamp}"
        for n in range(1, 100):
            target = self.path.with_name(base if n == 1 else f"{base}-{n}")
            try:
                write_new(target, data)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"no free name for the replaced anchor ({base})")

    def _drop_torn_tail(self) -> None:
        if not check_regular(self.path):
            return
        with open_file(self.path, "r+b") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size % RECORD.size:
                fh.truncate(size - size % RECORD.size)
