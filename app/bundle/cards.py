"""Key cards of vaults for bundles, and this vault's P-256 key pairs.

Card file (canonical CBOR map, at most MAX_CARD_SIZE bytes):
  {"format": "lotse-device-card", "version": 1, "card": bstr, "signature": bstr(64)
   [, "countersignature": {"signing_public": bstr(33), "agreement_public": bstr(33),
                           "signature": bstr(64)}]}
"card" is the canonical CBOR of the card's fields; "signature" is ECDSA P-256/SHA-256 (raw
r||s) by the card's own signing key over SELF_CONTEXT || card; a countersignature is by the
coordination office's signing key over COUNTER_CONTEXT || card || its signing_public ||
its agreement_public (both carried, so the office's fingerprint can be computed and no byte of
them can change). Fingerprint (of a card and of the office) = hex
SHA-256(FINGERPRINT_CONTEXT || signing_public || agreement_public), keys SEC1 compressed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.bundle import cbor
from app.bundle.records import DeviceCard, OwnKeys
from app.bundle.sign import SIGNATURE_SIZE, sign, verify
from app.seal.keys import load_public, public_key_of

MAX_CARD_SIZE = 16 * 1024
CARD_FORMAT = "lotse-device-card"
CARD_VERSION = 1
ROLES = ("casework", "steering", "coordination")
FINGERPRINT_CONTEXT = b"lotse-device-card/1 fingerprint\x00"
SELF_CONTEXT = b"lotse-device-card/1 self\x00"
COUNTER_CONTEXT = b"lotse-device-card/1 countersign\x00"
MAX_CARD_TEXT = 200
_FILE_KEYS = {"format", "version", "card", "signature"}
_CARD_KEYS = {"vault_uuid", "vault_code", "vault_name", "holder_name", "municipality", "role",
              "signing_public", "agreement_public", "issued_at", "fingerprint"}
_COUNTER_KEYS = {"signing_public", "agreement_public", "signature"}
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_UNREADABLE = "Die Datei ist keine lesbare Lotse-Schlüsselkarte."


@dataclass(frozen=True)
class NewKeys:
    signing_private: bytes  # PKCS#8 DER
    signing_public: bytes  # SEC1 compressed
    agreement_private: bytes
    agreement_public: bytes
    fingerprint: str


def fingerprint_of(signing_public: bytes, agreement_public: bytes) -> str:
    return hashlib.sha256(FINGERPRINT_CONTEXT + signing_public + agreement_public).hexdigest()


def _new_private() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def new_sync_keys() -> NewKeys:
    signing, agreement = _new_private(), _new_private()
    signing_public, agreement_public = public_key_of(signing), public_key_of(agreement)
    return NewKeys(signing, signing_public, agreement, agreement_public,
                   fingerprint_of(signing_public, agreement_public))


def _card_map(card: DeviceCard) -> dict[str, Any]:
    return {"vault_uuid": card.vault_uuid, "vault_code": card.vault_code,
            "vault_name": card.vault_name, "holder_name": card.holder_name,
            "municipality": card.municipality, "role": card.role,
            "signing_public": card.signing_public, "agreement_public": card.agreement_public,
            "issued_at": card.issued_at, "fingerprint": card.fingerprint}


def _own_publics(own: OwnKeys) -> tuple[bytes, bytes]:
    return public_key_of(own.signing_private), public_key_of(own.agreement_private)


def make_card(card: DeviceCard, own: OwnKeys) -> bytes:
    """The card's file bytes, signed with ``own``'s signing key (which must match the card)."""
    signing_public, agreement_public = _own_publics(own)
    if (signing_public, agreement_public) != (card.signing_public, card.agreement_public) or (
            fingerprint_of(signing_public, agreement_public) != card.fingerprint
            or own.fingerprint != card.fingerprint):
        raise ValueError("a card is signed by the keys it carries")
    if card.role not in ROLES:
        raise ValueError(f"unknown role {card.role!r}")
    body = cbor.dumps(_card_map(card))
    return cbor.dumps({"format": CARD_FORMAT, "version": CARD_VERSION, "card": body,
                       "signature": sign(SELF_CONTEXT + body, own.signing_private)})


def countersign(card_file: bytes, coordination: OwnKeys) -> bytes:
    """The same card carrying the coordination office's signature too."""
    read_card(card_file)
    m = _file_map(card_file)
    signing_public, agreement_public = _own_publics(coordination)
    if fingerprint_of(signing_public, agreement_public) != coordination.fingerprint:
        raise ValueError("the coordination keys do not match their fingerprint")
    m["countersignature"] = {
        "signing_public": signing_public, "agreement_public": agreement_public,
        "signature": sign(COUNTER_CONTEXT + m["card"] + signing_public + agreement_public,
                          coordination.signing_private)}
    return cbor.dumps(m)


