"""Reads of the household: its members with their age and their own case, if any.

Not audited on its own: the person opened the section "Person & Haushalt", and that view is
what the audit log records (cases.read.record_view)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import catalogues
from app.services.cases.queries import resolve_case
from app.services.household.records import HouseholdView, Member
from app.vault.store import Vault
from db.models import CaseFile, Household, Person


def age_on(born: date | None, today: date) -> int | None:
    """Full years lived on ``today`` (a 29 February birthday counts from 1 March)."""
    if born is None or born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def relation_label(code: str | None) -> str:
    return catalogues.label_or_code(catalogues.household_relations(), code)


def household(vault: Vault, case_ref: str | int) -> HouseholdView:
    today = vault.clock.today()
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        client = s.get_one(Person, case.person_id)
        if client.household_id is None:
            return HouseholdView(None, ())
        label = s.get_one(Household, client.household_id).label
        people = s.execute(select(Person).where(
            Person.household_id == client.household_id, Person.id != client.id,
            Person.deleted.is_(False)).order_by(Person.date_of_birth.is_(None),
                                                Person.date_of_birth, Person.sort_key)).scalars()
        members = []
        for p in people:
            own = s.execute(select(CaseFile.id, CaseFile.case_number).where(
                CaseFile.person_id == p.id, CaseFile.deleted.is_(False))
                .order_by(CaseFile.opened_on.desc()).limit(1)).first()
            members.append(Member(
                p.uuid, p.given_names, p.family_name, p.household_role,
                relation_label(p.household_role), p.date_of_birth, age_on(p.date_of_birth, today),
                own.id if own else None, own.case_number if own else None))
        return HouseholdView(label, tuple(members))
