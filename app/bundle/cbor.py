"""Strict CBOR for bundles and cards, decoded by cbor2 with every leniency off.

Decoding: definite lengths only, nesting at most ``max_depth``, duplicate map keys refused,
tags only 0 (RFC 3339 date/time) and 1004 (RFC 8943 full-date) — every other tag, known to
cbor2 or not, is refused — and nothing after the item (which cbor2.loads would ignore).
A walk over the result then refuses map keys that are not text, simple values other than
false/true/null (undefined, unassigned) and counts the items against ``max_items``.
Date/times come back tz-aware in UTC, dates as dates.
cbor2 reads string and container lengths against the bytes actually there, so a length claimed
in a head allocates nothing before the data is present.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import cbor2

TAG_DATETIME = 0
TAG_DATE = 1004
_SCALARS = frozenset({str, int, float, bool, type(None), bytes, date})
INT_MIN, INT_MAX = -(1 << 64), (1 << 64) - 1  # CBOR major types 0 and 1 (no bignum tags)
_READ_SCALARS = _SCALARS | {datetime}  # the tag decoders below only make tz-aware UTC ones
READ_SCALARS = _READ_SCALARS  # what a decoded scalar may be
# RFC 3339 date-time with at most microseconds, and RFC 8943 full-date: nothing looser.
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})\Z")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class CborError(ValueError):
    """Input that is not strict CBOR within the limits (English, technical)."""


def _refuse_tag(*_args: Any) -> Any:
    raise CborError("tag not allowed")


def _datetime(value: Any, _immutable: bool) -> datetime:
    if type(value) is not str or not _DATETIME_TEXT.match(value):
        raise CborError("tag 0 is not an RFC 3339 date-time")
    return datetime.fromisoformat(value).astimezone(UTC)  # ValueError for 2026-02-30


def _date(value: Any, _immutable: bool) -> date:
    if type(value) is not str or not _DATE_TEXT.match(value):
        raise CborError("tag 1004 is not an RFC 8943 full-date")
    return date.fromisoformat(value)


class _OnlyDates(Mapping[int, Any]):
    """cbor2 asks this mapping about every tag before its own decoders: the two date tags get
    the strict decoders above, every other tag, known to cbor2 or not, a refusal."""

    def __getitem__(self, tag: int) -> Any:
        if tag == TAG_DATETIME:
            return _datetime
        if tag == TAG_DATE:
            return _date
        return _refuse_tag

    def __iter__(self) -> Iterator[int]:
        return iter(())

    def __len__(self) -> int:
        return 0


_ONLY_DATES = _OnlyDates()


DECODE_ERRORS = (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError,
                 MemoryError)


def decoder(stream: io.BytesIO, *, max_depth: int) -> cbor2.CBORDecoder:
    """A decoder with every leniency off (see the module docstring); it leaves ``stream`` right
    after each item it decodes, so a caller can check where an item ends."""
    return cbor2.CBORDecoder(stream, max_depth=max_depth, allow_indefinite=False,
                             allow_duplicate_keys=False, semantic_decoders=_ONLY_DATES,
                             tag_hook=_refuse_tag)


def decode_item(data: bytes, *, max_depth: int) -> Any:
    """The one item in ``data``, its types not yet walked: the caller checks every part it
    keeps (``check``) and counts its items. CborError on undecodable or trailing data."""
    stream = io.BytesIO(data)
    try:
        obj = decoder(stream, max_depth=max_depth).decode()
    except CborError:
        raise
    except DECODE_ERRORS as exc:
        raise CborError(f"CBOR not decodable: {type(exc).__name__}") from None
    # cbor2.loads would ignore what follows the item; a reader here refuses it.
    if stream.tell() != len(data):
        raise CborError("data after the item")
    return obj


def loads(data: bytes, *, max_depth: int, max_items: int) -> Any:
    """The one item in ``data``; CborError on anything outside the rules."""
    obj = decode_item(data, max_depth=max_depth)
    t = type(obj)
    count = _check(obj) if t is dict or t is list else 1
    if t not in _READ_SCALARS and t is not dict and t is not list:
        raise CborError(f"{t.__name__} not allowed")
    if count > max_items:
        raise CborError(f"more than {max_items} items")
    return obj


def check(container: dict[Any, Any] | list[Any]) -> int:
    """Items in a decoded ``container``, itself included; CborError for a non-text map key or a
    value of a type the rules exclude."""
    return _check(container)


def _check(container: dict[Any, Any] | list[Any]) -> int:
    """Items in ``container``, itself included: only text keys and the allowed types (an
    undefined or other simple value comes out of cbor2 as an object of its own type)."""
    count = 1
    if type(container) is dict:
        for key, value in container.items():
            if type(key) is not str:
                raise CborError("map key is not text")
            t = type(value)
            if t in _READ_SCALARS:
                count += 2
            elif t is dict or t is list:
                count += 1 + _check(value)
            else:
                raise CborError(f"{t.__name__} not allowed")
        return count
    for value in container:
        t = type(value)
        if t in _READ_SCALARS:
            count += 1
        elif t is dict or t is list:
            count += _check(value)
        else:
            raise CborError(f"{t.__name__} not allowed")
    return count


def dumps(obj: Any) -> bytes:
    """Canonical CBOR (RFC 8949 4.2.1 as cbor2 writes it): sorted keys, shortest forms."""
    try:
        return cbor2.dumps(normalise(obj), canonical=True)
    except cbor2.CBORError as exc:
        raise ValueError(f"cannot encode: {exc}") from None


def normalise(value: Any) -> Any:
    """``value`` with datetimes in UTC, tuples as lists; ValueError for what CBOR here does not
    carry (naive datetimes, non-text map keys, other types)."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is dict:
        return _normalise_map(value)
    if t is list or t is tuple:
        return [v if type(v) in _SCALARS else normalise(v) for v in value]
    if t is datetime:
        if value.tzinfo is None:
            raise ValueError("naive datetime cannot travel in a bundle")
        return value.astimezone(UTC)
    if isinstance(value, Mapping):
        return _normalise_map(value)
    if isinstance(value, str):  # a StrEnum, say: travels as its plain value
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise ValueError(f"type {t.__name__} cannot travel in a bundle")


def _normalise_map(value: Mapping[Any, Any]) -> dict[str, Any]:
    out = {}
    for k, v in value.items():
        if type(k) is not str:
            raise ValueError("map keys must be text")
        out[k] = v if type(v) in _SCALARS else normalise(v)
    return out
