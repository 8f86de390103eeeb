"""A large payload is compressed in two halves at once (``writer.compress``): still one ordinary
zlib stream that ends where the data does, and a bundle sealed that way opens as usual."""

from __future__ import annotations

import random
import zlib

import pytest

from app.bundle import writer
from app.bundle.reader import open_bundle
from app.bundle.writer import PARALLEL_FROM, compress, seal_bundle
from tests.app.bundle.world import ALICE, BOB, TRUSTS_ALICE, content, full_row


def text_like(size: int, seed: int) -> bytes:
    r = random.Random(seed)
    words = [bytes(r.choice(b"abcdefghijklmnop") for _ in range(r.randint(2, 9)))
             for _ in range(3000)]
    out = bytearray()
    while len(out) < size:
        out += r.choice(words) + b" "
    return bytes(out[:size])


@pytest.mark.parametrize("size", [PARALLEL_FROM, PARALLEL_FROM + 12_345])
def test_two_halves_make_one_complete_zlib_stream(size: int) -> None:
    data = text_like(size, size)
    packed = compress(data)
    assert packed != zlib.compress(data, writer.COMPRESSION_LEVEL)  # the two-part way
    unpacker = zlib.decompressobj()
    assert unpacker.decompress(packed, size + 1) == data
    assert unpacker.eof and not unpacker.unused_data and not unpacker.unconsumed_tail
    # The second half reaches back into the first: no worse than one pass by more than a bit.
    assert len(packed) < len(zlib.compress(data, writer.COMPRESSION_LEVEL)) * 1.01


def test_a_bundle_compressed_in_halves_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "PARALLEL_FROM", 0)
    rows = [full_row(f"{i:032x}", name=f"Person {i}") for i in range(400)]
    c = content(rows=rows)
    data = seal_bundle(c, ALICE.own, [BOB.recipient])
    assert open_bundle(data, BOB.own, TRUSTS_ALICE).content == c
