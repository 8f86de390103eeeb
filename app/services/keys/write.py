"""Writing side of the keys domain: this vault's issuer key, its card for colleagues, and the
keys it trusts. Audit details carry key ids and fingerprints only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Kind
from app.errors import NotFound, ValidationFailed
from app.seal.cards import CardFile, parse_card_file, read_card, sign_card, write_card_file
from app.seal.keys import fingerprint_matches, fingerprint_of, normalise_fingerprint
from app.seal.records import KeyCard, Revocation, RevocationListData
from app.seal.revocations import read_revocations, sign_revocations
from app.services.keys.queries import (
    card_of,
    current_key,
    ensure_key,
    own_trusted,
    row_of,
    stored_card,
    sync_own_trusted,
)
from app.services.keys.records import TrustedKeyRow
from app.vault.store import Vault
from db.models import Certificate, IssuerKey, RevocationList, TrustedKey

FINGERPRINT_WRONG_DE = ("Der eingegebene Fingerabdruck stimmt nicht mit der Schlüsselkarte "
                        "überein. Bitte vergleichen Sie ihn noch einmal mit der Ausstellerin oder "
                        "dem Aussteller, am besten am Telefon.")


def own_key(vault: Vault) -> TrustedKeyRow:
    """This vault's current issuer key as a trusted key (own=True); created when there is none,
    or the current one expired or was withdrawn."""
    with vault.session() as s:
        return row_of(s, _own_row(s, ensure_key(s, vault)))


def _own_row(s: Session, key: IssuerKey) -> TrustedKey:
    row = own_trusted(s, key)
    if row is None:  # pragma: no cover - ensure_key and withdraw always write it
        raise RuntimeError("own key without its trusted_key row")
    return row


def export_card(vault: Vault) -> bytes:
    """The key card file of the current key, with the signed list of every revoked own
    certificate and the cards of withdrawn own keys."""
    with vault.session() as s:
        key = ensure_key(s, vault)
        now = vault.clock.now()
        card = card_of(vault, key, now)
        keys, entries = _own_revocations(s)
        withdrawn = tuple(sign_card(card_of(vault, k, now), k.private_key)
                          for k in keys if k.withdrawn_on is not None)
        data = write_card_file(card, key.private_key,
                               RevocationListData(card.fingerprint, now, entries), withdrawn)
        audit.record(s, Kind.KEY_CARD_EXPORTED, "issuer_key", None, kid=key.kid,
                     fingerprint=card.fingerprint, revocations=len(entries),
                     withdrawn=len(withdrawn))
        return data


def _own_revocations(s: Session) -> tuple[Sequence[IssuerKey], tuple[Revocation, ...]]:
    """Every issuer key of this vault and every certificate they signed that was revoked."""
    keys = s.execute(select(IssuerKey).order_by(IssuerKey.id)).scalars().all()
    revoked = s.execute(
        select(Certificate.serial, Certificate.revoked_on, Certificate.revoke_reason)
        .where(Certificate.revoked_on.is_not(None),
               Certificate.signer_public.in_([k.public_key for k in keys]))
        .order_by(Certificate.serial)).all()
    return keys, tuple(Revocation(r.serial, r.revoked_on, r.revoke_reason or "")
                       for r in revoked)


def import_card(vault: Vault, data: bytes, confirmed_fingerprint: str) -> TrustedKeyRow:
    """Trust the key of a card file once its fingerprint, compared with the issuer, was typed.

    A key already trusted is updated by a newer card or list without asking again; an older one
    never replaces a newer (an old copy put back must not undo a withdrawal or a revocation).
    A card of this vault's own key changes nothing.
    """
    parsed = parse_card_file(data)
    card = parsed.card
    if parsed.withdrawn:
        # Withdrawals of keys already trusted need no confirmation (each is signed by the
        # withdrawn key itself) and must not wait for one: they are saved first.
        with vault.session() as s:
            _withdrawals(s, parsed.withdrawn)
    with vault.session() as s:
        row = s.execute(select(TrustedKey).where(
            TrustedKey.public_key == card.public_key)).scalar()
        if row is not None and row.own:
            return row_of(s, row)
        if row is None:
            if not fingerprint_matches(confirmed_fingerprint, card.fingerprint):
                raise ValidationFailed(FINGERPRINT_WRONG_DE, "typed fingerprint does not match "
                                       "the key card", field="fingerprint")
            row = TrustedKey(kid=card.kid, public_key=card.public_key,
                             fingerprint=card.fingerprint, imported_at=vault.clock.now())
            _apply(row, card, parsed.card_cose)
            s.add(row)
            s.flush()
            audit.record(s, Kind.KEY_TRUSTED, "trusted_key", None, kid=card.kid,
                         fingerprint=card.fingerprint)
        else:
            _update(s, row, parsed.card, parsed.card_cose)
        _store_list(s, row, parsed)
        return row_of(s, row)


def _apply(row: TrustedKey, card: KeyCard, card_cose: bytes) -> None:
    row.issuer_office, row.holder_name = card.issuer_office, card.holder_name
    row.municipality, row.vault_code = card.municipality, card.vault_code
    row.valid_from, row.valid_until = card.valid_from, card.valid_until
    row.withdrawn_on, row.own, row.card = card.withdrawn_on, False, card_cose


def _earliest(a: date | None, b: date | None) -> date | None:
    """A withdrawal only ever moves earlier: no card, old or new, takes it back."""
    present = [d for d in (a, b) if d is not None]
    return min(present) if present else None


def _update(s: Session, row: TrustedKey, card: KeyCard, card_cose: bytes) -> None:
    """A newer card replaces the stored one; a withdrawal is kept whichever card carries it."""
    held = stored_card(row)
    withdrawn = _earliest(row.withdrawn_on, card.withdrawn_on)
    newer = card.issued_at > held.issued_at
    if newer:
        _apply(row, card, card_cose)
    if newer or withdrawn != row.withdrawn_on:
        row.withdrawn_on = withdrawn
        audit.record(s, Kind.KEY_TRUSTED, "trusted_key", None, kid=row.kid,
                     fingerprint=row.fingerprint, updated=True,
                     withdrawn=row.withdrawn_on.isoformat() if row.withdrawn_on else None)


def _withdrawals(s: Session, cards: tuple[KeyCard, ...]) -> None:
    """Withdrawn keys of the issuer that this vault already trusts learn of the withdrawal
    (a withdrawn key is never newly trusted this way)."""
    for card in cards:
        row = s.execute(select(TrustedKey).where(
            TrustedKey.public_key == card.public_key, TrustedKey.own.is_(False))).scalar()
        if row is not None:
            withdrawn = _earliest(row.withdrawn_on, card.withdrawn_on)
            if withdrawn is not None and withdrawn != row.withdrawn_on:
                row.withdrawn_on = withdrawn
                audit.record(s, Kind.KEY_TRUSTED, "trusted_key", None, kid=row.kid,
                             fingerprint=row.fingerprint, updated=True,
                             withdrawn=withdrawn.isoformat())


def _store_list(s: Session, row: TrustedKey, parsed: CardFile) -> None:
    lst, raw = parsed.revocations, parsed.revocations_cose
    if lst is not None and raw is not None:
        keep_newer_list(s, row, lst, raw)


def keep_newer_list(s: Session, row: TrustedKey, lst: RevocationListData, raw: bytes) -> None:
    """Keep the newer revocation list of this key (an older copy never replaces it); ``lst``
    was read from ``raw`` and checked against the key of ``row`` by the caller."""
    held = s.execute(select(RevocationList).where(
        RevocationList.fingerprint == row.fingerprint)).scalar()
    if held is not None and read_revocations(held.data, row.public_key).issued_at >= \
            lst.issued_at:
        return
    if held is None:
        held = RevocationList(fingerprint=row.fingerprint)
        s.add(held)
    held.issued_at, held.data = lst.issued_at, raw
    held.imported_at = s.info[audit.CLOCK].now()
    audit.record(s, Kind.REVOCATIONS_IMPORTED, "trusted_key", None, kid=row.kid,
                 fingerprint=row.fingerprint, entries=len(lst.entries),
                 as_of=lst.issued_at.isoformat())


# --- keys passed on by the coordination office (catalogue bundles, app.sync.catalogue_update) --


def trust_vouched_card(s: Session, card_cose: bytes, vouched_by: str) -> TrustedKey:
    """Trust an issuer key card that a trusted coordination office passed on (``vouched_by``:
    the fingerprint of its sync card). No fingerprint is typed here: a person confirmed the
    coordination office's own card, and the office vouches for the keys it distributes. A
    key already trusted is only updated by a newer card; a withdrawal is never undone; a card
    of this vault's own key changes nothing. ``SealError`` if the card is not validly
    self-signed."""
    card = read_card(card_cose)
    row = s.execute(select(TrustedKey).where(TrustedKey.public_key == card.public_key)).scalar()
    if row is not None:
        if not row.own:
            _update(s, row, card, card_cose)
        return row
    row = TrustedKey(kid=card.kid, public_key=card.public_key, fingerprint=card.fingerprint,
                     imported_at=s.info[audit.CLOCK].now())
    _apply(row, card, card_cose)
    s.add(row)
    s.flush()
    audit.record(s, Kind.KEY_TRUSTED, "trusted_key", None, kid=card.kid,
                 fingerprint=card.fingerprint, vouched_by=vouched_by)
    return row


def distributed_keys(s: Session, vault: Vault) -> tuple[list[bytes], list[tuple[str, bytes]]]:
    """What a coordination office passes on: the signed cards of every key it trusts (its own
    included) and the newest revocation list of each, its own list signed now."""
    cards = [t.card for t in s.execute(select(TrustedKey).order_by(TrustedKey.id)).scalars()]
    lists = [(r.fingerprint, r.data) for r in s.execute(
        select(RevocationList).order_by(RevocationList.id)).scalars()]
    key = current_key(s, vault)
    if key is not None:
        _keys, entries = _own_revocations(s)
        fingerprint = fingerprint_of(key.public_key)
        lst = RevocationListData(fingerprint, vault.clock.now(), entries)
        lists.append((fingerprint, sign_revocations(lst, key.private_key)))
    return cards, lists


def distrust(vault: Vault, fingerprint: str) -> None:
    """Stop trusting a colleague's key (and drop its revocation list)."""
    wanted = normalise_fingerprint(fingerprint)
    with vault.session() as s:
        # The whole fingerprint or its displayed groups (a unique prefix of 16 bytes).
        row = next((r for r in s.execute(select(TrustedKey)).scalars()
                    if fingerprint_matches(wanted, r.fingerprint)), None)
        if row is None:
            raise NotFound("Dieser Schlüssel ist nicht (mehr) vertraut.",
                           f"no trusted key {wanted}")
        if row.own:
            raise ValidationFailed("Dem eigenen Schlüssel kann nicht das Vertrauen entzogen "
                                   "werden. Ziehen Sie ihn zurück, wenn er nicht mehr "
                                   "verwendet werden darf.", "own key cannot be distrusted")
        s.execute(delete(RevocationList).where(RevocationList.fingerprint == row.fingerprint))
        s.delete(row)
        audit.record(s, Kind.KEY_DISTRUSTED, "trusted_key", None, kid=row.kid,
                     fingerprint=row.fingerprint)


def withdraw_own_key(vault: Vault, reason: str) -> None:
    """Withdraw the current own key from today on (a lost laptop): everything it signs from
    today fails verification; the next certificate is signed with a new key."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Bitte geben Sie einen Grund für das Zurückziehen an.",
                               "a reason is required", field="reason")
    with vault.session() as s:
        key = current_key(s, vault)
        if key is None:
            raise NotFound("Dieser Tresor hat keinen gültigen Schlüssel, der zurückgezogen "
                           "werden könnte.", "no current issuer key")
        key.withdrawn_on, key.withdraw_reason = vault.clock.today(), reason[:500]
        sync_own_trusted(s, vault, key)
        audit.record(s, Kind.KEY_WITHDRAWN, "issuer_key", None, kid=key.kid,
                     fingerprint=fingerprint_of(key.public_key))
