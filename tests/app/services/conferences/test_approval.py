"""The minutes' lifecycle: drafted, approved (then immutable through every service and by raw
SQL), numbered amendments, and the audit of every output and of the copies handed out."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import exc, select, text

from app.clock import FixedClock
from app.errors import LotseError, ValidationFailed
from app.services.conferences.read import conference_detail
from app.services.conferences.records import (
    FULL,
    PSEUDONYMISED,
    AgendaInput,
    CaseMinutes,
    ConferencePlan,
    DecisionInput,
    ParticipantInput,
)
from app.services.conferences.write import (
    add_amendment,
    approve_minutes,
    mark_held,
    mark_minutes_drafted,
    record_case_minutes,
    record_minutes_output,
    remove_decision,
    save_decision,
    set_agenda,
    set_attendance,
    set_participants,
    update_plan,
)
from app.services.consent.records import DisclosureWarningPending
from app.services.consent.write import record_legal_basis
from app.services.editing import tombstone
from app.vault.store import Vault
from db.models import (
    AuditLog,
    Conference,
    ConferenceAgendaItem,
    ConferenceDecision,
    ConferenceDistribution,
    Disclosure,
    Person,
)
from tests.app.services.conferences.conftest import WHEN, World, consent, held, planned

LOCKED = "Das Protokoll ist freigegeben"


def _approved(w: World) -> str:
    uuid = held(w)
    item = conference_detail(w.vault, uuid).agenda[0]
    save_decision(w.vault, item.uuid, DecisionInput("Sprachkurs", "Jobcenter", date(2026, 12, 1)))
    with pytest.raises(ValidationFailed, match="not minutes_drafted"):
        approve_minutes(w.vault, uuid, "Frau Demir")
    mark_minutes_drafted(w.vault, uuid)
    with pytest.raises(ValidationFailed):
        approve_minutes(w.vault, uuid, "  ")
    approve_minutes(w.vault, uuid, "Frau Demir (Moderation)")
    return uuid


def _audit(vault: Vault) -> list[AuditLog]:
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars())


def test_lifecycle_order_and_approval(world: World, clock: FixedClock) -> None:
    vault = world.vault
    uuid = held(world)
    with pytest.raises(ValidationFailed, match="not approved"):
        add_amendment(vault, uuid, "Tippfehler", "Richtig ist …")
    clock.advance(timedelta(days=8))
    mark_minutes_drafted(vault, uuid)
    with pytest.raises(ValidationFailed, match="already drafted"):
        mark_minutes_drafted(vault, uuid)
    approve_minutes(vault, uuid, "Frau Demir")
    d = conference_detail(vault, uuid)
    assert (d.status, d.status_label, d.approved_on, d.approved_by_text, d.locked) == (
        "minutes_approved", "Protokoll freigegeben", date(2026, 12, 3), "Frau Demir", True)
    with vault.read_session() as s:
        # The distribution list is fixed with the approval: who gets which version.
        assert [(r.recipient_name, r.pseudonymised) for r in s.execute(
            select(ConferenceDistribution).order_by(ConferenceDistribution.id)).scalars()] == [
            ("Petra Lindner", False), ("Jonas Brandt", True)]
    approval = [e for e in _audit(vault) if e.kind == "conference.minutes_approved"]
    assert [(e.object_uuid, e.detail["recipients"]) for e in approval] == [(uuid, 2)]


def test_amendments_are_numbered_with_author(world: World, clock: FixedClock) -> None:
    vault = world.vault
    uuid = _approved(world)
    for reason, body in (("", "x"), ("Grund", " ")):
        with pytest.raises(ValidationFailed):
            add_amendment(vault, uuid, reason, body)
    assert add_amendment(vault, uuid, "Tippfehler", "Es muss „B2“ heißen.") == 1
    clock.advance(timedelta(hours=2))
    assert add_amendment(vault, uuid, "Ergänzung", "Frau Vogt war entschuldigt.") == 2
    first, second = conference_detail(vault, uuid).amendments
    assert (first.number, first.reason, first.text, first.author) == (
        1, "Tippfehler", "Es muss „B2“ heißen.", "Test Fallmanagerin")
    assert second.number == 2 and second.made_at == first.made_at + timedelta(hours=2)
    logged = [e.detail for e in _audit(vault) if e.kind == "conference.minutes_amended"]
    assert [d["number"] for d in logged] == [1, 2]


def test_approved_minutes_refuse_every_service_and_write_nothing(world: World) -> None:
    vault = world.vault
    uuid = _approved(world)
    d = conference_detail(vault, uuid)
    item = d.agenda[0]
    decision = item.decisions[0]
    attempts: list[Callable[[], object]] = [
        lambda: update_plan(vault, uuid, ConferencePlan("Neu", WHEN)),
        lambda: set_participants(vault, uuid, []),
        lambda: set_agenda(vault, uuid, [AgendaInput(world.case_a, "x", ("health",))]),
        lambda: set_attendance(vault, d.participants[0].uuid, "absent"),
        lambda: mark_held(vault, uuid, WHEN),
        lambda: record_case_minutes(vault, item.uuid, CaseMinutes(resources_goals="neu")),
        lambda: save_decision(vault, item.uuid, DecisionInput("Neu", "JC")),
        lambda: save_decision(vault, item.uuid, DecisionInput("Neu", "JC", uuid=decision.uuid)),
        lambda: remove_decision(vault, decision.uuid),
        lambda: mark_minutes_drafted(vault, uuid),
        lambda: approve_minutes(vault, uuid, "Noch einmal"),
    ]
    before = len(_audit(vault))
    for attempt in attempts:
        with pytest.raises(LotseError) as refused:
            attempt()
        assert LOCKED in refused.value.message_de, refused.value.message_de
    after = conference_detail(vault, uuid)
    assert len(_audit(vault)) == before + 1  # the read just above, nothing else
    assert after.participants == d.participants and after.agenda == d.agenda
    assert (after.title, after.status) == (d.title, d.status)


TABLES = ("conference", "conference_participant", "conference_agenda_item",
          "conference_decision", "conference_distribution")


def _sql(vault: Vault, statement: str, **params: object) -> None:
    with vault.session() as s:
        s.execute(text(statement), params)


def test_the_store_refuses_changes_to_approved_minutes(world: World) -> None:
    vault = world.vault
    uuid = _approved(world)
    with vault.read_session() as s:
        conf_id = s.execute(text("SELECT id FROM conference WHERE uuid = :u"),
                            {"u": uuid}).scalar_one()
        ids = {t: s.execute(text(f"SELECT min(id) FROM {t}")).scalar_one() for t in TABLES}
        item_id = ids["conference_agenda_item"]
    updates = {"conference": "title = 'geändert'", "conference_participant": "role = 'x'",
               "conference_agenda_item": "occasion = 'x'", "conference_decision": "what = 'x'",
               "conference_distribution": "recipient_name = 'x'"}
    inserts = {
        "conference_participant": ("conference_id, name", f"{conf_id}, 'Neu'"),
        "conference_agenda_item": ("conference_id, case_id", f"{conf_id}, 1"),
        "conference_decision": ("agenda_item_id, what, who", f"{item_id}, 'x', 'y'"),
        "conference_distribution": ("conference_id, recipient_name", f"{conf_id}, 'x'"),
    }
    sync = ("uuid, version_vector, field_stamps, deleted, created_at, updated_at",
            "lower(hex(randomblob(16))), '{}', '{}', 0, '2026-12-03', '2026-12-03'")
    for table in TABLES:
        for statement in (f"UPDATE {table} SET {updates[table]} WHERE id = :id",
                          f"DELETE FROM {table} WHERE id = :id"):
            with pytest.raises(exc.IntegrityError, match="approved minutes are immutable"):
                _sql(vault, statement, id=ids[table])
        if table in inserts:
            cols, values = inserts[table]
            with pytest.raises(exc.IntegrityError, match="approved minutes are immutable"):
                _sql(vault, f"INSERT INTO {table} ({cols}, {sync[0]}) "
                     f"VALUES ({values}, {sync[1]})")
    # What stays possible: the day the minutes were sent, a decision's task, erasure.
    _sql(vault, "UPDATE conference_distribution SET sent_on = '2026-12-10' WHERE id = :id",
         id=ids["conference_distribution"])
    _sql(vault, "UPDATE conference_decision SET task_id = NULL WHERE id = :id",
         id=ids["conference_decision"])
    _sql(vault, "UPDATE conference_participant SET deleted = 1 WHERE id = :id",
         id=ids["conference_participant"])
    # Erasure the way the services do it (content cleared with the tombstone, audited).
    with vault.session() as s:
        for model in (ConferenceDecision, ConferenceAgendaItem, Conference):
            tombstone(s, s.execute(select(model).order_by(model.id)).scalars().first())
    with vault.read_session() as s:
        assert s.execute(select(Conference.deleted, Conference.title)).one() == (True, "")


def test_amendments_only_to_approved_minutes_and_never_changed(world: World) -> None:
    vault = world.vault
    uuid = _approved(world)
    add_amendment(vault, uuid, "Tippfehler", "Text")
    for statement in ("UPDATE conference_amendment SET text = 'x'",
                      "DELETE FROM conference_amendment"):
        with pytest.raises(exc.IntegrityError, match="amendments are immutable"):
            _sql(vault, statement)


def test_outputs_are_audited_and_a_handed_out_copy_is_a_disclosure(
        world: World, clock: FixedClock) -> None:
    vault = world.vault
    uuid = _approved(world)
    jc, ja = conference_detail(vault, uuid).participants
    with vault.read_session() as s:
        at_conference = len(s.execute(select(Disclosure.id)).all())
    clock.advance(timedelta(days=10))
    with pytest.raises(ValidationFailed) as refused:
        record_minutes_output(vault, uuid, "print", FULL, ja.uuid)
    assert "pseudonymisierte Fassung" in refused.value.message_de
    record_minutes_output(vault, uuid, "print", FULL, jc.uuid)
    record_minutes_output(vault, uuid, "pdf", PSEUDONYMISED, ja.uuid)
    record_minutes_output(vault, uuid, "export", FULL)
    record_minutes_output(vault, uuid, "ics", FULL)
    with pytest.raises(ValidationFailed):
        record_minutes_output(vault, uuid, "fax", FULL)
    with vault.read_session() as s:
        handed = s.execute(select(Disclosure).where(Disclosure.id > at_conference)
                           .order_by(Disclosure.id)).scalars().all()
        # The job centre's full copy: both cases; the youth office's pseudonymised copy:
        # only case B, the one it is covered for (case A is withheld from it).
        assert [(d.institution_id, d.case_id, d.channel) for d in handed] == [
            (1, 1, "print"), (1, 2, "print"), (2, 2, "export")]
        assert all(d.disclosed_at == datetime(2026, 12, 5, 9, 30, tzinfo=UTC) for d in handed)
    entries = _audit(vault)
    outputs = [(e.kind, e.detail) for e in entries if e.object_uuid == uuid and e.kind in (
        "print", "export", "conference.minutes_saved", "conference.invitation_saved")]
    assert outputs == [
        ("print", {"action": "print", "version": "full", "recipient": jc.uuid,
                   "disclosures": 2}),
        ("conference.minutes_saved", {"action": "pdf", "version": "pseudonymised",
                                      "recipient": ja.uuid, "disclosures": 1}),
        ("export", {"action": "export", "version": "full"}),
        ("conference.invitation_saved", {"action": "ics", "version": "full"})]
    disclosed = [e for e in entries if e.kind == "disclosure"]
    assert len(disclosed) == 3 + 3  # at the conference, and the copies handed out
    # The audit log holds ids and codes only: no name of a client anywhere.
    with vault.read_session() as s:
        names = [n for p in s.execute(select(Person)).scalars()
                 for n in (p.given_names, p.family_name)]
    dumped = [json.dumps(e.detail, ensure_ascii=False) + f"{e.object_type}{e.object_uuid}"
              for e in entries]
    assert names and not [n for n in names for line in dumped if n.casefold() in
                          line.casefold()]


def test_minutes_output_needs_a_held_conference(world: World) -> None:
    from tests.app.services.conferences.conftest import covered

    uuid = covered(world)
    with pytest.raises(ValidationFailed) as refused:
        record_minutes_output(world.vault, uuid, "pdf", FULL)
    assert "stattgefunden" in refused.value.message_de
    record_minutes_output(world.vault, uuid, "ics", FULL)  # the invitation comes first
    set_participants(world.vault, uuid, [ParticipantInput("", contact_uuid=world.jc_contact)])


def test_a_copy_for_the_foreigners_authority_needs_its_warning_acknowledged(
        world: World) -> None:
    vault = world.vault
    uuid = planned(world, contacts=(world.jc_contact, world.abh_contact),
                   categories=("residence",))
    consent(world, world.case_a, world.jc, ["residence"])
    consent(world, world.case_b, world.jc, ["residence"])
    # At the conference the authority is covered for nothing: no warning, no disclosure to it.
    mark_held(vault, uuid, WHEN)
    _jc, abh = conference_detail(vault, uuid).participants
    record_legal_basis(vault, world.case_a, world.abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Auskunftsersuchen", date(2026, 11, 1))
    with pytest.raises(DisclosureWarningPending):
        record_minutes_output(vault, uuid, "print", PSEUDONYMISED, abh.uuid)
    with vault.read_session() as s:
        assert s.execute(select(Disclosure.id).where(Disclosure.channel == "print")).all() == []
    record_minutes_output(vault, uuid, "print", PSEUDONYMISED, abh.uuid,
                          warnings_acknowledged=True)
    with vault.read_session() as s:
        (row,) = s.execute(select(Disclosure).where(Disclosure.channel == "print")).scalars()
        assert row.warning_acknowledged and row.data_category == "residence"


def test_a_warning_acknowledged_at_the_conference_covers_the_copies(world: World) -> None:
    vault = world.vault
    uuid = planned(world, cases=(world.case_a,), contacts=(world.abh_contact,),
                   categories=("residence",))
    record_legal_basis(vault, world.case_a, world.abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Auskunftsersuchen", date(2026, 11, 1))
    mark_held(vault, uuid, WHEN, warnings_acknowledged=True)
    (abh,) = conference_detail(vault, uuid).participants
    record_minutes_output(vault, uuid, "pdf", FULL, abh.uuid)
    with vault.read_session() as s:
        assert [(d.channel, d.warning_acknowledged) for d in s.execute(
            select(Disclosure).order_by(Disclosure.id)).scalars()] == [
            ("conference", True), ("export", True)]
