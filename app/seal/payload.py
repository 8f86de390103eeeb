"""The certificate's essential content as a CBOR map with small integer keys (as CWT and the EU
certificate do), so it fits a QR code of version ≤ 13 at level Q.

Dates are whole days since 1970-01-01 (the content of RFC 8943's tag 100, without the tag):
three bytes each instead of eleven for an ISO string, which is what leaves room for a subject.
Decoding is strict: known keys only, right types, capped lengths, this version.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.seal.cose import canonical, strict_loads, unreadable
from app.seal.records import MAX_SEALED_BYTES, SealPayload

VERSION = 1
K_VERSION, K_KIND, K_SERIAL, K_HOLDER, K_BIRTH = 1, 2, 3, 4, 5
K_ISSUED, K_OFFICE, K_SUBJECT, K_FROM, K_UNTIL, K_COPY, K_COPY_ON = 6, 7, 8, 9, 10, 11, 12

# Longest text per field, in characters (the QR's size caps the sum far below these).
MAX_TEXT = {K_KIND: 40, K_SERIAL: 40, K_HOLDER: 100, K_OFFICE: 100, K_SUBJECT: 80}
_REQUIRED = frozenset({K_VERSION, K_KIND, K_SERIAL, K_HOLDER, K_ISSUED, K_OFFICE})
_KNOWN = frozenset(range(K_VERSION, K_COPY_ON + 1))
_EPOCH = date(1970, 1, 1)
_MIN_DAY, _MAX_DAY = (date(1900, 1, 1) - _EPOCH).days, (date(2199, 12, 31) - _EPOCH).days
MAX_COPY = 999


def _day(d: date) -> int:
    return (d - _EPOCH).days


def day_of(d: date) -> int:
    """A date as whole days since 1970-01-01 (also used by key cards and revocation lists)."""
    return _day(d)


def date_of(value: object) -> date | None:
    """The date of a day number written by ``day_of``; None when it is not one."""
    if type(value) is not int or not _MIN_DAY <= value <= _MAX_DAY:
        return None
    return _EPOCH + timedelta(days=value)


def seconds_of(at: datetime) -> int:
    """A timestamp as whole seconds since the epoch (UTC)."""
    return int(at.timestamp())


def datetime_of(value: object) -> datetime | None:
    if type(value) is not int or not 0 <= value <= _MAX_DAY * 86400:
        return None
    return datetime.fromtimestamp(value, UTC)


def encode_payload(p: SealPayload) -> bytes:
    """Canonical CBOR of ``p``; raises ValueError for content the format cannot carry."""
    m: dict[int, Any] = {K_VERSION: VERSION, K_KIND: p.kind, K_SERIAL: p.serial,
                         K_HOLDER: p.holder, K_ISSUED: _day(p.issued_on), K_OFFICE: p.office}
    if p.birth_date is not None:
        m[K_BIRTH] = _day(p.birth_date)
    if p.subject:
        m[K_SUBJECT] = p.subject
    if p.period_from is not None:
        m[K_FROM] = _day(p.period_from)
    if p.period_until is not None:
        m[K_UNTIL] = _day(p.period_until)
    if p.copy:
        m[K_COPY] = p.copy
    if p.copy_on is not None:
        m[K_COPY_ON] = _day(p.copy_on)
    problem = _problem(m)
    if problem:
        raise ValueError(f"payload cannot be sealed: {problem}")
    return canonical(m)


def decode_payload(data: bytes) -> SealPayload:
    """The payload of a seal; anything not written by ``encode_payload`` → SealError
    (R_UNREADABLE)."""
    m = strict_loads(data, MAX_SEALED_BYTES)
    if not isinstance(m, dict):
        raise unreadable("payload is not a map")
    problem = _problem(m)
    if problem:
        raise unreadable(f"payload invalid: {problem}")
    if canonical(m) != data:
        raise unreadable("payload not canonically encoded")

    def day(key: int) -> date | None:
        return _EPOCH + timedelta(days=m[key]) if key in m else None

    return SealPayload(kind=m[K_KIND], serial=m[K_SERIAL], holder=m[K_HOLDER],
                       birth_date=day(K_BIRTH), issued_on=_EPOCH + timedelta(days=m[K_ISSUED]),
                       office=m[K_OFFICE],
                       subject=m.get(K_SUBJECT, ""), period_from=day(K_FROM),
                       period_until=day(K_UNTIL), copy=m.get(K_COPY, 0), copy_on=day(K_COPY_ON))


def _problem(m: dict[Any, Any]) -> str | None:
    """What is wrong with a payload map (English, no content), or None."""
    if not all(type(k) is int for k in m) or not set(m) <= _KNOWN:
        return "unknown keys"
    if not set(m) >= _REQUIRED:
        return "required keys missing"
    if type(m[K_VERSION]) is not int or m[K_VERSION] != VERSION:
        return "unsupported version"
    for key, limit in MAX_TEXT.items():
        if key in m:
            value = m[key]
            if type(value) is not str or len(value) > limit or not value.strip():
                return f"field {key}: not a text of 1..{limit} characters"
    for key in (K_BIRTH, K_ISSUED, K_FROM, K_UNTIL, K_COPY_ON):
        if key in m and (type(m[key]) is not int or not _MIN_DAY <= m[key] <= _MAX_DAY):
            return f"field {key}: not a day between 1900 and 2199"
    if K_COPY in m and (type(m[K_COPY]) is not int or not 1 <= m[K_COPY] <= MAX_COPY):
        return "copy out of range"
    return None
