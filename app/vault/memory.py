"""Secrets in memory: mutable buffers that are wiped, and the few immutable copies CPython forces
(the passphrase ``str`` from the unlock field, ``bytes`` made by an encoder) overwritten in place.

Freed memory is not zeroed by Python or the C allocator, so a copy that is merely dropped stays
readable in the process (and in a crash dump or a hibernation file) until reused. Overwriting a
``str`` or ``bytes`` is only safe for a fresh object nobody else holds: never an interned string,
never a cached single character or byte, never a literal from code. The functions here check what
they can (length, interning, that the bytes at the computed place are the object's own content)
and do nothing otherwise; the caller promises that it holds the only reference.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable
from functools import cache

from db.keybuffer import wipe

__all__ = ["random_key", "remove_secret_variable", "scrub_freed_heap", "utf8_buffer", "wipe",
           "wipe_bytes", "wipe_str"]

# CPython object layouts, measured rather than hard-coded (they differ between versions).
_BYTES_HEADER = sys.getsizeof(b"") - 1  # PyBytesObject up to ob_sval (one byte: the NUL)
_ASCII_HEADER = sys.getsizeof("") - 1  # PyASCIIObject: compact ASCII data follows it
_COMPACT_HEADER = sys.getsizeof("\u0100") - 4  # PyCompactUnicodeObject (UCS-2: 2 × 2 bytes)
# refcount, type, length, hash: then the state bit field (3.12 – 3.13)
_STATE_OFFSET = 4 * ctypes.sizeof(ctypes.c_ssize_t)
# Where that layout is known: CPython 3.12 – 3.13 with the GIL (Lotse ships 3.12).
_KNOWN_LAYOUT = (sys.implementation.name == "cpython" and (3, 12) <= sys.version_info < (3, 14)
                 and getattr(sys, "_is_gil_enabled", lambda: True)())
_UTF8_LENGTH_OFFSET = _ASCII_HEADER  # PyCompactUnicodeObject: utf8_length, then utf8 pointer
_UTF8_OFFSET = _ASCII_HEADER + ctypes.sizeof(ctypes.c_ssize_t)
_CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


def _overwrite(address: int, expected: bytes) -> bool:
    """Zero ``len(expected)`` bytes at ``address`` only if they are exactly ``expected``.

    Compared through a view of the memory: ``ctypes.string_at`` would make one more copy.
    """
    if not expected:
        return False
    there = (ctypes.c_ubyte * len(expected)).from_address(address)
    if memoryview(there).cast("B") != memoryview(expected):
        return False
    ctypes.memset(address, 0, len(expected))
    return True


def wipe_bytes(data: bytes) -> bool:
    """Overwrite a fresh ``bytes`` object's content; False when it was not safe to."""
    if type(data) is not bytes or len(data) < 2:  # b"" and single bytes are shared singletons
        return False
    return _overwrite(id(data) + _BYTES_HEADER, data)


def _state(text: str) -> tuple[int, bool, bool]:
    state = ctypes.c_uint32.from_address(id(text) + _STATE_OFFSET).value
    return state & 0b11, bool(state >> 5 & 1), bool(state >> 6 & 1)  # interned, compact, ascii


def wipe_str(text: str) -> bool:
    """Overwrite a fresh ``str``'s characters (and its cached UTF-8 form); False when it was
    not safe to. Only CPython's compact strings (every string made at run time) qualify."""
    if not _KNOWN_LAYOUT or type(text) is not str or len(text) < 2:
        return False
    interned, compact, ascii_only = _state(text)
    if interned or not compact:
        return False
    widest = max(map(ord, text))
    kind = 1 if widest < 0x100 else 2 if widest < 0x10000 else 4
    if ascii_only:
        own = text.encode("ascii")  # to compare against: wiped as well
        done = _overwrite(id(text) + _ASCII_HEADER, own)
        wipe_bytes(own)
        return done
    utf8_address = ctypes.c_void_p.from_address(id(text) + _UTF8_OFFSET).value
    if utf8_address:  # a UTF-8 copy kept beside the characters (after PyUnicode_AsUTF8)
        utf8_length = ctypes.c_ssize_t.from_address(id(text) + _UTF8_LENGTH_OFFSET).value
        encoded = text.encode("utf-8")
        if utf8_length == len(encoded):
            _overwrite(utf8_address, encoded)
        wipe_bytes(encoded)
    own = text.encode(_CODECS[kind])
    done = _overwrite(id(text) + _COMPACT_HEADER, own)
    wipe_bytes(own)
    return done


