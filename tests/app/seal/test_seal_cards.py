"""Key card files: round trip with their revocation list and withdrawn keys; a tampered card,
a list signed by another key, another file or an oversized one are refused in German and
English."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import cbor2
import pytest

from app.seal.cards import (
    MAX_CARD_FILE_BYTES,
    parse_card_file,
    read_card_file,
    sign_card,
    write_card_file,
)
from app.seal.errors import SealError
from app.seal.records import R_SIGNATURE, R_UNREADABLE, Revocation
from app.seal.revocations import read_revocations, sign_revocations
from tests.app.seal.trust import issuer, revocations

ENTRY = Revocation("DO-2026-T3ST-B0003", date(2026, 11, 20), "Angaben falsch")


def _refused(data: bytes, reason: str, de: str) -> SealError:
    with pytest.raises(SealError) as err:
        read_card_file(data)
    assert err.value.reason == reason
    assert de in err.value.message_de
    assert err.value.message_en
    return err.value


def test_a_card_file_round_trips_with_its_list_and_withdrawn_keys() -> None:
    private, card = issuer()
    old_private, old = issuer(withdrawn_on=date(2026, 6, 1))
    lst = revocations(card, ENTRY)
    data = write_card_file(card, private, lst, (sign_card(old, old_private),))
    got, got_list = read_card_file(data)
    assert got == replace(card, issued_at=card.issued_at.replace(microsecond=0))
    assert got_list == lst
    parsed = parse_card_file(data)
    assert parsed.withdrawn == (old,)
    assert read_revocations(parsed.revocations_cose or b"", card.public_key) == lst
    assert read_card_file(write_card_file(card, private, None)) == (got, None)


def test_a_tampered_card_is_refused() -> None:
    private, card = issuer()
    data = bytearray(write_card_file(card, private, None))
    at = bytes(data).index(b"Stadt Dortmund")
    data[at + 6] = ord("K")  # "Stadt Kortmund": another office, same signature
    _refused(bytes(data), R_SIGNATURE, "verändert")


def test_a_card_signed_by_another_key_than_it_carries_is_refused() -> None:
    private, card = issuer()
    other_private, other = issuer()
    m = cbor2.loads(write_card_file(card, private, None))
    # The other card's content with this key's kid header: the self-signature cannot match.
    forged = bytearray(sign_card(other, other_private))
    m["card"] = bytes(forged).replace(bytes.fromhex(other.kid), bytes.fromhex(card.kid))
    _refused(cbor2.dumps(m, canonical=True), R_SIGNATURE, "nicht mit ihrem eigenen Schlüssel")


def test_a_list_signed_by_another_key_is_refused() -> None:
    private, card = issuer()
    other_private, other = issuer()
    m = cbor2.loads(write_card_file(card, private, None))
    m["revocations"] = sign_revocations(revocations(other, ENTRY), other_private)
    _refused(cbor2.dumps(m, canonical=True), R_SIGNATURE, "Widerrufsliste")


def test_a_withdrawn_key_of_another_office_is_refused() -> None:
    private, card = issuer()
    other_private, other = issuer("Stadt Köln", withdrawn_on=date(2026, 6, 1))
    data = write_card_file(card, private, None, (sign_card(other, other_private),))
    _refused(data, R_UNREADABLE, "keine lesbare Lotse-Schlüsselkarte")


def test_other_files_and_oversized_ones_are_refused_before_parsing() -> None:
    _refused(b"%PDF-1.7\n", R_UNREADABLE, "keine lesbare Lotse-Schlüsselkarte")
    _refused(cbor2.dumps({"format": "something-else"}), R_UNREADABLE, "keine lesbare")
    _refused(cbor2.dumps({"format": "lotse-key-card", "version": 2}), R_UNREADABLE,
             "anderen Lotse-Version")
    _refused(b"\xa1" * (MAX_CARD_FILE_BYTES + 1), R_UNREADABLE, "zu groß")
    _refused(b"\x81" * 50_000, R_UNREADABLE, "keine lesbare")


def test_a_card_carries_when_it_was_written() -> None:
    private, card = issuer()
    later = replace(card, issued_at=datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert read_card_file(write_card_file(later, private, None))[0].issued_at == later.issued_at
