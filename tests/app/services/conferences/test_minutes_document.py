"""The minutes as a document (full and pseudonymised, per recipient), the recipients, and the
invitation, which carries no client name and no case number."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_person
from app.services.conferences.read import calendar_event, minutes_document, recipients
from app.services.conferences.records import (
    FULL,
    PSEUDONYMISED,
    CaseMinutes,
    ConferencePlan,
    DecisionInput,
    MinutesDocument,
    ParticipantInput,
)
from app.services.conferences.write import (
    add_amendment,
    approve_minutes,
    mark_minutes_drafted,
    record_case_minutes,
    save_decision,
    set_attendance,
    set_participants,
    update_plan,
)
from app.services.household.records import NewMember
from app.services.household.write import add_member
from app.vault.store import Vault
from db.folding import fold_search
from db.models import Person
from tests.app.services.conferences.conftest import WHEN, World, covered, held
from tests.support.staff import add_colleague


def strings(value: Any) -> list[str]:
    """Every string anywhere in a record (dataclasses, tuples, dicts)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    return []


def every_name(vault: Vault) -> set[str]:
    """Folded name tokens of every person in the vault: given, family and birth names."""
    with vault.read_session() as s:
        rows = s.execute(select(Person.given_names, Person.family_name, Person.birth_name)
                         .where(Person.deleted.is_(False))).all()
    return {token for row in rows for name in row if name for token in fold_search(name).split()}


def named_in(doc: MinutesDocument, names: set[str]) -> set[str]:
    return {token for text in strings(doc) for token in fold_search(text).split()} & names


def _full_of_names(w: World) -> str:
    """A conference whose free texts name the clients, their relatives and another client
    of the vault, in every spelling a caseworker might use."""
    vault = w.vault
    add_member(vault, w.case_a, NewMember("Ahmad", "Haidari", "sibling"))
    add_member(vault, w.case_a, NewMember("Leyla", "Karimi-Haidari", "parent",
                                          date(1980, 3, 12)))
    update_person(vault, w.case_b, birth_name="Demirci")
    create_case(vault, NewCase("Svetlana", "Ivanova", "DO"))  # not on the agenda
    uuid = held(w)
    update_plan(vault, uuid, ConferencePlan("Fallkonferenz Haidari / Öztürk", WHEN,
                                            "Rathaus, Raum 112", chair_text="Frau Demir",
                                            minute_taker_text="Herr Klein"))
    a, b = (item.uuid for item in _detail(vault, uuid).agenda)
    record_case_minutes(vault, a, CaseMinutes(
        legal_basis_note="Einwilligung von Mariam Haidari",
        state_of_affairs={w.jc: "Bruder Ahmad begleitet; Mutter Leyla Karimi-Haidari, geb. "
                                "am 12.03.1980, Tel. 0231 1234567"},
        resources_goals="MARIAM möchte wie Frau Ivanova eine Ausbildung beginnen.",
        disagreements="Herr Oeztuerk (Fall B) sieht das anders.",
        system_gap_notes="Wartezeit Sprachkurs"))
    record_case_minutes(vault, b, CaseMinutes(
        resources_goals="Yusuf, geb. Demirci, wohnt Musterstraße 12, 44135 Dortmund."))
    save_decision(vault, a, DecisionInput("Termin mit Svetlana und Mariam", "Ahmad Haidari",
                                          date(2026, 12, 10)))
    save_decision(vault, b, DecisionInput("Bewerbung mit Yusuf üben", "Jobcenter Dortmund"))
    return uuid


def _detail(vault: Vault, uuid: str) -> Any:
    from app.services.conferences.read import conference_detail

    return conference_detail(vault, uuid)


def test_pseudonymised_minutes_hold_no_name_of_any_person_in_the_vault(world: World) -> None:
    vault = world.vault
    uuid = _full_of_names(world)
    names = every_name(vault)
    assert {"haidari", "mariam", "ahmad", "karimi", "leyla", "yusuf", "ozturk", "demirci",
            "svetlana", "ivanova"} <= names
    full = minutes_document(vault, uuid)
    assert named_in(full, names)  # the full version does name them: the check can fail
    jc, ja = _detail(vault, uuid).participants
    for doc in (minutes_document(vault, uuid, PSEUDONYMISED),
                minutes_document(vault, uuid, PSEUDONYMISED, ja.uuid),
                minutes_document(vault, uuid, PSEUDONYMISED, jc.uuid)):
        assert named_in(doc, names) == set(), named_in(doc, names)
        text = "\n".join(strings(doc))
        for leak in ("12.03.1980", "1980", "0231", "1234567", "Musterstraße", "44135"):
            assert leak not in text
    doc = minutes_document(vault, uuid, PSEUDONYMISED)
    case_a = doc.cases[0]
    assert case_a.label == f"{world.case_a} – M. H."
    assert case_a.resources_goals == "M. möchte wie Frau I. eine Ausbildung beginnen."
    assert case_a.decisions[0].who == "A. H."
    assert doc.title == "Fallkonferenz H. / Ö."


