"""Planning a conference: the list and its filters, the plan, participants from the directory,
the agenda; every refusal in German and nothing half-saved; everything audited by ids."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.errors import LotseError, NotFound, ValidationFailed
from app.services.cases.write import update_case
from app.services.conferences.read import conference_detail, conferences_of_case, list_conferences
from app.services.conferences.records import (
    AgendaInput,
    ConferenceFilter,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    set_agenda,
    set_participants,
    update_plan,
)
from app.services.directory.write import update_contact
from app.vault.store import Vault
from db.models import AuditLog, CaseManager, ConferenceParticipant, Contact
from tests.app.services.conferences.conftest import WHEN, World, planned
from tests.support.staff import add_colleague


def _audit(vault: Vault, object_type: str) -> list[AuditLog]:
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog).where(AuditLog.object_type == object_type)
                              .order_by(AuditLog.seq)).scalars())


def test_created_conference_reads_back_with_participants_from_the_directory(
        world: World) -> None:
    uuid = planned(world)
    set_participants(world.vault, uuid, [
        ParticipantInput("", contact_uuid=world.jc_contact),
        ParticipantInput("Haidari, Mariam", is_client=True),
        ParticipantInput("Farid Rahimi", is_interpreter=True, language="fa"),
        ParticipantInput("Dr. Sommer", institution_uuid=world.ja, role="Schulpsychologin")])
    d = conference_detail(world.vault, uuid)
    assert (d.title, d.scheduled_at, d.place, d.chair, d.status) == (
        "Fallkonferenz Übergang Schule–Beruf", WHEN, "Rathaus, Raum 112", "Frau Demir",
        "planned")
    jc, client, interpreter, other = d.participants
    # A contact brings name, institution, role and e-mail from the directory.
    assert (jc.name, jc.institution_uuid, jc.institution_name, jc.role, jc.email) == (
        "Petra Lindner", world.jc, "Jobcenter Dortmund", "Arbeitsvermittlung",
        "p.lindner@jobcenter.example")
    assert client.is_client and client.name == "Haidari, Mariam" and client.institution_uuid \
        is None
    assert interpreter.is_interpreter and interpreter.language == "fa"
    assert (other.name, other.institution_name, other.role) == ("Dr. Sommer",
                                                                "Jugendamt Dortmund",
                                                                "Schulpsychologin")
    assert [a.case_number for a in d.agenda] == [world.case_a, world.case_b]
    assert d.agenda[0].data_categories == ("education_work",)
    assert d.agenda[0].client == "Haidari, Mariam"
    # The read is audited with the uuid and the number of cases, nothing else.
    read = [e for e in _audit(world.vault, "conference") if e.kind == "record.read"]
    assert [(e.object_uuid, e.detail) for e in read] == [(uuid, {"cases": 2})]


def test_list_filters_and_counts(world: World) -> None:
    vault = world.vault
    mine = planned(world)
    colleague = add_colleague(vault, "Herr Weber")
    other = create_conference(vault, ConferencePlan(
        "Netzwerktreffen Nord", datetime(2026, 12, 20, 9, 0, tzinfo=UTC), "Bürgerhaus",
        chair_staff_uuid=colleague))
    rows = list_conferences(vault, ConferenceFilter())
    assert [r.uuid for r in rows] == [other, mine]  # newest first
    row = rows[1]
    assert (row.case_count, row.participant_count, row.status_label) == (2, 2, "geplant")
    # Nobody is covered for anything yet: both cases are blocked.
    assert row.blocked_cases == 2
    assert rows[0].chair == "Herr Weber" and rows[0].case_count == 0
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter(only_mine=True))] == [mine]
    # Chaired by the owner counts as mine too.
    with vault.read_session() as s:
        me = s.execute(select(CaseManager.uuid).where(CaseManager.is_self.is_(True))).scalar_one()
    update_plan(vault, other, ConferencePlan("Netzwerktreffen Nord", datetime(
        2026, 12, 20, 9, 0, tzinfo=UTC), "Bürgerhaus", chair_staff_uuid=me))
    assert len(list_conferences(vault, ConferenceFilter(only_mine=True))) == 2
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter(text="buergerhaus"))] == [
        other]
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter(text="übergang"))] == [mine]
    # Client names are not searched.
    assert list_conferences(vault, ConferenceFilter(text="Haidari")) == []
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter(
        date_from=date(2026, 12, 4), date_until=date(2026, 12, 31)))] == [other]
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter(
        date_until=date(2026, 12, 3)))] == [mine]
    assert list_conferences(vault, ConferenceFilter(status="minutes_approved")) == []
    assert len(list_conferences(vault, ConferenceFilter(status="planned"))) == 2
    with pytest.raises(ValidationFailed):
        list_conferences(vault, ConferenceFilter(status="bogus"))
    assert [r.uuid for r in conferences_of_case(vault, world.case_b)] == [mine]


def test_a_case_of_a_colleague_is_not_mine(world: World) -> None:
    vault = world.vault
    uuid = planned(world, cases=(world.case_a,))
    colleague = add_colleague(vault, "Herr Weber")
    update_case(vault, world.case_a, case_manager_uuid=colleague, handover="Urlaub")
    assert list_conferences(vault, ConferenceFilter(only_mine=True)) == []
    assert [r.uuid for r in list_conferences(vault, ConferenceFilter())] == [uuid]


@pytest.mark.parametrize(("plan", "field"), [
    (ConferencePlan("  ", WHEN), "title"),
    (ConferencePlan("Titel", datetime(2026, 12, 3, 10, 0)), "scheduled_at"),
])
def test_plan_needs_title_and_date(world: World, plan: ConferencePlan, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_conference(world.vault, plan)
    assert refused.value.field == field and refused.value.message_de.startswith("Bitte")
    assert list_conferences(world.vault, ConferenceFilter()) == []


def test_participant_rules(world: World) -> None:
    vault = world.vault
    uuid = planned(world, cases=(world.case_a,))
    before = conference_detail(vault, uuid).participants
    bad = [
        ParticipantInput("Farid Rahimi", is_interpreter=True),  # no language
        ParticipantInput("Yusuf Öztürk", is_client=True),  # his case is not on the agenda
        ParticipantInput("Irgendwer"),  # neither contact nor institution
        ParticipantInput("", contact_uuid=world.jc_contact, is_client=True),
        ParticipantInput("", contact_uuid=world.ja_contact),  # twice
    ]
    for p in bad:
        with pytest.raises(ValidationFailed) as refused:
            set_participants(vault, uuid, [ParticipantInput("", contact_uuid=world.ja_contact),
                                           p])
        assert refused.value.message_de[0].isupper()
    # A contact removed from the directory cannot be picked.
    update_contact(vault, world.abh_contact, "Karin Vogt")
    with vault.session() as s:
        s.execute(select(Contact).where(Contact.uuid == world.abh_contact)).scalar_one() \
            .deleted = True
    with pytest.raises(NotFound) as gone:
        set_participants(vault, uuid, [ParticipantInput("", contact_uuid=world.abh_contact)])
    assert "nicht mehr im Verzeichnis" in gone.value.message_de
    assert conference_detail(vault, uuid).participants == before  # nothing half-saved
    # The client may be named "Given Family" and is stored as the case's person.
    set_participants(vault, uuid, [ParticipantInput("Mariam HAIDARI", is_client=True)])
    (client,) = conference_detail(vault, uuid).participants
    assert client.name == "Haidari, Mariam"


def test_participants_are_replaced_updated_and_removed_with_audit(world: World) -> None:
    vault = world.vault
    uuid = planned(world)
    jc, ja = conference_detail(vault, uuid).participants
    set_participants(vault, uuid, [ParticipantInput("", uuid=jc.uuid,
                                                    contact_uuid=world.jc_contact,
                                                    role="Fallmanagement U25")])
    (only,) = conference_detail(vault, uuid).participants
    assert only.uuid == jc.uuid and only.role == "Fallmanagement U25"
    kinds = [(e.kind, e.object_uuid, e.detail) for e in _audit(vault, "conference_participant")]
    assert ("record.updated", jc.uuid, {"fields": ["role"]}) in kinds
    assert ("record.deleted", ja.uuid, {"conference": uuid}) in kinds
    with vault.read_session() as s:
        assert s.execute(select(ConferenceParticipant.deleted).where(
            ConferenceParticipant.uuid == ja.uuid)).scalar_one()


def test_agenda_rules(world: World) -> None:
    vault = world.vault
    uuid = planned(world, cases=(world.case_a,))
    before = conference_detail(vault, uuid).agenda
    for items in (
            [AgendaInput(world.case_a, "a", ("health",)), AgendaInput(world.case_a, "b",
                                                                     ("health",))],
            [AgendaInput(world.case_b, "a", ("unknown",))],
            [AgendaInput(world.case_b, "a", ())],
            [AgendaInput("DO-1999-XXXX-0001", "a", ("health",))]):
        with pytest.raises(LotseError) as refused:
            set_agenda(vault, uuid, items)
        assert refused.value.message_de[0].isupper()
    assert conference_detail(vault, uuid).agenda == before
    twice = [AgendaInput(world.case_a, "a", ("health",)), AgendaInput(world.case_a, "b",
                                                                     ("housing",))]
    with pytest.raises(ValidationFailed) as refused:
        set_agenda(vault, uuid, twice)
    assert world.case_a in refused.value.message_de
    # Reordered, categories in catalogue order, case given by number, id or uuid alike.
    item = before[0]
    set_agenda(vault, uuid, [AgendaInput(world.case_b, "Wohnung", ("housing", "residence")),
                             AgendaInput(item.case_uuid, "Neu", ("health",), uuid=item.uuid)])
    agenda = conference_detail(vault, uuid).agenda
    assert [(a.case_number, a.occasion, a.data_categories) for a in agenda] == [
        (world.case_b, "Wohnung", ("residence", "housing")),
        (world.case_a, "Neu", ("health",))]
    assert agenda[1].uuid == item.uuid
