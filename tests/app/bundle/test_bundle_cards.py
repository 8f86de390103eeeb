"""Key cards: self-signed, fingerprint over both keys, optional countersignature."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.bundle import cbor
from app.bundle.cards import (
    FINGERPRINT_CONTEXT,
    MAX_CARD_SIZE,
    countersign,
    fingerprint_of,
    make_card,
    new_sync_keys,
    read_card,
)
from app.bundle.records import DeviceCard
from app.bundle.sign import sign
from tests.app.bundle.world import ALICE, BOB, CAROL, MALLORY, Party

COORDINATION = CAROL


def card_of(p: Party, **changes: object) -> DeviceCard:
    card = DeviceCard(vault_uuid="a1" * 16, vault_code="DO-01", vault_name="Team Nord",
                      holder_name="Kerstin Ülker", municipality="Dortmund", role="casework",
                      signing_public=p.keys.signing_public,
                      agreement_public=p.keys.agreement_public,
                      issued_at=datetime(2026, 12, 1, 8, 0, 0, 5, tzinfo=UTC),
                      fingerprint=p.fingerprint)
    return replace(card, **changes)  # type: ignore[arg-type]


CARD = card_of(ALICE)
FILE = make_card(CARD, ALICE.own)
COUNTERSIGNED = countersign(FILE, COORDINATION.own)


def refused(data: bytes) -> str:
    with pytest.raises(ValueError) as caught:
        read_card(data)
    return str(caught.value)


def test_new_keys_have_their_fingerprint_over_both_public_keys() -> None:
    k = new_sync_keys()
    assert len(k.signing_public) == len(k.agreement_public) == 33
    assert k.fingerprint == hashlib.sha256(
        FINGERPRINT_CONTEXT + k.signing_public + k.agreement_public).hexdigest()
    assert k.fingerprint == fingerprint_of(k.signing_public, k.agreement_public)
    assert fingerprint_of(k.agreement_public, k.signing_public) != k.fingerprint


def test_a_card_round_trips_and_a_countersignature_is_named() -> None:
    assert read_card(FILE) == CARD
    got = read_card(COUNTERSIGNED)
    assert got == replace(CARD, countersigned_by=COORDINATION.fingerprint)
    no_municipality = card_of(BOB, municipality=None, role="steering",
                              issued_at=datetime(2026, 12, 1, 10, tzinfo=timezone(
                                  timedelta(hours=1))))
    back = read_card(make_card(no_municipality, BOB.own))
    assert back == no_municipality and back.issued_at.tzinfo is UTC


def test_make_card_needs_the_card_s_own_keys() -> None:
    with pytest.raises(ValueError):
        make_card(CARD, BOB.own)
    with pytest.raises(ValueError):
        make_card(card_of(ALICE, fingerprint=BOB.fingerprint), ALICE.own)
    with pytest.raises(ValueError):
        make_card(card_of(ALICE, role="admin"), ALICE.own)
    with pytest.raises(ValueError):
        countersign(FILE[:-1], COORDINATION.own)


def _resigned(card_map: dict[str, object], signer: Party = ALICE) -> bytes:
    from app.bundle.cards import SELF_CONTEXT
    body = cbor.dumps(card_map)
    return cbor.dumps({"format": "lotse-device-card", "version": 1, "card": body,
                       "signature": sign(SELF_CONTEXT + body, signer.own.signing_private)})


def _card_map() -> dict[str, object]:
    m = cbor.loads(cbor.loads(FILE, max_depth=4, max_items=99)["card"], max_depth=4,
                   max_items=99)
    assert isinstance(m, dict)
    return m


def test_a_card_whose_keys_do_not_match_its_fingerprint_is_refused() -> None:
    m = _card_map()
    m["fingerprint"] = MALLORY.fingerprint
    assert "Fingerabdruck" in refused(_resigned(m))
    # Mallory's signing key under Alice's fingerprint, signed by Mallory.
    m = _card_map()
    m["signing_public"] = MALLORY.keys.signing_public
    assert "Fingerabdruck" in refused(_resigned(m, MALLORY))


def test_a_card_signed_by_another_key_is_refused() -> None:
    assert "signiert" in refused(_resigned(_card_map(), MALLORY))


def test_a_forged_countersignature_is_refused() -> None:
    m = cbor.loads(COUNTERSIGNED, max_depth=4, max_items=99)
    m["countersignature"]["signing_public"] = MALLORY.keys.signing_public
    assert "Gegenzeichnung" in refused(cbor.dumps(m))
    # The office's other key is signed too: swapping it would name another office.
    m = cbor.loads(COUNTERSIGNED, max_depth=4, max_items=99)
    m["countersignature"]["agreement_public"] = MALLORY.keys.agreement_public
    assert "Gegenzeichnung" in refused(cbor.dumps(m))


@pytest.mark.parametrize("change", [
    {"role": "admin"}, {"vault_name": ""}, {"vault_code": "x" * 201}, {"issued_at": 5},
    {"signing_public": b"\x05" + bytes(32)}, {"extra": 1}])
def test_card_fields_are_checked(change: dict[str, object]) -> None:
    m = _card_map()
    m.update(change)
    assert refused(_resigned(m)) == "Die Datei ist keine lesbare Lotse-Schlüsselkarte."


def test_size_version_and_shape() -> None:
    assert "zu groß" in refused(FILE + bytes(MAX_CARD_SIZE))
    m = cbor.loads(FILE, max_depth=4, max_items=99)
    assert "anderen Lotse-Version" in refused(cbor.dumps({**m, "version": 2}))
    assert "keine lesbare" in refused(cbor.dumps({**m, "format": "lotse-key-card"}))
    assert "keine lesbare" in refused(cbor.dumps({**m, "more": 1}))
    assert "keine lesbare" in refused(b"")
    assert "keine lesbare" in refused(FILE + b"\x00")


def test_only_the_canonical_encoding_is_read() -> None:
    import cbor2
    m = cbor.loads(FILE, max_depth=4, max_items=99)
    reordered = cbor2.dumps(dict(reversed(list(m.items()))))
    assert reordered != FILE and cbor.loads(reordered, max_depth=4, max_items=99) == m
    assert "keine lesbare" in refused(reordered)
    # The card map itself spelt another way, properly signed: still refused.
    from app.bundle.cards import SELF_CONTEXT
    body = cbor2.dumps(dict(reversed(list(_card_map().items()))))
    resigned = cbor.dumps({"format": "lotse-device-card", "version": 1, "card": body,
                           "signature": sign(SELF_CONTEXT + body, ALICE.own.signing_private)})
    assert "keine lesbare" in refused(resigned)
