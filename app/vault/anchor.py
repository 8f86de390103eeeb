"""Audit chain anchor outside the database: one (seq, hash) record per audit entry.

Someone holding the data key could rewrite the in-database chain and recompute every hash;
this file (and its copy in every backup) still shows the first entry that differs.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

RECORD = struct.Struct(">Q32s")


class AnchorFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[tuple[int, str]]:
        """All whole records; a torn last record (crash mid-append) is ignored."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        whole = len(raw) - len(raw) % RECORD.size
        return [
            (seq, digest.hex())
            for seq, digest in RECORD.iter_unpack(raw[:whole])
        ]

    def last(self) -> tuple[int, str] | None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return None
        whole = size - size % RECORD.size
        if whole == 0:
            return None
        with self.path.open("rb") as fh:
            fh.seek(whole - RECORD.size)
            seq, digest = RECORD.unpack(fh.read(RECORD.size))
        return seq, digest.hex()

    def append(self, records: list[tuple[int, str]]) -> None:
        if not records:
            return
        self._drop_torn_tail()
        data = b"".join(RECORD.pack(seq, bytes.fromhex(h)) for seq, h in records)
        with self.path.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def _drop_torn_tail(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size % RECORD.size:
            with self.path.open("r+b") as fh:
                fh.truncate(size - size % RECORD.size)
