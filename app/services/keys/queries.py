"""Shared store work of the keys domain: this vault's current issuer key (created when there is
none usable), its card, and trusted-key rows as records. ``signing_key`` is what the register's
write calls inside its own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.audit import Kind
from app.catalogues import UnknownCode
from app.seal.cards import read_card, sign_card
from app.seal.keys import (
    fingerprint_display,
    fingerprint_of,
    kid_of,
    new_private_key,
    public_key_of,
)
from app.seal.records import KeyCard
from app.seal.revocations import read_revocations
from app.services.keys.records import KEY_VALIDITY_DAYS, SigningKey, TrustedKeyRow
from app.vault.store import Vault
from db.models import IssuerKey, RevocationList, TrustedKey


def issuer_office(vault: Vault) -> str:
    """The office a certificate of this vault names: "Stadt Dortmund", "Kreis Lippe"."""
    try:
        return catalogues.municipality(vault.info.municipality).authority
    except UnknownCode:
        return vault.info.municipality


def current_key(s: Session, vault: Vault) -> IssuerKey | None:
    """The newest own key valid today and not withdrawn."""
    today = vault.clock.today()
    return s.execute(
        select(IssuerKey).where(IssuerKey.withdrawn_on.is_(None), IssuerKey.valid_from <= today,
                                IssuerKey.valid_until >= today)
        .order_by(IssuerKey.valid_from.desc(), IssuerKey.id.desc()).limit(1)).scalar()


def card_of(vault: Vault, key: IssuerKey, issued_at: datetime) -> KeyCard:
    return KeyCard(public_key=key.public_key, kid=key.kid, fingerprint=fingerprint_of(
        key.public_key), issuer_office=issuer_office(vault), holder_name=vault.info.owner_name,
        municipality=vault.info.municipality, vault_code=vault.info.vault_code,
        valid_from=key.valid_from, valid_until=key.valid_until, withdrawn_on=key.withdrawn_on,
        issued_at=issued_at)


def own_trusted(s: Session, key: IssuerKey) -> TrustedKey | None:
    return s.execute(select(TrustedKey).where(TrustedKey.public_key == key.public_key)).scalar()


def sync_own_trusted(s: Session, vault: Vault, key: IssuerKey) -> TrustedKey:
    """The trusted_key row of an own key, its card re-signed from the key as it is now."""
    now = vault.clock.now()
    card = card_of(vault, key, now)
    row = own_trusted(s, key)
    if row is None:
        row = TrustedKey(kid=key.kid, public_key=key.public_key, fingerprint=card.fingerprint,
                         own=True, imported_at=now)
        s.add(row)
    row.issuer_office, row.holder_name = card.issuer_office, card.holder_name
    row.municipality, row.vault_code = card.municipality, card.vault_code
    row.valid_from, row.valid_until, row.withdrawn_on = key.valid_from, key.valid_until, \
        key.withdrawn_on
    row.own, row.card = True, sign_card(card, key.private_key)
    s.flush()
    return row


def ensure_key(s: Session, vault: Vault) -> IssuerKey:
    """The current own key; a new one when there is none, or it expired or was withdrawn."""
    key = current_key(s, vault)
    if key is not None:
        return key
    private = new_private_key()
    public = public_key_of(private)
    today = vault.clock.today()
    key = IssuerKey(kid=kid_of(public), private_key=private, public_key=public,
                    created_at=vault.clock.now(), valid_from=today,
                    valid_until=today + timedelta(days=KEY_VALIDITY_DAYS))
    s.add(key)
    s.flush()
    sync_own_trusted(s, vault, key)
    audit.record(s, Kind.KEY_CREATED, "issuer_key", None, kid=key.kid,
                 fingerprint=fingerprint_of(public), valid_until=key.valid_until.isoformat())
    return key


def signing_key(session: Session, vault: Vault) -> SigningKey:
    """The key to seal with now, inside the caller's transaction (created if needed)."""
    key = ensure_key(session, vault)
    return SigningKey(kid=key.kid, private_der=key.private_key, public=key.public_key,
                      fingerprint=fingerprint_of(key.public_key))


def row_of(s: Session, t: TrustedKey) -> TrustedKeyRow:
    lst = s.execute(select(RevocationList).where(
        RevocationList.fingerprint == t.fingerprint)).scalar()
    data = read_revocations(lst.data, t.public_key) if lst is not None else None
    return TrustedKeyRow(
        fingerprint=t.fingerprint, fingerprint_display=fingerprint_display(t.fingerprint),
        kid=t.kid, issuer_office=t.issuer_office, holder_name=t.holder_name,
        municipality=t.municipality, vault_code=t.vault_code, valid_from=t.valid_from,
        valid_until=t.valid_until, withdrawn_on=t.withdrawn_on, own=t.own,
        imported_at=t.imported_at, revocations_as_of=data.issued_at if data else None,
        revoked_count=len(data.entries) if data else 0)


def stored_card(t: TrustedKey) -> KeyCard:
    """The card a trusted row was made from (its ``issued_at`` decides what is newer)."""
    return read_card(t.card)


def trusted_count(s: Session) -> int:
    return int(s.execute(select(func.count()).select_from(TrustedKey)).scalar_one())
