"""Key card files: an issuer key's public half with who holds it, self-signed (proves that the
sender holds the private key), and optionally the issuer's revocation list signed by the same key.

File: canonical CBOR map {"format": "lotse-key-card", "version": 1, "card": COSE_Sign1,
["revocations": COSE_Sign1], ["withdrawn": [COSE_Sign1, …]]}: the issuer's withdrawn keys travel
with its current card, so colleagues learn of a withdrawal with the next card they import.
Everything is size-capped before it is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.seal.cose import canonical, parse_sign1, sign1, strict_loads, verify_sign1
from app.seal.errors import SealError
from app.seal.keys import fingerprint_of, kid_of, load_public, public_key_of
from app.seal.payload import date_of, datetime_of, day_of, seconds_of
from app.seal.records import R_SIGNATURE, R_UNREADABLE, KeyCard, RevocationListData
from app.seal.revocations import MAX_LIST_BYTES, read_revocations, sign_revocations

CARD_FORMAT = "lotse-key-card"
CARD_VERSION = 1
MAX_CARD_BYTES = 2048  # the signed card alone
MAX_CARD_FILE_BYTES = MAX_LIST_BYTES + MAX_CARD_BYTES + 256
MAX_CARD_TEXT = 100
MAX_WITHDRAWN = 20
C_PUBLIC, C_OFFICE, C_HOLDER, C_MUNICIPALITY, C_VAULT = 1, 2, 3, 4, 5
C_FROM, C_UNTIL, C_WITHDRAWN, C_ISSUED_AT = 6, 7, 8, 9


@dataclass(frozen=True)
class CardFile:
    card: KeyCard
    card_cose: bytes  # the signed card as received (stored in trusted_key.card)
    revocations: RevocationListData | None
    revocations_cose: bytes | None
    withdrawn: tuple[KeyCard, ...] = ()  # the issuer's withdrawn keys, each self-signed


def not_a_card(detail_en: str) -> SealError:
    return SealError(R_UNREADABLE, "Die Datei ist keine lesbare Lotse-Schlüsselkarte.", detail_en)


def sign_card(card: KeyCard, private_der: bytes) -> bytes:
    """The card as a COSE_Sign1 signed by its own key."""
    public = public_key_of(private_der)
    if public != card.public_key:
        raise ValueError("a key card is signed by its own key")
    m: dict[int, Any] = {C_PUBLIC: card.public_key, C_OFFICE: card.issuer_office,
                         C_HOLDER: card.holder_name, C_FROM: day_of(card.valid_from),
                         C_UNTIL: day_of(card.valid_until),
                         C_ISSUED_AT: seconds_of(card.issued_at)}
    if card.municipality:
        m[C_MUNICIPALITY] = card.municipality
    if card.vault_code:
        m[C_VAULT] = card.vault_code
    if card.withdrawn_on is not None:
        m[C_WITHDRAWN] = day_of(card.withdrawn_on)
    return sign1(canonical(m), private_der, bytes.fromhex(kid_of(public)))


def read_card(data: bytes) -> KeyCard:
    """A signed card; SealError unless it is well-formed and signed by the key it carries."""
    msg = parse_sign1(data, MAX_CARD_BYTES)
    m = strict_loads(msg.payload, MAX_CARD_BYTES)
    card = _card_of(m)
    if card is None or canonical(m) != msg.payload:
        raise not_a_card("key card content invalid")
    if msg.kid.hex() != card.kid or not verify_sign1(msg, card.public_key):
        raise SealError(R_SIGNATURE, "Die Schlüsselkarte ist nicht mit ihrem eigenen Schlüssel "
                        "signiert: Sie wurde verändert.", "key card self-signature invalid")
    return card


def _text(m: dict[Any, Any], key: int, required: bool) -> str | None:
    value = m.get(key)
    if value is None and not required:
        return None
    if type(value) is not str or not value.strip() or len(value) > MAX_CARD_TEXT:
        raise not_a_card(f"key card field {key} invalid")
    return value


def _card_of(m: Any) -> KeyCard | None:
    if not isinstance(m, dict) or not all(type(k) is int for k in m):
        return None
    if not set(m) <= set(range(C_PUBLIC, C_ISSUED_AT + 1)):
        return None
    public = m.get(C_PUBLIC)
    if not isinstance(public, bytes):
        return None
    try:
        load_public(public)
    except ValueError:
        return None
    valid_from, valid_until = date_of(m.get(C_FROM)), date_of(m.get(C_UNTIL))
    issued_at = datetime_of(m.get(C_ISSUED_AT))
    withdrawn = date_of(m[C_WITHDRAWN]) if C_WITHDRAWN in m else None
    if valid_from is None or valid_until is None or issued_at is None or (
            C_WITHDRAWN in m and withdrawn is None) or valid_until < valid_from:
        return None
    office, holder = _text(m, C_OFFICE, True), _text(m, C_HOLDER, True)
    if office is None or holder is None:
        return None
    return KeyCard(public_key=public, kid=kid_of(public), fingerprint=fingerprint_of(public),
                   issuer_office=office, holder_name=holder,
                   municipality=_text(m, C_MUNICIPALITY, False),
                   vault_code=_text(m, C_VAULT, False), valid_from=valid_from,
                   valid_until=valid_until, withdrawn_on=withdrawn, issued_at=issued_at)


def write_card_file(card: KeyCard, private_der: bytes,
                    revocations: RevocationListData | None,
                    withdrawn: tuple[bytes, ...] = ()) -> bytes:
    """The file a colleague imports; ``withdrawn``: signed cards (``sign_card``) of the
    issuer's withdrawn keys."""
    m: dict[str, Any] = {"format": CARD_FORMAT, "version": CARD_VERSION,
                         "card": sign_card(card, private_der)}
    if revocations is not None:
        m["revocations"] = sign_revocations(revocations, private_der)
    if withdrawn:
        m["withdrawn"] = list(withdrawn[:MAX_WITHDRAWN])
    return canonical(m)


