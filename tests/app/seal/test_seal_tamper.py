"""Property: no single changed byte of a sealed COSE_Sign1 ever verifies as valid."""

from __future__ import annotations

import importlib
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.seal.qrtext import seal
from app.seal.records import ALTERED, QR_PREFIX, UNKNOWN_ISSUER, SealPayload
from app.seal.verify import judge
from tests.app.seal.trust import MemoryTrust, issuer

base45 = importlib.import_module("base45")

PRIVATE, CARD = issuer()
TEXT = seal(SealPayload(kind="counselling", serial="DO-2026-T3ST-B0042", holder="Jonas Weiß",
                        birth_date=None, issued_on=date(2026, 11, 25), office="Stadt Dortmund",
                        subject="Beratung Anerkennung", copy=1, copy_on=date(2026, 12, 1)),
            PRIVATE)
COSE = bytes(base45.b45decode(TEXT[len(QR_PREFIX):]))


@settings(max_examples=600, deadline=None)
@given(st.integers(0, len(COSE) - 1), st.integers(1, 255))
def test_any_single_byte_change_never_verifies(at: int, flip: int) -> None:
    changed = bytearray(COSE)
    changed[at] ^= flip
    v = judge(QR_PREFIX + base45.b45encode(bytes(changed)).decode(), MemoryTrust([CARD]))
    # A changed kid is an unknown key; every other change is a change.
    assert v.outcome in (ALTERED, UNKNOWN_ISSUER)


def test_the_unchanged_seal_verifies() -> None:
    assert judge(TEXT, MemoryTrust([CARD])).ok