def _refused(text: str = _UNREADABLE) -> ValueError:
    return ValueError(text)


def _file_map(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_CARD_SIZE:
        raise _refused("Die Datei ist zu groß für eine Lotse-Schlüsselkarte.")
    try:
        m = cbor.loads(data, max_depth=4, max_items=200)
    except cbor.CborError:
        raise _refused() from None
    if not isinstance(m, dict) or m.get("format") != CARD_FORMAT:
        raise _refused()
    if m.get("version") != CARD_VERSION or type(m.get("version")) is not int:
        raise _refused("Diese Schlüsselkarte stammt von einer anderen Lotse-Version und kann "
                       "hier nicht gelesen werden.")
    if not (set(m) == _FILE_KEYS or set(m) == _FILE_KEYS | {"countersignature"}):
        raise _refused()
    if not isinstance(m["card"], bytes) or not isinstance(m["signature"], bytes):
        raise _refused()
    if cbor.dumps(m) != data:  # one spelling only: no byte can change unnoticed
        raise _refused()
    return m


def _text(m: dict[str, Any], key: str, optional: bool = False) -> Any:
    value = m[key]
    if value is None and optional:
        return None
    if type(value) is not str or not value.strip() or len(value) > MAX_CARD_TEXT:
        raise _refused()
    return value


def _public(value: Any) -> bytes:
    if not isinstance(value, bytes):
        raise _refused()
    try:
        load_public(value)
    except ValueError:
        raise _refused() from None
    return value


def read_card(data: bytes) -> DeviceCard:
    """Parse and verify a card file (self-signature; a countersignature is checked and named in
    ``countersigned_by`` but trusting it is the caller's decision). ``ValueError`` with a German
    message on anything wrong."""
    m = _file_map(data)
    body = m["card"]
    try:
        c = cbor.loads(body, max_depth=2, max_items=40)
    except cbor.CborError:
        raise _refused() from None
    if not isinstance(c, dict) or set(c) != _CARD_KEYS or cbor.dumps(c) != body:
        raise _refused()
    signing_public, agreement_public = _public(c["signing_public"]), _public(
        c["agreement_public"])
    role, issued_at, fingerprint = c["role"], c["issued_at"], c["fingerprint"]
    if role not in ROLES or not isinstance(issued_at, datetime) or type(
            fingerprint) is not str or not _HEX64.match(fingerprint):
        raise _refused()
    if fingerprint_of(signing_public, agreement_public) != fingerprint:
        raise _refused("Der Fingerabdruck der Schlüsselkarte passt nicht zu ihren Schlüsseln: "
                       "Sie wurde verändert.")
    if not verify(SELF_CONTEXT + body, m["signature"], signing_public):
        raise _refused("Die Schlüsselkarte ist nicht mit ihrem eigenen Schlüssel signiert: "
                       "Sie wurde verändert.")
    countersigned_by = None
    if "countersignature" in m:
        countersigned_by = _countersigner(m["countersignature"], body)
    return DeviceCard(vault_uuid=_text(c, "vault_uuid"), vault_code=_text(c, "vault_code"),
                      vault_name=_text(c, "vault_name"), holder_name=_text(c, "holder_name"),
                      municipality=_text(c, "municipality", optional=True), role=role,
                      signing_public=signing_public, agreement_public=agreement_public,
                      issued_at=issued_at.astimezone(UTC), fingerprint=fingerprint,
                      countersigned_by=countersigned_by)


def _countersigner(value: Any, body: bytes) -> str:
    if not isinstance(value, dict) or set(value) != _COUNTER_KEYS:
        raise _refused()
    signing_public = _public(value["signing_public"])
    agreement_public = _public(value["agreement_public"])
    signature = value["signature"]
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_SIZE or not verify(
            COUNTER_CONTEXT + body + signing_public + agreement_public, signature,
            signing_public):
        raise _refused("Die Gegenzeichnung der Schlüsselkarte ist ungültig.")
    return fingerprint_of(signing_public, agreement_public)
