"""Migration 0007 fills ``current_until`` of a filled 0006 store by the follow-up rule, and the
demo generator's bulk inserts (which bypass the ORM) fill it by the same rule."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import select, text

from app.demo.generator import generate_demo
from app.vault.store import Vault
from db import schema
from db.models import Consent, ResidenceStatus
from tests.db.test_current_until import assert_rule_holds


def _corrections_and_withdrawals(vault: Vault) -> None:
    """Rows the demo rarely makes: corrected statuses, withdrawn consents, undated statuses."""
    today = vault.clock.today()
    with vault.session() as s:
        statuses = list(s.execute(select(ResidenceStatus).order_by(ResidenceStatus.id)
                                  .limit(40)).scalars())
        for old in statuses[::4]:
            fixed = ResidenceStatus(person_id=old.person_id, kind=old.kind,
                                    valid_from=None if old.id % 3 else old.valid_from,
                                    valid_until=today + timedelta(days=old.id % 90))
            s.add(fixed)
            s.flush()
            old.superseded_by_id = fixed.id
        for consent in list(s.execute(select(Consent).order_by(Consent.id).limit(30)).scalars()
                            )[::3]:
            consent.withdrawn_on = today


def test_demo_bulk_inserts_and_the_upgrade_fill_current_until_by_the_rule(vault: Vault) -> None:
    generate_demo(vault, 120, seed=9)
    assert_rule_holds(vault)  # the bulk inserts computed it
    _corrections_and_withdrawals(vault)
    with vault.engine.begin() as conn:
        command.downgrade(schema._config(conn), "0006")
        assert "current_until" not in {
            row[1] for row in conn.execute(text("PRAGMA table_info(consent)"))}
        schema.upgrade(conn)
    assert_rule_holds(vault)
    with vault.read_session() as s:  # the store held rows that count and rows that don't
        counting = s.execute(select(Consent.id).where(Consent.current_until.is_not(None))
                             .limit(1)).first()
        renewed_or_withdrawn = s.execute(select(Consent.id).where(
            Consent.current_until.is_(None), Consent.valid_until.is_not(None)).limit(1)).first()
        corrected = s.execute(select(ResidenceStatus.id).where(
            ResidenceStatus.superseded_by_id.is_not(None)).limit(1)).first()
    assert counting and renewed_or_withdrawn and corrected
