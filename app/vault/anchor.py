"""Audit chain anchor outside the database: one (seq, hash) record per audit entry.

Someone holding the data key could rewrite the in-database chain and recompute every hash;
this file (and its copy in every backup) still shows the first entry that differs.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from app.fsutil import check_regular, open_file

RECORD = struct.Struct(">Q32s")


class AnchorFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[tuple[int, str]]:
        """All whole records; a torn last record (crash mid-append) is ignored."""
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

    def last(self) -> tuple[int, str] | None:
        try:
            fh = open_file(self.path, "rb")
        except FileNotFoundError:
            return None
        with fh:
            size = os.fstat(fh.fileno()).st_size
            whole = size - size % RECORD.size
            if whole == 0:
                return None
            fh.seek(whole - RECORD.size)
            seq, digest = RECORD.unpack(fh.read(RECORD.size))
        return seq, digest.hex()

    def append(self, records: list[tuple[int, str]]) -> None:
        if not records:
            return
        self._drop_torn_tail()
        data = b"".join(RECORD.pack(seq, bytes.fromhex(h)) for seq, h in records)
        with open_file(self.path, "ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def _drop_torn_tail(self) -> None:
        if not check_regular(self.path):
            return
        with open_file(self.path, "r+b") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size % RECORD.size:
                fh.truncate(size - size % RECORD.size)
