"""Key wrapping for one recipient: only its key, only under the same header, opens it."""

from __future__ import annotations

import os

from app.bundle.wrap import STANZA_SIZE, parse_stanza, unwrap, wrap
from tests.app.bundle.world import BOB, CAROL

HEADER = os.urandom(96)
KEY = os.urandom(32)


def test_wrap_and_unwrap() -> None:
    stanza = wrap(KEY, BOB.fingerprint, BOB.keys.agreement_public, HEADER)
    packed = stanza.pack()
    assert len(packed) == STANZA_SIZE and packed[:32] == bytes.fromhex(BOB.fingerprint)
    assert unwrap(parse_stanza(packed), BOB.own.agreement_private, HEADER) == KEY
    assert unwrap(stanza, CAROL.own.agreement_private, HEADER) is None


def test_the_wrap_is_bound_to_the_header_and_the_fingerprint() -> None:
    stanza = wrap(KEY, BOB.fingerprint, BOB.keys.agreement_public, HEADER)
    other = bytearray(HEADER)
    other[70] ^= 1
    assert unwrap(stanza, BOB.own.agreement_private, bytes(other)) is None
    relabelled = parse_stanza(bytes.fromhex(CAROL.fingerprint) + stanza.pack()[32:])
    assert unwrap(relabelled, BOB.own.agreement_private, HEADER) is None


def test_each_wrap_uses_a_fresh_ephemeral_key() -> None:
    one = wrap(KEY, BOB.fingerprint, BOB.keys.agreement_public, HEADER)
    two = wrap(KEY, BOB.fingerprint, BOB.keys.agreement_public, HEADER)
    assert one.ephemeral_public != two.ephemeral_public and one.wrapped != two.wrapped


def test_a_bad_ephemeral_point_does_not_open() -> None:
    stanza = wrap(KEY, BOB.fingerprint, BOB.keys.agreement_public, HEADER)
    broken = parse_stanza(stanza.pack()[:32] + b"\x05" + bytes(32) + stanza.wrapped)
    assert unwrap(broken, BOB.own.agreement_private, HEADER) is None
