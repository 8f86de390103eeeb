"""An in-memory TrustView over real keys and signed lists, for the pure seal tests (the store's
own TrustView is tested with a vault in tests/app/services/verification/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from app.seal.keys import fingerprint_of, kid_of, new_private_key, public_key_of
from app.seal.records import KeyCard, Revocation, RevocationListData
from app.seal.revocations import read_revocations
from app.seal.verify import RevocationStatus

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def make_card(private_der: bytes, office: str = "Stadt Dortmund", *,
              valid_from: date = date(2026, 1, 1), valid_until: date = date(2027, 12, 31),
              withdrawn_on: date | None = None, holder: str = "Test Fallmanagerin",
              vault_code: str | None = "T3ST", issued_at: datetime = AT) -> KeyCard:
    public = public_key_of(private_der)
    return KeyCard(public_key=public, kid=kid_of(public), fingerprint=fingerprint_of(public),
                   issuer_office=office, holder_name=holder, municipality="DO",
                   vault_code=vault_code, valid_from=valid_from, valid_until=valid_until,
                   withdrawn_on=withdrawn_on, issued_at=issued_at)


@dataclass
class MemoryTrust:
    cards: list[KeyCard] = field(default_factory=list)
    lists: dict[str, bytes] = field(default_factory=dict)  # fingerprint -> signed list

    def keys_with_kid(self, kid: str) -> Sequence[KeyCard]:
        return [c for c in self.cards if c.kid == kid]

    def revocation_status(self, card: KeyCard, serial: str) -> RevocationStatus:
        data = self.lists.get(card.fingerprint)
        if data is None:
            return RevocationStatus(None, None)
        lst = read_revocations(data, card.public_key)
        hit = next((e for e in lst.entries if e.serial == serial), None)
        return RevocationStatus(hit, lst.issued_at)


def issuer(office: str = "Stadt Dortmund", **kw: object) -> tuple[bytes, KeyCard]:
    private = new_private_key()
    return private, make_card(private, office, **kw)  # type: ignore[arg-type]


def revocations(card: KeyCard, *entries: Revocation,
                at: datetime = AT) -> RevocationListData:
    return RevocationListData(card.fingerprint, at, tuple(entries))


def with_kid(card: KeyCard, other: KeyCard) -> KeyCard:
    """``other``'s key under ``card``'s short id: a kid collision."""
    return replace(other, kid=card.kid)
