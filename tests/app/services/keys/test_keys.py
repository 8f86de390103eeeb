"""This vault's issuer key: created once, valid two years, replaced when it expired or was
withdrawn; always also a trusted key of its own."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.audit import Kind
from app.clock import FixedClock
from app.seal.cards import read_card
from app.seal.keys import fingerprint_display, fingerprint_of, public_key_of
from app.services.keys.queries import signing_key
from app.services.keys.records import KEY_VALIDITY_DAYS
from app.services.keys.write import own_key
from app.vault.store import Vault
from db.models import AuditLog, IssuerKey, TrustedKey


def _kinds(vault: Vault) -> list[str]:
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog.kind).order_by(AuditLog.seq)).scalars())


def test_the_first_key_is_created_once_valid_two_years_and_trusted_as_own(vault: Vault) -> None:
    row = own_key(vault)
    assert (row.own, row.issuer_office, row.holder_name, row.vault_code) == (
        True, "Stadt Dortmund", "Test Fallmanagerin", "T3ST")
    assert (row.valid_from, row.valid_until) == (
        date(2026, 11, 25), date(2026, 11, 25) + timedelta(days=KEY_VALIDITY_DAYS))
    assert row.fingerprint_display == fingerprint_display(row.fingerprint)
    assert own_key(vault).fingerprint == row.fingerprint
    assert _kinds(vault).count(Kind.KEY_CREATED) == 1
    with vault.read_session() as s:
        key = s.execute(select(IssuerKey)).scalar_one()
        trusted = s.execute(select(TrustedKey)).scalar_one()
        assert fingerprint_of(public_key_of(key.private_key)) == row.fingerprint
        card = read_card(trusted.card)  # self-signed, as a colleague will receive it
        assert (card.fingerprint, card.issuer_office) == (row.fingerprint, "Stadt Dortmund")
        entry = s.execute(select(AuditLog).where(AuditLog.kind == Kind.KEY_CREATED)).scalar_one()
        assert entry.detail["fingerprint"] == row.fingerprint
        assert "private" not in str(entry.detail)


def test_signing_key_works_inside_the_callers_transaction(vault: Vault) -> None:
    with vault.session() as s:
        key = signing_key(s, vault)
        again = signing_key(s, vault)
    assert key == again
    assert public_key_of(key.private_der) == key.public
    assert "private_der" not in repr(key)
    assert own_key(vault).fingerprint == key.fingerprint


def test_an_expired_key_is_replaced(vault: Vault, clock: FixedClock) -> None:
    first = own_key(vault)
    clock.advance(timedelta(days=KEY_VALIDITY_DAYS))
    assert own_key(vault).fingerprint == first.fingerprint  # its last day
    clock.advance(timedelta(days=1))
    second = own_key(vault)
    assert second.fingerprint != first.fingerprint
    assert second.valid_from == first.valid_until + timedelta(days=1)
    assert _kinds(vault).count(Kind.KEY_CREATED) == 2
