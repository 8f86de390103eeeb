"""Strict CBOR for bundles and cards: a structural pre-scan with hard caps, then cbor2.

The pre-scan walks the item heads without building anything, so a hostile input cannot make
the decoder allocate or recurse: definite lengths only, nesting at most ``max_depth``, at most
``max_items`` items, every length within the remaining bytes, map keys only text strings, tags
only 0 (RFC 3339 date/time) and 1004 (RFC 8943 full-date), simple values only false, true, null
and floats, exactly one item and nothing after it. cbor2 then decodes with duplicate map keys
refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import cbor2

TAG_DATETIME = 0
TAG_DATE = 1004
_ALLOWED_TAGS = (TAG_DATETIME, TAG_DATE)
_ARG_BYTES = {24: 1, 25: 2, 26: 4, 27: 8}


class CborError(ValueError):
    """Input that is not strict CBOR within the limits (English, technical)."""


def scan(data: bytes, *, max_depth: int, max_items: int) -> None:
    """Raise CborError unless ``data`` is one well-formed item within the limits."""
    n = len(data)
    pos = 0
    items = 0
    # Per open container: items still to read, and whether it is a map (its items alternate
    # key, value; a map of k pairs counts 2k items).
    remaining = [1]
    is_map = [False]
    while remaining:
        if remaining[-1] == 0:
            remaining.pop()
            is_map.pop()
            continue
        is_key = is_map[-1] and remaining[-1] % 2 == 0
        remaining[-1] -= 1
        items += 1
        if items > max_items:
            raise CborError(f"more than {max_items} items")
        if pos >= n:
            raise CborError("data ends inside an item")
        head = data[pos]
        major, info = head >> 5, head & 31
        pos += 1
        if info < 24:
            arg = info
        elif info in _ARG_BYTES:
            size = _ARG_BYTES[info]
            if pos + size > n:
                raise CborError("data ends inside an item head")
            arg = int.from_bytes(data[pos:pos + size], "big")
            pos += size
        else:
            raise CborError("indefinite length or reserved head")
        if is_key and major != 3:
            raise CborError("map key is not a text string")
        if major in (2, 3):
            if arg > n - pos:
                raise CborError("string longer than the data")
            pos += arg
        elif major in (4, 5, 6):
            if major == 6 and arg not in _ALLOWED_TAGS:
                raise CborError(f"tag {arg} not allowed")
            count = 1 if major == 6 else arg * 2 if major == 5 else arg
            if count > n - pos:
                raise CborError("container longer than the data")
            if len(remaining) > max_depth:
                raise CborError(f"nested deeper than {max_depth}")
            remaining.append(count)
            is_map.append(major == 5)
        elif major == 7 and not (20 <= info <= 22 or 25 <= info <= 27):
            raise CborError("simple value not allowed")
    if pos != n:
        raise CborError("data after the item")


def loads(data: bytes, *, max_depth: int, max_items: int) -> Any:
    """Scan, then decode; CborError on anything outside the rules (duplicate keys included)."""
    scan(data, max_depth=max_depth, max_items=max_items)
    try:
        return cbor2.loads(data, max_depth=max_depth + 2, allow_indefinite=False,
                           allow_duplicate_keys=False)
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError,
            MemoryError) as exc:
        raise CborError(f"CBOR not decodable: {type(exc).__name__}") from None


def dumps(obj: Any) -> bytes:
    """Canonical CBOR (RFC 8949 4.2.1 as cbor2 writes it): sorted keys, shortest forms."""
    return cbor2.dumps(normalise(obj), canonical=True)


def normalise(value: Any) -> Any:
    """``value`` with datetimes in UTC, tuples as lists; ValueError for what CBOR here does not
    carry (naive datetimes, non-str map keys, other types)."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime cannot travel in a bundle")
        return value.astimezone(UTC)
    if isinstance(value, date):
        return value
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise ValueError("map keys must be text")
            out[k] = normalise(v)
        return out
    raise ValueError(f"type {type(value).__name__} cannot travel in a bundle")