def utf8_buffer(text: str) -> bytearray:
    """``text`` as UTF-8 in a buffer the caller wipes; the encoder's transient copy is
    overwritten here."""
    encoded = text.encode("utf-8")
    try:
        return bytearray(encoded)
    finally:
        wipe_bytes(encoded)


def random_key(size: int = 32) -> bytearray:
    """Fresh random key material in a wipeable buffer."""
    raw = os.urandom(size)
    try:
        return bytearray(raw)
    finally:
        wipe_bytes(raw)


SCRUB_MAX_BYTES = 4096  # blocks up to this size (a passphrase up to some 3,500 bytes)
SCRUB_PER_SIZE = 8  # glibc keeps up to 7 freed blocks per size in its thread cache


@cache
def _c_heap() -> tuple[Callable[[int], int | None], Callable[[int], None]] | None:
    """The C library's malloc and free, the ones OpenSSL allocates with."""
    name = "ucrtbase" if os.name == "nt" else ctypes.util.find_library("c")
    if name is None:
        return None
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(name)
        malloc, free = libc.malloc, libc.free
        malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
        free.restype, free.argtypes = None, [ctypes.c_void_p]
        return malloc, free
    return None


def scrub_freed_heap() -> None:
    """Overwrite the C heap blocks this thread freed last, size by size.

    For the Argon2 derivation: rust-openssl (inside ``cryptography``) copies the password into an
    OSSL_PARAM block and frees it without clearing it. Blocks freed by a thread are handed out
    again first (glibc's per-thread cache is last-in, first-out), so taking a few blocks of every
    size right after the derivation, zeroing and returning them, overwrites that copy. Best effort
    where the heap hands blocks out in another order (Windows' low-fragmentation heap).
    """
    heap = _c_heap()
    if heap is None:
        return
    malloc, free = heap
    blocks = []
    try:
        for size in range(16, SCRUB_MAX_BYTES + 1, 16):
            for _ in range(SCRUB_PER_SIZE):
                block = malloc(size)
                if block:
                    ctypes.memset(block, 0, size)
                    blocks.append(block)
    finally:
        for block in reversed(blocks):
            free(block)


def remove_secret_variable(name: str) -> None:
    """Take an environment variable out of the process, overwriting its value where the process
    keeps it: ``os.environ``'s copy, and on POSIX the C library's environment block (what
    ``/proc/PID/environ`` and a core file show). Windows keeps further copies of the block that
    Python cannot reach; there only Python's copy is overwritten."""
    data = getattr(os.environ, "_data", {})
    key: str | bytes = os.fsencode(name) if os.name == "posix" else name.upper()
    value = data.get(key)
    if isinstance(value, bytes):  # POSIX: the very bytes os.environ decodes from
        wipe_bytes(value)
    elif isinstance(value, str):
        wipe_str(value)
    if os.name == "posix" and value is not None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None)
            libc.getenv.restype, libc.getenv.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
            libc.strlen.restype, libc.strlen.argtypes = ctypes.c_size_t, [ctypes.c_void_p]
            address = libc.getenv(os.fsencode(name))
            if address:
                ctypes.memset(address, 0, libc.strlen(address))
    os.environ.pop(name, None)  # unsetenv: no child inherits it
