"""The store as the seal's ``TrustView``: trusted keys, the revocation lists of their issuers,
and for this vault's own certificates the register itself (revoked as of now)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.seal.errors import SealError
from app.seal.records import KeyCard, Revocation
from app.seal.revocations import read_revocations
from app.seal.verify import RevocationStatus
from app.vault.store import Vault
from db.models import Certificate, RevocationList, TrustedKey


def card_of_row(t: TrustedKey) -> KeyCard:
    return KeyCard(public_key=t.public_key, kid=t.kid, fingerprint=t.fingerprint,
                   issuer_office=t.issuer_office, holder_name=t.holder_name,
                   municipality=t.municipality, vault_code=t.vault_code,
                   valid_from=t.valid_from, valid_until=t.valid_until,
                   withdrawn_on=t.withdrawn_on, issued_at=t.imported_at)


class StoreTrust:
    """What this vault trusts, read in one session."""

    def __init__(self, s: Session, vault: Vault) -> None:
        self._s = s
        self._vault = vault
        self._rows: dict[str, TrustedKey] = {}

    def keys_with_kid(self, kid: str) -> Sequence[KeyCard]:
        rows = self._s.execute(select(TrustedKey).where(TrustedKey.kid == kid)
                               .order_by(TrustedKey.id)).scalars().all()
        self._rows.update({r.fingerprint: r for r in rows})
        return [card_of_row(r) for r in rows]

    def revocation_status(self, card: KeyCard, serial: str) -> RevocationStatus:
        row = self._rows.get(card.fingerprint)
        if row is not None and row.own:
            return self._own(serial)
        return self._listed(card, serial)

    def _own(self, serial: str) -> RevocationStatus:
        """This vault's own certificates: the register is the list, as of now."""
        cert = self._s.execute(select(Certificate).where(Certificate.serial == serial)).scalar()
        now = self._vault.clock.now()
        if cert is None or cert.revoked_on is None:
            return RevocationStatus(None, now)
        return RevocationStatus(Revocation(serial, cert.revoked_on, cert.revoke_reason or ""),
                                now)

    def _listed(self, card: KeyCard, serial: str) -> RevocationStatus:
        """The newest lists of the issuer's keys (one vault revokes with whichever key it holds
        now): the same vault code and office, or this very key."""
        same_issuer = TrustedKey.fingerprint == card.fingerprint
        if card.vault_code:
            same_issuer = or_(same_issuer, (TrustedKey.vault_code == card.vault_code)
                              & (TrustedKey.issuer_office == card.issuer_office))
        keys = self._s.execute(select(TrustedKey).where(same_issuer)).scalars().all()
        by_fp = {k.fingerprint: k for k in keys}
        lists = self._s.execute(select(RevocationList).where(
            RevocationList.fingerprint.in_(by_fp))).scalars().all()
        as_of = None
        found: Revocation | None = None
        for lst in lists:
            try:  # verified again: the store is encrypted, but the check is cheap
                data = read_revocations(lst.data, by_fp[lst.fingerprint].public_key)
            except SealError:
                continue
            if as_of is None or data.issued_at > as_of:
                as_of = data.issued_at
            hit = next((e for e in data.entries if e.serial == serial), None)
            if hit is not None and (found is None or hit.revoked_on < found.revoked_on):
                found = hit
        return RevocationStatus(found, as_of)
