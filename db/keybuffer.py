"""The raw store key in one mutable buffer that a lock overwrites.

Python's ``bytes`` cannot be overwritten and every ``bytes(...)``, ``.hex()`` or f-string makes
another copy that lingers in freed memory after a lock. So the key lives in a single
``bytearray``; the engine's creator reads it at connect time, and SQLCipher gets it through
``sqlite3_key`` from a second ``bytearray`` (the ``x'…'`` literal) that is wiped at once.
"""

from __future__ import annotations

from db.errors import StoreLocked

KEY_BYTES = 32
_HEX_DIGITS = b"0123456789abcdef"


def wipe(buf: bytearray) -> None:
    """Overwrite in place (same length: allowed even while a memoryview of it exists)."""
    buf[:] = bytes(len(buf))


class KeyBuffer:
    """Owns the key's only buffer: taken over as given (never copied), wiped by ``wipe``."""

    def __init__(self, key: bytearray) -> None:
        if not isinstance(key, bytearray) or len(key) != KEY_BYTES:
            raise ValueError("raw SQLCipher key must be a 32-byte bytearray")
        self._buf = key
        self._wiped = False

    @property
    def wiped(self) -> bool:
        return self._wiped

    def view(self) -> memoryview:
        """Read-only view of the live key; after ``wipe`` there is no key to hand out."""
        if self._wiped:
            raise StoreLocked("the vault is locked: its key has been wiped")
        return memoryview(self._buf).toreadonly()

    def wipe(self) -> None:
        wipe(self._buf)
        self._wiped = True


def raw_key_literal(key: bytes | bytearray | memoryview) -> bytearray:
    """``x'<hex>'``, SQLCipher's raw-key syntax, written digit by digit into a new buffer
    (``key.hex()`` would leave an unwipeable string). The caller wipes the result."""
    if len(key) != KEY_BYTES:
        raise ValueError("raw SQLCipher key must be 32 bytes")
    out = bytearray(3 + 2 * KEY_BYTES)
    out[0:2] = b"x'"
    for i, byte in enumerate(key):  # single ints: small cached objects, no copy of the key
        out[2 + 2 * i] = _HEX_DIGITS[byte >> 4]
        out[3 + 2 * i] = _HEX_DIGITS[byte & 0x0F]
    out[-1] = ord("'")
    return out


# Any buffer a raw key may be handed in: a view of the vault's ``KeyBuffer``, or a fresh
# ``bytearray`` the caller wipes. Never a ``bytes`` that outlives its use.
KeyBytes = bytes | bytearray | memoryview
