"""The header layout, checked against the worked example in docs/bundle-format.md."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bundle.header import HEADER_SIZE, Header, parse_header, stream_size
from app.bundle.records import BundleRejected

DOC = Path(__file__).parents[3] / "docs" / "bundle-format.md"


def documented_header() -> bytes:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- header-example -->", 1)[1].split("```")[1]
    return bytes.fromhex("".join(re.sub(r"^[0-9a-f]{4}  ", "", line)
                                 for line in block.strip().splitlines()))


def test_the_documented_example_is_what_the_code_writes_and_reads() -> None:
    data = documented_header()
    expected = Header(kind="deputy", bundle_uuid="0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                      sender_fingerprint="9c" * 32,
                      created_at=datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC),
                      recipient_count=2, payload_size=200_123,
                      nonce_prefix=bytes.fromhex("a1b2c3d4e5f607"))
    assert len(data) == HEADER_SIZE == 96
    assert parse_header(data) == expected
    assert expected.pack() == data
    assert HEADER_SIZE + 2 * 113 + stream_size(200_123) + 64 == 200_573


def test_stream_size_counts_one_tag_per_chunk() -> None:
    assert stream_size(0) == 16
    assert stream_size(1) == 17
    assert stream_size(65_536) == 65_552
    assert stream_size(65_537) == 65_537 + 32


@pytest.mark.parametrize("moment", [datetime(1969, 7, 20, 20, 17, 40, 1, tzinfo=UTC),
                                    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)])
def test_created_at_round_trips_to_the_microsecond(moment: datetime) -> None:
    h = Header("catalogue", "00" * 16, "11" * 32, moment, 1, 5, bytes(7))
    assert parse_header(h.pack()).created_at == moment


def test_a_created_at_out_of_range_is_damage() -> None:
    data = bytearray(documented_header())
    data[64:72] = (1 << 62).to_bytes(8, "big")
    with pytest.raises(BundleRejected) as caught:
        parse_header(bytes(data))
    assert caught.value.reason == "header_damaged"


def test_a_naive_created_at_cannot_be_written() -> None:
    with pytest.raises(ValueError):
        Header("deputy", "00" * 16, "11" * 32, datetime(2026, 1, 1), 1, 5, bytes(7)).pack()


def test_the_documented_row_example_is_what_the_code_writes() -> None:
    """docs/bundle-format.md section 5: the row bytes of the worked example (vault uuids
    elided there with "…") and the layout the writer gives that row."""
    import cbor2

    from app.bundle.rows_write import encode_images
    from db.row_image import RowImage

    text = DOC.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("88 00 f4"))
    head, _, rest = line.partition(" … ")
    middle, _, tail = rest.partition(" … ")
    row = RowImage(table="contact", uuid="e0" * 16, deleted=False, origin_vault="a1" * 16,
                   changed_by_vault="a1" * 16, version_vector={"a1" * 16: 9}, field_stamps={},
                   values={"name": "Aylin",
                           "seen_at": datetime(2026, 3, 1, 8, 0, tzinfo=UTC)})
    encoded = encode_images([row])
    [data], [entry] = encoded.rows, encoded.manifest
    vault = ("61 31 " * 15).strip()  # the 15 byte pairs "…" stands for, after the first
    assert data == bytes.fromhex(f"{head} {vault} {middle} {vault} {tail}")
    assert encoded.layouts == [["contact", [["name", "value"], ["seen_at", "datetime"]]]]
    assert cbor2.loads(entry) == ["contact", "e0" * 16, {"a1" * 16: 9},
                                  hashlib.sha256(data).digest()]
