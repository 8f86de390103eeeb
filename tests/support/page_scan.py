"""Read every page of a SQLCipher 4 file as someone holding the key would: free pages, stale WAL
frames and the FTS shadow tables included, none of which SQL shows.

SQLCipher 4 with a raw key: each 4096-byte page is AES-256-CBC under the key itself, followed by
80 reserved bytes (16-byte IV, 64-byte HMAC-SHA512); page 1 starts with the 16-byte salt. A WAL
is a 32-byte header, then frames of a 24-byte header and one such page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
IV = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    end = PAGE - RESERVE
    decryptor = Cipher(algorithms.AES(key), modes.CBC(page[end:end + IV])).decryptor()
    return decryptor.update(page[start:end]) + decryptor.finalize()


def _pages(path: Path) -> Iterator[tuple[bytes, bool]]:
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        for off in range(WAL_HEADER, len(data) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
            number = int.from_bytes(data[off:off + 4], "big")
            yield data[off + FRAME_HEADER:off + FRAME_HEADER + PAGE], number == 1
    else:
        for n, off in enumerate(range(0, len(data) - PAGE + 1, PAGE)):
            yield data[off:off + PAGE], n == 0


def plaintext(key: bytes, path: Path) -> bytes:
    """Every page of the store file or its WAL, decrypted (all-zero pages stay zero)."""
    out = bytearray()
    for page, first in _pages(path):
        out += decrypt_page(key, page, first) if any(page) else page
    return bytes(out)


def store_files(folder: Path, name: str = "lotse.db") -> list[Path]:
    return [p for p in (folder / name, folder / (name + "-wal"), folder / (name + "-journal"))
            if p.exists() and p.stat().st_size > 0]


def hits(key: bytes, folder: Path, needles: list[bytes], name: str = "lotse.db") -> list[str]:
    """Which files of the store (decrypted page by page) hold any of ``needles``."""
    found = []
    for path in store_files(folder, name):
        clear = plaintext(key, path)
        found += [f"{path.name}: {n!r}" for n in needles if n in clear]
    return found