def parse_card_file(data: bytes) -> CardFile:
    """Card and list with their signed bytes; SealError (German and English) when the file is
    not a card, too large, or a signature fails."""
    if len(data) > MAX_CARD_FILE_BYTES:
        raise SealError(R_UNREADABLE, "Die Datei ist zu groß für eine Lotse-Schlüsselkarte.",
                        f"key card file larger than {MAX_CARD_FILE_BYTES} bytes")
    try:
        m = strict_loads(data, MAX_CARD_FILE_BYTES)
    except SealError:
        raise not_a_card("key card file is not CBOR") from None
    if not isinstance(m, dict) or m.get("format") != CARD_FORMAT:
        raise not_a_card("not a Lotse key card file")
    if m.get("version") != CARD_VERSION:
        raise SealError(R_UNREADABLE, "Diese Schlüsselkarte stammt von einer anderen "
                        "Lotse-Version und kann hier nicht gelesen werden.",
                        "unsupported key card version")
    withdrawn = m.get("withdrawn", ())
    if not set(m) <= {"format", "version", "card", "revocations", "withdrawn"} or not (
            isinstance(m.get("card"), bytes) and isinstance(m.get("revocations", b""), bytes)
            and isinstance(withdrawn, (list, tuple)) and len(withdrawn) <= MAX_WITHDRAWN
            and all(isinstance(w, bytes) for w in withdrawn)):
        raise not_a_card("key card file has unexpected parts")
    card = read_card(m["card"])
    listed = m.get("revocations")
    lst = read_revocations(listed, card.public_key) if listed is not None else None
    return CardFile(card, m["card"], lst, listed, tuple(_withdrawn(card, w) for w in withdrawn))


def _withdrawn(card: KeyCard, data: bytes) -> KeyCard:
    """A withdrawn key of the same issuer (a card of another office or a key still in use has
    no place here)."""
    old = read_card(data)
    if old.withdrawn_on is None or (old.issuer_office, old.vault_code) != (
            card.issuer_office, card.vault_code):
        raise not_a_card("a withdrawn key of another issuer, or not withdrawn")
    return old


def read_card_file(data: bytes) -> tuple[KeyCard, RevocationListData | None]:
    parsed = parse_card_file(data)
    return parsed.card, parsed.revocations
