"""The payload's CBOR: every valid payload round-trips, anything else is refused as unreadable
(unknown keys, wrong types, overlong texts, other versions, other spellings, deep nesting)."""

from __future__ import annotations

from datetime import date

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.seal.checkcode import new_check_code, normalise_check_code
from app.seal.cose import parse_sign1, strict_loads
from app.seal.errors import SealError
from app.seal.keys import (
    fingerprint_display,
    fingerprint_matches,
    fingerprint_of,
    kid_of,
    new_private_key,
    public_key_of,
)
from app.seal.payload import MAX_TEXT, decode_payload, encode_payload
from app.seal.records import MAX_SEALED_BYTES, R_UNREADABLE, SealPayload

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


def _text(limit: int) -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=limit).filter(lambda s: bool(s.strip()))


PAYLOADS = st.builds(
    SealPayload, kind=_text(MAX_TEXT[2]), serial=_text(MAX_TEXT[3]), holder=_text(MAX_TEXT[4]),
    birth_date=st.none() | DAYS, issued_on=DAYS, office=_text(MAX_TEXT[7]),
    subject=st.just("") | _text(MAX_TEXT[8]), period_from=st.none() | DAYS,
    period_until=st.none() | DAYS, copy=st.integers(0, 999), copy_on=st.none() | DAYS)

VALID = SealPayload(kind="participation", serial="DO-2026-T3ST-B0001", holder="Ayşe Demir",
                    birth_date=date(1990, 4, 2), issued_on=date(2026, 11, 25),
                    office="Stadt Dortmund")


@settings(max_examples=300, deadline=None)
@given(PAYLOADS)
def test_every_valid_payload_round_trips(p: SealPayload) -> None:
    assert decode_payload(encode_payload(p)) == p


def _map() -> dict[int, object]:
    return dict(cbor2.loads(encode_payload(VALID)))


def _refused(data: bytes) -> None:
    with pytest.raises(SealError) as err:
        decode_payload(data)
    assert err.value.reason == R_UNREADABLE


@pytest.mark.parametrize("change", [
    {99: "x"},  # an unknown key
    {"2": "participation"},  # a text key
    {1: 2},  # another version
    {2: b"participation"},  # bytes for a text
    {3: "D" * 41},  # a serial longer than 40
    {4: "   "},  # a blank name
    {6: "2026-11-25"},  # a date as text
    {6: 10**9},  # a day far outside 1900..2199
    {11: 0},  # copy 0 is written as absent
    {11: True},  # a bool for a number
])
def test_a_payload_outside_the_format_is_unreadable(change: dict[object, object]) -> None:
    m: dict[object, object] = dict(_map())
    m.update(change)
    _refused(cbor2.dumps(m, canonical=True))


def test_missing_fields_another_spelling_and_trailing_bytes_are_unreadable() -> None:
    m = _map()
    del m[7]
    _refused(cbor2.dumps(m, canonical=True))
    reordered = dict(reversed(_map().items()))
    _refused(cbor2.dumps(reordered))  # the same map, keys in another order
    longer = encode_payload(VALID).replace(b"\x01\x01", b"\x01\x18\x01", 1)
    assert cbor2.loads(longer) == _map()
    _refused(longer)  # the same map, the version spelled in two bytes
    _refused(encode_payload(VALID) + b"\x00")
    _refused(b"\xa1\x01")  # cut short


def test_deep_and_oversized_cbor_is_refused_before_it_is_walked() -> None:
    _refused(b"\x81" * 100_000 + b"\x00")  # 100,000 nested arrays
    _refused(b"\x81" * 20 + b"\x00")  # shallow enough to be small, too deep for the limit
    _refused(bytes(MAX_SEALED_BYTES + 1))
    with pytest.raises(SealError):
        parse_sign1(b"\xd2" + b"\x81" * 500 + b"\x00")
    # Nesting is refused by depth, not only by what the structure turns out to be.
    with pytest.raises(SealError, match="CBOR broken"):
        strict_loads(b"\x81" * 9 + b"\x00", MAX_SEALED_BYTES)
    assert strict_loads(b"\x81" * 7 + b"\x00", MAX_SEALED_BYTES) == [[[[[[[0]]]]]]]


def test_encode_refuses_what_decode_would_refuse() -> None:
    with pytest.raises(ValueError, match="cannot be sealed"):
        encode_payload(SealPayload(kind="participation", serial="S", holder="",
                                   birth_date=None, issued_on=date(2026, 1, 1), office="X"))


def test_key_ids_and_fingerprints_of_a_public_key() -> None:
    public = public_key_of(new_private_key())
    assert len(public) == 33 and public[0] in (2, 3)
    fp = fingerprint_of(public)
    assert len(fp) == 64 and kid_of(public) == fp[:16]
    shown = fingerprint_display(fp)
    assert shown == " ".join(fp[i:i + 4].upper() for i in range(0, 32, 4))
    assert fingerprint_matches(shown, fp) and fingerprint_matches(shown.lower(), fp)
    assert fingerprint_matches(fp.upper(), fp)
    assert fingerprint_matches(" " + fp[:16] + "-" + fp[16:32], fp)
    wrong = ("0" if shown[0] != "0" else "1") + shown[1:]
    assert not fingerprint_matches(wrong, fp)
    assert not fingerprint_matches(shown[:-5], fp)  # a group short


def test_check_codes_are_read_back_from_what_a_person_types() -> None:
    code = new_check_code()
    assert len(code) == 11 and code[5] == "-"
    assert normalise_check_code(code.lower().replace("-", " ")) == code
    assert normalise_check_code("k7qm2 xhd9r") == "K7QM2-XHD9R"
    assert normalise_check_code("K7QM2-XHD9O") == "K7QM2-XHD90"  # O read as zero
    assert normalise_check_code("K7QM2-XHD9") is None
    assert normalise_check_code("K7QM2-XHD9!") is None
    assert len({new_check_code() for _ in range(200)}) == 200
