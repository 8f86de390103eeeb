"""``current_until`` of statuses and consents (db.derived) equals the rule of the follow-ups
(``current_status`` / ``current_consent``) after every kind of change, written as plain ORM
changes that call nothing: random sequences of new, corrected, moved, removed, withdrawn and
renewed rows, checked against a fresh read of the store after each flush."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.tasks.queries import current_consent, current_status
from app.vault.store import Vault
from db.models import CaseFile, Consent, Institution, ResidenceStatus

KINDS = ("duldung", "gestattung", "aufenthaltserlaubnis")


def expected(s: Session, model: Any, rule: Any) -> dict[int, date | None]:
    """The rule's answer: valid_until on the live rows that count, None on every other."""
    counting = set(s.execute(select(model.id).where(
        model.deleted == false(), rule,
        *([model.withdrawn_on.is_(None)] if model is Consent else []))).scalars())
    return {rid: (until if rid in counting else None)
            for rid, until in s.execute(select(model.id, model.valid_until))}


def stored(s: Session, model: Any) -> dict[int, date | None]:
    return dict(s.execute(select(model.id, model.current_until)).tuples().all())


def assert_rule_holds(vault: Vault) -> None:
    with vault.read_session() as s:
        assert stored(s, ResidenceStatus) == expected(s, ResidenceStatus, current_status())
        assert stored(s, Consent) == expected(s, Consent, current_consent())


def _day(rng: random.Random, today: date) -> date:
    return today + timedelta(days=rng.choice((-400, -30, 0, 0, 10, 10, 200)))  # ties wanted


def _maybe_day(rng: random.Random, today: date) -> date | None:
    return None if rng.random() < 0.2 else _day(rng, today)


def _pick(s: Session, model: Any, rng: random.Random) -> Any:
    ids = list(s.execute(select(model.id).where(model.deleted == false())).scalars())
    return s.get_one(model, rng.choice(ids)) if ids else None


def _step(s: Session, rng: random.Random, today: date, persons: list[int],
          institutions: list[int]) -> list[Any]:
    """One change as a caseworker's edit or a sync import would write it; returns the rows the
    caller holds (the session's identity map holds them only weakly)."""
    op = rng.choice(("status", "status", "correct", "status_dates", "status_move",
                     "status_remove", "consent", "consent", "withdraw", "consent_dates",
                     "consent_move", "consent_remove", "delete_row"))
    status, consent = _pick(s, ResidenceStatus, rng), _pick(s, Consent, rng)
    if op == "status" or ((op.startswith("status") or op == "correct") and status is None):
        s.add(ResidenceStatus(person_id=rng.choice(persons), kind=rng.choice(KINDS),
                              valid_from=_maybe_day(rng, today),
                              valid_until=_maybe_day(rng, today)))
    elif op == "correct":  # a new entry replaces a wrong one, which stays in the timeline
        fixed = ResidenceStatus(person_id=status.person_id, kind=status.kind,
                                valid_from=_maybe_day(rng, today), valid_until=_day(rng, today))
        s.add(fixed)
        s.flush()
        status.superseded_by_id = fixed.id
    elif op == "status_dates":
        status.valid_from, status.valid_until = _maybe_day(rng, today), _maybe_day(rng, today)
    elif op == "status_move":
        status.person_id = rng.choice(persons)
    elif op == "status_remove":
        status.deleted = True
    elif op == "consent" or consent is None:  # new, or a renewal towards the same institution
        s.add(Consent(person_id=rng.choice(persons), institution_id=rng.choice(institutions),
                      purpose="Vermittlung", given_on=_day(rng, today),
                      valid_until=_maybe_day(rng, today)))
    elif op == "withdraw":
        consent.withdrawn_on = None if consent.withdrawn_on else today
    elif op == "consent_dates":
        consent.given_on, consent.valid_until = _day(rng, today), _maybe_day(rng, today)
    elif op == "consent_move":
        consent.person_id, consent.institution_id = rng.choice(persons), \
            rng.choice(institutions)
    elif op == "consent_remove":
        consent.deleted = True
    else:  # a row removed outright (as with its whole case)
        victim = rng.choice([r for r in (status, consent) if r is not None])
        if isinstance(victim, ResidenceStatus):
            s.execute(ResidenceStatus.__table__.update().where(  # type: ignore[attr-defined]
                ResidenceStatus.superseded_by_id == victim.id).values(superseded_by_id=None))
            s.expire_all()
        s.delete(victim)
    return [row for row in (status, consent, *s.new) if row is not None]


def test_current_until_follows_every_kind_of_change(vault: Vault) -> None:
    today = vault.clock.today()
    cases = [create_case(vault, NewCase(given, "Rahimi", "DO")) for given in ("Bashir", "Nadia")]
    add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    add_institution(vault, NewInstitution("Jobcenter Hagen", "jobcenter", "HA"))
    with vault.read_session() as s:
        persons = [s.get_one(CaseFile, cid).person_id for cid in cases]
        institutions = list(s.execute(select(Institution.id)).scalars())
    for seed in range(4):
        rng = random.Random(seed)
        for _ in range(30):
            with vault.session() as s:
                held_rows = _step(s, rng, today, persons, institutions)
                s.flush()
                # The objects the session holds carry the stored value too.
                for obj in held_rows:
                    if obj not in s.deleted and obj in s:
                        held = obj.current_until
                        assert held == s.execute(select(type(obj).current_until).where(
                            type(obj).id == obj.id)).scalar_one()
            assert_rule_holds(vault)
    with vault.read_session() as s:  # the sequences did reach rows that count and rows that don't
        values = list(stored(s, ResidenceStatus).values()) + list(stored(s, Consent).values())
    assert any(v is None for v in values) and any(v is not None for v in values)
