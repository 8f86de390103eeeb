"""What an SQLite error says about the storage under the store, not about the store itself.

A full disk, a read-only medium, an I/O error or another process holding the write lock are
faults of the surroundings: nothing in the store is damaged, and each needs its own message.
Everything else (a page that does not decrypt, a malformed file) stays what it is.
"""

from __future__ import annotations

BUSY = "busy"
FULL = "full"
READ_ONLY = "read-only"
IO = "io"
CANNOT_OPEN = "cannot-open"  # the file exists (checked before), but not for us: ro, permissions

# Primary result codes (the low byte of an extended code), see sqlite.org/rescode.html.
_CODES = {5: BUSY, 6: BUSY, 8: READ_ONLY, 10: IO, 13: FULL, 14: CANNOT_OPEN}
_GENERIC_ERROR = 1
# Older drivers carry no code; SQLite's own messages are stable across versions.
_MESSAGES = (
    ("database is locked", BUSY),
    ("database is busy", BUSY),
    ("database table is locked", BUSY),
    ("database or disk is full", FULL),
    ("attempt to write a readonly database", READ_ONLY),
    ("disk i/o error", IO),
    ("unable to open database file", CANNOT_OPEN),
)


def sqlite_fault(exc: BaseException) -> str | None:
    """``BUSY``, ``FULL``, ``READ_ONLY``, ``IO``, ``CANNOT_OPEN`` for a DB-API error that is
    one of these, else None."""
    # By module, not isinstance: the desktop's unlock window asks too, before any driver loads.
    if type(exc).__module__.split(".")[0] not in ("sqlite3", "sqlcipher3"):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    # SQLITE_ERROR is generic: a function such as sqlcipher_export reports the failure inside
    # it (a full disk, say) under that code, with the inner error's message.
    if isinstance(code, int) and code & 0xFF != _GENERIC_ERROR:
        return _CODES.get(code & 0xFF)
    text = str(exc).lower()
    for needle, kind in _MESSAGES:
        if needle in text:
            return kind
    return None
