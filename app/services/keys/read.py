"""Reading side of the keys domain: the trusted keys, and a key card file checked before
anyone decides to trust it."""

from __future__ import annotations

from sqlalchemy import select

from app.seal.cards import parse_card_file
from app.seal.keys import fingerprint_display
from app.seal.verify import de_date
from app.services.keys.queries import row_of, stored_card
from app.services.keys.records import CardPreview, TrustedKeyRow
from app.vault.store import Vault
from db.models import IssuerKey, RevocationList, TrustedKey


def trusted_keys(vault: Vault) -> list[TrustedKeyRow]:
    """Own keys first, then by office and holder."""
    with vault.read_session() as s:
        rows = s.execute(select(TrustedKey).order_by(
            TrustedKey.own.desc(), TrustedKey.issuer_office, TrustedKey.holder_name,
            TrustedKey.valid_from.desc())).scalars().all()
        return [row_of(s, r) for r in rows]


def preview_card(vault: Vault, data: bytes) -> CardPreview:
    """What a key card file says, checked (size, format, signatures); SealError otherwise."""
    parsed = parse_card_file(data)
    card, lst = parsed.card, parsed.revocations
    today = vault.clock.today()
    warnings = []
    if card.withdrawn_on is not None:
        warnings.append(f"Der Schlüssel wurde am {de_date(card.withdrawn_on)} zurückgezogen.")
    if card.valid_until < today:
        warnings.append(f"Der Schlüssel ist seit {de_date(card.valid_until)} abgelaufen.")
    if card.valid_from > today:
        warnings.append(f"Der Schlüssel gilt erst ab {de_date(card.valid_from)}.")
    with vault.read_session() as s:
        row = s.execute(select(TrustedKey).where(
            TrustedKey.public_key == card.public_key)).scalar()
        own = (row is not None and row.own) or s.execute(select(IssuerKey.id).where(
            IssuerKey.public_key == card.public_key)).first() is not None
        for gone in parsed.withdrawn:
            held_row = s.execute(select(TrustedKey).where(
                TrustedKey.public_key == gone.public_key)).scalar()
            if held_row is not None and held_row.withdrawn_on is None and gone.withdrawn_on:
                warnings.append(
                    f"Der bisher vertraute Schlüssel {fingerprint_display(gone.fingerprint)} "
                    f"wurde am {de_date(gone.withdrawn_on)} zurückgezogen; das wird beim "
                    "Einlesen übernommen.")
        if own:
            warnings.append("Das ist die Schlüsselkarte dieses Tresors.")
        elif row is not None:
            if row.withdrawn_on is not None and card.withdrawn_on is None:
                warnings.append(f"Dieser Schlüssel wurde bereits am {de_date(row.withdrawn_on)} "
                                "zurückgezogen.")
            if stored_card(row).issued_at > card.issued_at:
                warnings.append("Diese Schlüsselkarte ist älter als die gespeicherte; sie "
                                "ändert nichts.")
            held = s.execute(select(RevocationList.issued_at).where(
                RevocationList.fingerprint == card.fingerprint)).scalar()
            if lst is not None and held is not None and held >= lst.issued_at:
                warnings.append("Die mitgelieferte Widerrufsliste ist nicht neuer als die "
                                "gespeicherte; sie ändert nichts.")
    return CardPreview(
        fingerprint=card.fingerprint, fingerprint_display=fingerprint_display(card.fingerprint),
        issuer_office=card.issuer_office, holder_name=card.holder_name,
        municipality=card.municipality, vault_code=card.vault_code, valid_from=card.valid_from,
        valid_until=card.valid_until, withdrawn_on=card.withdrawn_on,
        already_trusted=row is not None, own=own,
        revocations=len(lst.entries) if lst else 0,
        revocations_as_of=lst.issued_at if lst else None, warnings=warnings)
