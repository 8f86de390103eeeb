"""Strict CBOR: what the decoder refuses, and what it gives back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from enum import IntEnum, StrEnum

import cbor2
import pytest

from app.bundle import cbor


def refused(data: bytes, max_depth: int = 8, max_items: int = 100) -> str:
    with pytest.raises(cbor.CborError) as caught:
        cbor.loads(data, max_depth=max_depth, max_items=max_items)
    return str(caught.value)


def test_values_come_back_with_their_types() -> None:
    value = {"d": date(2026, 2, 28), "t": datetime(2026, 1, 1, 12, tzinfo=timezone(
        timedelta(hours=2))), "l": [1, -1, 1.5, None, True, b"x", "ü"], "m": {}}
    got = cbor.loads(cbor.dumps(value), max_depth=8, max_items=100)
    assert got == value and type(got["d"]) is date and got["t"].tzinfo is UTC
    east = datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    for raw in (east, [east], {"t": east}, {"l": [{"t": east}]}):
        back = cbor.loads(cbor2.dumps(raw), max_depth=4, max_items=10)
        assert back == raw and repr(back).count("timezone.utc") == 1, back


def test_the_item_cap() -> None:
    data = cbor.dumps({"a": [1, 2, 3], "b": {"c": None}})  # 1 + (1+4) + (1+1+2) = 10 items
    assert cbor.loads(data, max_depth=8, max_items=10)
    assert "items" in refused(data, max_items=9)
    assert "items" in refused(cbor.dumps(list(range(100))), max_items=99)


def test_the_depth_cap() -> None:
    deep: object = 1
    for _ in range(9):
        deep = [deep]
    assert cbor.loads(cbor.dumps(deep), max_depth=10, max_items=100) == deep
    refused(cbor.dumps(deep), max_depth=8)


@pytest.mark.parametrize("data", [
    b"\xf7",  # undefined
    b"\xf0",  # simple value 16
    b"\xf8\x20",  # simple value 32
    b"\x81\xf7",  # undefined inside an array
    b"\xa1\x61a\xf7",  # undefined as a map value
    b"\xa1\x01\x02",  # integer key
    b"\xa1\x81\x01\x02",  # array key
    b"\xa1\x41a\x02",  # byte-string key
    b"\xc1\x00",  # tag 1
    b"\xc2\x41\x01",  # bignum
    b"\xd8\x64\x00",  # tag 100 (days)
    b"\xd9\x01\x02\x80",  # tag 258 (set)
    b"\xda\x00\x10\x00\x00\x00",  # an unknown tag
    b"\xc0\x00",  # tag 0 around a number
    b"\xc0\x6a2026-01-01",  # tag 0 without a time
    b"\xc0\x7020260101T000000Z",  # tag 0 in the basic format
    b"\xc0\x732026-01-01T00:00:00",  # tag 0 without an offset
    b"\xc0\x781c2026-01-01T00:00:00.1234567Z",  # tag 0 finer than microseconds
    b"\xc0\x742026-02-30T00:00:00Z",  # tag 0 on a day that does not exist
    b"\xd9\x03\xec\x6a2026-02-30",  # tag 1004 on a day that does not exist
    b"\xd9\x03\xec\x682026-1-1",  # tag 1004 loosely written
    b"\xd9\x03\xec\x6820260101",  # tag 1004 in the basic format
    b"\xd9\x03\xec\x00",  # tag 1004 around a number
    b"\x5f\x41a\xff",  # indefinite byte string
    b"\xbf\xff",  # indefinite map
    b"\xa2\x61a\x01\x61a\x02",  # duplicate key
    b"\x01\x02",  # data after the item
    b"",  # nothing
    b"\x5b" + b"\x7f" + bytes(7),  # a byte string claiming 2^62 bytes
    b"\x9b" + b"\x7f" + bytes(7),  # an array claiming 2^62 items
    b"\x1c",  # reserved additional information
])
def test_refused(data: bytes) -> None:
    refused(data)


def test_encoding_refuses_what_does_not_travel() -> None:
    for bad in ({1: "x"}, datetime(2026, 1, 1), {1, 2}, object(), {"a": [datetime(2026, 1, 1)]}):
        with pytest.raises(ValueError):
            cbor.dumps(bad)


def test_enum_values_travel_as_plain_values() -> None:
    class Colour(StrEnum):
        RED = "rot"

    class Level(IntEnum):
        HIGH = 3

    assert cbor.dumps({"c": Colour.RED, "l": Level.HIGH}) == cbor.dumps({"c": "rot", "l": 3})
    assert cbor.dumps((1, 2)) == cbor.dumps([1, 2])
