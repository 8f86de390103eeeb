"""The client's household: created with its first member, members added, corrected and removed
(tombstoned, or only taken out when they have an own case), each step audited without names."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.check import run_check
from app.errors import NotFound, ValidationFailed
from app.services.audit.read import case_history
from app.services.cases.read import person_data
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_person
from app.services.household.read import age_on, household
from app.services.household.records import NewMember
from app.services.household.write import (
    add_member,
    open_member_case,
    remove_member,
    update_member,
)
from app.vault.store import Vault
from db.models import AuditLog, CaseFile, Household, Person


def _audit_after(vault: Vault, seq: int) -> list[AuditLog]:
    with vault.read_session() as s:
        rows = list(s.execute(select(AuditLog).where(AuditLog.seq > seq)
                              .order_by(AuditLog.seq)).scalars())
        s.expunge_all()
        return rows


def _last_seq(vault: Vault) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(AuditLog.seq).order_by(AuditLog.seq.desc())).scalar() or 0)


def test_first_member_creates_the_household_and_members_are_listed_with_age(
        vault: Vault) -> None:  # the vault's today is 25.11.2026
    cid = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    assert household(vault, cid).label is None
    start = _last_seq(vault)
    son = add_member(vault, cid, NewMember("Omid", "Haidari", "child", date(2015, 11, 26)))
    add_member(vault, cid, NewMember("Reza", "Haidari", "partner", date(1984, 3, 2)))
    view = household(vault, cid)
    assert view.label == "Haushalt Haidari"
    assert [(m.given_names, m.relation_label, m.age) for m in view.members] == [
        ("Reza", "Ehepartner:in/Partner:in", 42), ("Omid", "Kind", 10)]  # 11 tomorrow
    assert view.members[1].uuid == son and view.members[1].case_number is None
    assert person_data(vault, cid).household_label == "Haushalt Haidari"
    with vault.read_session() as s:
        case = s.get_one(CaseFile, cid)
        client = s.get_one(Person, case.person_id)
        assert case.household_id == client.household_id is not None
        assert len(s.execute(select(Household)).scalars().all()) == 1  # created once only
    entries = _audit_after(vault, start)
    assert [(e.kind, e.object_type) for e in entries] == [
        ("record.created", "household"), ("record.created", "person"),
        ("record.created", "person")]
    # The client's Protokoll follows the household and its members.
    assert [h.label for h in case_history(vault, cid) if h.kind != "case.read"] == [
        "Angelegt: Personendaten", "Angelegt: Personendaten", "Angelegt: Haushalt",
        "Fall angelegt"]
    text = json.dumps([e.detail for e in entries])
    for personal in ("Haidari", "Omid", "Reza", "2015", "child", "partner"):
        assert personal not in text


def test_a_member_is_corrected_by_field_and_bad_input_changes_nothing(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    son = add_member(vault, cid, NewMember("Omid", "Haidari", "child", date(2015, 11, 26)))
    start = _last_seq(vault)
    assert update_member(vault, cid, son, given_names="Omid Ali", relation="child",
                         date_of_birth=date(2014, 11, 24)) == ["date_of_birth", "given_names"]
    (member,) = household(vault, cid).members
    assert (member.given_names, member.date_of_birth, member.age) == (
        "Omid Ali", date(2014, 11, 24), 12)
    (entry,) = _audit_after(vault, start)
    assert (entry.kind, entry.object_uuid, entry.detail) == (
        "record.updated", son, {"fields": ["date_of_birth", "given_names"]})
    for bad, field in ((dict(family_name="  "), "family_name"),
                       (dict(relation="cousin"), "relation"),
                       (dict(date_of_birth=date(2027, 1, 1)), "date_of_birth")):
        with pytest.raises(ValidationFailed) as exc:
            update_member(vault, cid, son, given_names="Nicht gespeichert", **bad)
        assert exc.value.field == field
    with pytest.raises(ValidationFailed):
        update_member(vault, cid, son, household_id=None)  # not a member field
    with pytest.raises(ValidationFailed) as exc:
        add_member(vault, cid, NewMember("", "Haidari", "child"))
    assert exc.value.field == "given_names"
    assert [m.given_names for m in household(vault, cid).members] == ["Omid Ali"]


def test_only_members_of_this_household_can_be_changed(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    other = create_case(vault, NewCase("Anna", "Müller", "DO"))
    theirs = add_member(vault, other, NewMember("Ben", "Müller", "child"))
    with vault.read_session() as s:
        client_uuid = s.get_one(Person, s.get_one(CaseFile, cid).person_id).uuid
    add_member(vault, cid, NewMember("Omid", "Haidari", "child"))
    for stranger in (theirs, client_uuid):
        with pytest.raises(NotFound):
            update_member(vault, cid, stranger, given_names="X")
        with pytest.raises(NotFound):
            remove_member(vault, cid, stranger)
    assert [m.given_names for m in household(vault, other).members] == ["Ben"]


def test_removing_tombstones_a_member_but_keeps_one_with_an_own_case(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    son = add_member(vault, cid, NewMember("Omid", "Haidari", "child", date(2015, 1, 2)))
    partner = add_member(vault, cid, NewMember("Reza", "Haidari", "partner"))
    own = open_member_case(vault, cid, partner)
    (_son, with_case) = household(vault, cid).members
    assert (with_case.uuid, with_case.case_id) == (partner, own)
    assert with_case.case_number is not None and with_case.case_number.startswith("DO-2026-")
    with pytest.raises(ValidationFailed):
        open_member_case(vault, cid, partner)  # one own case is enough
    start = _last_seq(vault)
    remove_member(vault, cid, son)
    remove_member(vault, cid, partner)
    assert household(vault, cid).members == ()
    with vault.read_session() as s:
        gone = s.execute(select(Person).where(Person.uuid == son)).scalar_one()
        assert gone.deleted and gone.given_names == ""  # a tombstone keeps no name
        kept = s.execute(select(Person).where(Person.uuid == partner)).scalar_one()
        assert not kept.deleted and kept.household_id is None
        assert s.get_one(CaseFile, own).person_id == kept.id
    with vault.read_session() as s:
        household_uuid = s.execute(select(Household.uuid)).scalar_one()
    assert [(e.kind, e.object_uuid) for e in _audit_after(vault, start)] == [
        ("record.deleted", son), ("record.updated", household_uuid),
        ("record.updated", partner), ("record.updated", household_uuid)]
    # The client's Protokoll shows every step of the household, the removals included.
    history = [(h.label, h.detail) for h in case_history(vault, cid)
               if h.kind != "case.read"]
    assert history == [("Geändert: Haushalt", "Geändert: Mitglieder"),
                       ("Geändert: Haushalt", "Geändert: Mitglieder"),
                       ("Angelegt: Haushalt", ""), ("Fall angelegt", "")]
    with pytest.raises(NotFound):
        remove_member(vault, cid, son)
    report = run_check(vault)  # tombstone, detached member and own case keep the invariants
    assert report.ok, report.problems


def test_entry_date_accommodation_and_abh_number_are_saved_with_the_person(
        vault: Vault) -> None:
    cid = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    update_person(vault, cid, entered_germany_on=date(2023, 9, 14),
                  accommodation="ZUE Mönchengladbach", abh_file_number="ABH-DO 4711/23")
    values = person_data(vault, cid).values
    assert (values["entered_germany_on"], values["accommodation"], values["abh_file_number"]) == (
        date(2023, 9, 14), "ZUE Mönchengladbach", "ABH-DO 4711/23")


def test_age_counts_full_years() -> None:
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert age_on(date(2030, 1, 1), date(2026, 3, 1)) is None
    assert age_on(None, date(2026, 3, 1)) is None