def test_withheld_cases_and_the_full_version_per_recipient(world: World) -> None:
    vault = world.vault
    uuid = held(world)
    a, _b = (i.uuid for i in _detail(vault, uuid).agenda)
    record_case_minutes(vault, a, CaseMinutes(resources_goals="Ausbildung"))
    save_decision(vault, a, DecisionInput("Sprachkurs", "Jobcenter", date(2026, 12, 1)))
    jc, ja = _detail(vault, uuid).participants
    with pytest.raises(ValidationFailed) as refused:
        minutes_document(vault, uuid, FULL, ja.uuid)
    assert "pseudonymisierte Fassung" in refused.value.message_de
    copy = minutes_document(vault, uuid, PSEUDONYMISED, ja.uuid)
    withheld, shown = copy.cases
    # The youth welfare office is covered for case B only: case A is there, but empty.
    assert withheld == type(withheld)(f"{world.case_a} – M. H.", True)
    assert not shown.withheld and shown.label == f"{world.case_b} – Y. Ö."
    assert copy.recipient == "Jonas Brandt (Jugendamt Dortmund)"
    full = minutes_document(vault, uuid, FULL, jc.uuid)
    assert [c.label for c in full.cases] == [f"{world.case_a} – Haidari, Mariam",
                                            f"{world.case_b} – Öztürk, Yusuf"]
    assert full.cases[0].resources_goals == "Ausbildung"
    assert [(d.what, d.who, d.by_when) for d in full.cases[0].decisions] == [
        ("Sprachkurs", "Jobcenter", date(2026, 12, 1))]
    assert full.cases[0].categories[0] != "education_work"  # the German label
    assert [(r.name, r.version) for r in recipients(vault, uuid)] == [
        ("Petra Lindner", FULL), ("Jonas Brandt", PSEUDONYMISED)]
    assert [(r.name, r.version) for r in full.distribution] == [
        ("Petra Lindner", FULL), ("Jonas Brandt", PSEUDONYMISED)]


def test_draft_then_approved_with_amendments_in_the_next_print(world: World) -> None:
    vault = world.vault
    uuid = held(world)
    jc = _detail(vault, uuid).participants[0]
    set_attendance(vault, jc.uuid, "excused")
    draft = minutes_document(vault, uuid)
    assert draft.draft and draft.amendments == () and draft.participants[0].attendance == \
        "entschuldigt"
    assert (draft.municipality, draft.chair, draft.minute_taker) == ("Stadt Dortmund", "Frau Demir",
                                                                     "Herr Klein")
    mark_minutes_drafted(vault, uuid)
    approve_minutes(vault, uuid, "Frau Demir")
    add_amendment(vault, uuid, "Tippfehler", "Richtig ist „B2“.")
    final = minutes_document(vault, uuid)
    assert not final.draft and final.approved_by == "Frau Demir"
    assert [(a.number, a.reason, a.text) for a in final.amendments] == [
        (1, "Tippfehler", "Richtig ist „B2“.")]


def test_no_minutes_before_the_conference(world: World) -> None:
    uuid = covered(world)
    with pytest.raises(ValidationFailed) as refused:
        minutes_document(world.vault, uuid)
    assert "stattgefunden" in refused.value.message_de


def test_invitation_carries_no_client_name_and_no_case_number(world: World) -> None:
    vault = world.vault
    uuid = covered(world)
    set_participants(vault, uuid, [
        ParticipantInput("", contact_uuid=world.jc_contact),
        ParticipantInput("Mariam Haidari", is_client=True),
        ParticipantInput("Farid Rahimi", is_interpreter=True, language="fa")])
    event = calendar_event(vault, uuid)
    assert (event.uid, event.title, event.starts_at, event.duration_minutes, event.place,
            event.organizer) == (f"{uuid}@lotse", "Fallkonferenz Übergang Schule–Beruf", WHEN,
                                 90, "Rathaus, Raum 112", "Frau Demir")
    assert [(a.name, a.email) for a in event.attendees] == [
        ("Petra Lindner", "p.lindner@jobcenter.example"), ("Farid Rahimi", None)]
    first = event.sequence
    for title in ("Fallkonferenz Familie HAIDARI", f"Konferenz zu {world.case_b}",
                  "Fallkonferenz Oeztuerk"):
        update_plan(vault, uuid, ConferencePlan(title, WHEN, "Wohnung Haidari",
                                                chair_text="Frau Demir"))
        event = calendar_event(vault, uuid)
        assert event.title == "Fallkonferenz am 03.12.2026" and event.place is None
        assert event.sequence > first
        first = event.sequence
    # The time changes: the calendar must take the new invitation over the old one.
    later = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    update_plan(vault, uuid, ConferencePlan("Netzwerk", later))
    event = calendar_event(vault, uuid)
    assert event.sequence > first and event.starts_at == later and event.title == "Netzwerk"
    set_participants(vault, uuid, [ParticipantInput("", contact_uuid=world.ja_contact)])
    assert calendar_event(vault, uuid).sequence > event.sequence
    # A chair from outside has no address here: Outlook gets an appointment, no invitation.
    assert event.organizer_email is None
    # A chair of the team: the invitation comes from their address (Outlook can answer it).
    chair = add_colleague(vault, "Katrin Böhm", email="k.boehm@stadt-do.example")
    update_plan(vault, uuid, ConferencePlan("Netzwerk", later, chair_staff_uuid=chair))
    event = calendar_event(vault, uuid)
    assert (event.organizer, event.organizer_email) == ("Katrin Böhm",
                                                        "k.boehm@stadt-do.example")
