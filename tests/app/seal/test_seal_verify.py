"""The verdicts of ``judge`` on QR texts: each failing check with its own reason, and German
answers a caseworker can read out."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.seal.qrtext import seal
from app.seal.records import (
    ALTERED,
    QR_PREFIX,
    R_KEY_EXPIRED,
    R_KEY_WITHDRAWN,
    R_NOT_LOTSE,
    R_OFFICE_MISMATCH,
    R_OK,
    R_PAGE_MISMATCH,
    R_REVOKED,
    R_SIGNATURE,
    R_UNKNOWN_KEY,
    R_UNREADABLE,
    REVOKED,
    UNKNOWN_ISSUER,
    VALID,
    Revocation,
    SealPayload,
)
from app.seal.revocations import sign_revocations
from app.seal.verify import judge
from tests.app.seal.trust import MemoryTrust, issuer, revocations, with_kid

base45 = importlib.import_module("base45")

PAYLOAD = SealPayload(kind="participation", serial="DO-2026-T3ST-B0001", holder="Ayşe Demir",
                      birth_date=date(1990, 4, 2), issued_on=date(2026, 11, 25),
                      office="Stadt Dortmund", subject="Sprachkurs B1",
                      period_from=date(2026, 3, 1), period_until=date(2026, 10, 31))


def cose_of(text: str) -> bytearray:
    return bytearray(base45.b45decode(text[len(QR_PREFIX):]))


def text_of(cose: bytes | bytearray) -> str:
    return QR_PREFIX + base45.b45encode(bytes(cose)).decode()


def test_a_seal_verifies_from_its_text_and_names_issuer_and_date() -> None:
    private, card = issuer()
    v = judge(seal(PAYLOAD, private), MemoryTrust([card]))
    assert (v.outcome, v.reason, v.payload) == (VALID, R_OK, PAYLOAD)
    assert v.message_de == ("Die Bescheinigung Nr. DO-2026-T3ST-B0001 ist gültig. Ausgestellt "
                            "am 25.11.2026 von Stadt Dortmund (Test Fallmanagerin, Tresor T3ST).")
    assert "Ayşe" not in v.message_en and "Fallmanagerin" not in v.message_en
    assert "Zweitschrift" not in v.message_de


def test_a_reprint_verifies_and_says_zweitschrift() -> None:
    private, card = issuer()
    reprint = replace(PAYLOAD, copy=2, copy_on=date(2026, 12, 1))
    v = judge(seal(reprint, private), MemoryTrust([card]))
    assert v.outcome == VALID and v.payload == reprint
    assert v.message_de.endswith("Es ist die 2. Zweitschrift vom 01.12.2026.")


def test_a_qr_code_of_something_else_is_not_a_lotse_seal() -> None:
    _, card = issuer()
    v = judge("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", MemoryTrust([card]))
    assert (v.outcome, v.reason) == (ALTERED, R_NOT_LOTSE)


def test_one_changed_byte_in_the_cose_fails_with_its_own_reason() -> None:
    private, card = issuer()
    trust = MemoryTrust([card])
    cose = cose_of(seal(PAYLOAD, private))
    in_signature = bytearray(cose)
    in_signature[-1] ^= 0x01
    assert judge(text_of(in_signature), trust).reason == R_SIGNATURE
    in_serial = bytearray(cose)
    at = bytes(cose).index(b"B0001")
    in_serial[at + 4] = ord("2")  # B0001 -> B0002: still well-formed, no longer signed
    v = judge(text_of(in_serial), trust)
    assert (v.outcome, v.reason) == (ALTERED, R_SIGNATURE)
    in_tag = bytearray(cose)
    in_tag[0] ^= 0x01  # tag 18 -> 19: not a COSE_Sign1
    v = judge(text_of(in_tag), trust)
    assert (v.outcome, v.reason, v.message_en) == (ALTERED, R_UNREADABLE,
                                                   "not a tagged COSE_Sign1")


def test_one_changed_character_in_the_base45_text_fails_with_its_own_reason() -> None:
    private, card = issuer()
    trust = MemoryTrust([card])
    text = seal(PAYLOAD, private)
    # The last full triple of Base45 holds signature bytes; "0" in its first place keeps it
    # valid Base45 (a smaller number), so only the signature check can catch it.
    at = len(text) - 3 if (len(text) - len(QR_PREFIX)) % 3 == 0 else len(text) - 5
    changed = text[:at] + ("1" if text[at] == "0" else "0") + text[at + 1:]
    assert judge(changed, trust).reason == R_SIGNATURE
    not_base45 = text[:at] + "a" + text[at + 1:]  # lower case is not in the alphabet
    v = judge(not_base45, trust)
    assert (v.outcome, v.reason) == (ALTERED, R_UNREADABLE)
    assert judge(text[:-1], trust).reason == R_UNREADABLE  # cut short


def test_another_spelling_of_the_same_cose_and_an_overlong_text_are_unreadable() -> None:
    private, card = issuer()
    trust = MemoryTrust([card])
    cose = bytes(cose_of(seal(PAYLOAD, private)))
    assert cose[-66:-64] == b"\x58\x40"  # the signature: a byte string of 64
    longer = cose[:-66] + b"\x59\x00\x40" + cose[-64:]  # the same, length in two bytes
    v = judge(text_of(longer), trust)
    assert (v.reason, v.message_en) == (R_UNREADABLE, "COSE_Sign1 not canonically encoded")
    v = judge(QR_PREFIX + "0" * 1600, trust)
    assert (v.reason, v.message_en) == (R_UNREADABLE, "QR text longer than 1540 characters")


def test_a_trusted_key_of_another_office_cannot_sign_for_this_office() -> None:
    other_private, other_card = issuer("Stadt Köln", vault_code="K0LN")
    _, own_card = issuer()
    v = judge(seal(PAYLOAD, other_private), MemoryTrust([own_card, other_card]))
    assert (v.outcome, v.reason) == (ALTERED, R_OFFICE_MISMATCH)
    assert "Stadt Köln" in v.message_de and "Stadt Dortmund" in v.message_de


def test_an_unknown_key_is_an_unknown_issuer() -> None:
    private, _ = issuer()
    _, stranger = issuer()
    v = judge(seal(PAYLOAD, private), MemoryTrust([stranger]))
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_UNKNOWN_KEY)
    assert "nicht vertraut" in v.message_de


def test_every_key_with_the_short_id_is_tried() -> None:
    private, card = issuer()
    _, other = issuer()
    trust = MemoryTrust([with_kid(card, other), card])
    assert judge(seal(PAYLOAD, private), trust).outcome == VALID
    # Only a colliding key that does not verify: the signature is what fails.
    v = judge(seal(PAYLOAD, private), MemoryTrust([with_kid(card, other)]))
    assert (v.outcome, v.reason) == (ALTERED, R_SIGNATURE)


@pytest.mark.parametrize("issued_on", [date(2025, 12, 31), date(2028, 1, 1)])
def test_a_certificate_issued_outside_its_keys_validity_fails(issued_on: date) -> None:
    private, card = issuer(valid_from=date(2026, 1, 1), valid_until=date(2027, 12, 31))
    v = judge(seal(replace(PAYLOAD, issued_on=issued_on), private), MemoryTrust([card]))
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_KEY_EXPIRED)
    assert "01.01.2026 bis 31.12.2027" in v.message_de


def test_a_withdrawn_key_signs_nothing_from_its_withdrawal_on() -> None:
    private, card = issuer(withdrawn_on=date(2026, 11, 25))
    trust = MemoryTrust([card])
    v = judge(seal(PAYLOAD, private), trust)
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_KEY_WITHDRAWN)
    assert "am 25.11.2026 zurückgezogen" in v.message_de
    before = replace(PAYLOAD, issued_on=date(2026, 11, 24))
    assert judge(seal(before, private), trust).outcome == VALID


def test_a_revoked_serial_answers_date_reason_and_the_lists_date() -> None:
    private, card = issuer()
    as_of = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    lst = revocations(card, Revocation("DO-2026-T3ST-B0001", date(2026, 12, 1),
                                       "Teilnahme abgebrochen"), at=as_of)
    trust = MemoryTrust([card], {card.fingerprint: sign_revocations(lst, private)})
    v = judge(seal(PAYLOAD, private), trust)
    assert (v.outcome, v.reason) == (REVOKED, R_REVOKED)
    assert (v.revoked_on, v.revoke_reason, v.list_as_of) == (
        date(2026, 12, 1), "Teilnahme abgebrochen", as_of)
    assert "wurde am 01.12.2026 widerrufen (Stand der Widerrufsliste: 02.12.2026" in v.message_de
    other = replace(PAYLOAD, serial="DO-2026-T3ST-B0002")
    assert judge(seal(other, private), trust).outcome == VALID


def test_a_page_that_does_not_print_the_qr_codes_serial_is_altered() -> None:
    private, card = issuer()
    text = seal(PAYLOAD, private)
    trust = MemoryTrust([card])
    v = judge(text, trust, page_text="Teilnahmebescheinigung\nNr. DO-2026-T3ST-B0007\n")
    assert (v.outcome, v.reason) == (ALTERED, R_PAGE_MISMATCH)
    # Line breaks inside the printed serial are not a change of the page.
    assert judge(text, trust, page_text="Nr. DO-2026-\nT3ST-B0001").outcome == VALID
