"""Read one conference as a person opens it from Heute; the read is audited (it shows the
clients on its agenda), with the conference's uuid and the number of cases only."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.services.conferences.records import AgendaCase, ConferenceView, Decision, Participant
from app.services.editing import live
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceDecision,
    ConferenceParticipant,
    Institution,
    Person,
)

GONE = "Die Fallkonferenz wurde nicht gefunden."


def conference_view(vault: Vault, conference_uuid: str) -> ConferenceView:
    with vault.session() as s:
        conf = live(s, Conference, conference_uuid, GONE)
        chair = conf.chair_text
        if conf.chair_staff_id is not None:
            staff = s.get(CaseManager, conf.chair_staff_id)
            chair = staff.display_name if staff is not None else chair
        participants = tuple(
            Participant(p.name, inst, p.role, p.is_client, p.is_interpreter)
            for p, inst in s.execute(
                select(ConferenceParticipant, Institution.name)
                .outerjoin(Institution, Institution.id == ConferenceParticipant.institution_id)
                .where(ConferenceParticipant.conference_id == conf.id,
                       ConferenceParticipant.deleted.is_(False))
                .order_by(ConferenceParticipant.id)).all())
        items = s.execute(
            select(ConferenceAgendaItem, CaseFile.case_number, Person.family_name,
                   Person.given_names)
            .join(CaseFile, CaseFile.id == ConferenceAgendaItem.case_id)
            .join(Person, Person.id == CaseFile.person_id)
            .where(ConferenceAgendaItem.conference_id == conf.id,
                   ConferenceAgendaItem.deleted.is_(False), CaseFile.deleted.is_(False))
            .order_by(ConferenceAgendaItem.position, ConferenceAgendaItem.id)).all()
        agenda = tuple(AgendaCase(item.case_id, number, f"{family}, {given}", item.occasion)
                       for item, number, family, given in items)
        numbers = {item.id: number for item, number, _f, _g in items}
        decisions = tuple(
            Decision(numbers[d.agenda_item_id], d.what, d.who, d.by_when)
            for d in s.execute(select(ConferenceDecision).where(
                ConferenceDecision.agenda_item_id.in_(list(numbers)),
                ConferenceDecision.deleted.is_(False))
                .order_by(ConferenceDecision.agenda_item_id, ConferenceDecision.position))
            .scalars())
        audit.record(s, audit.Kind.RECORD_READ, "conference", conf.uuid, cases=len(agenda))
        return ConferenceView(conf.uuid, conf.title, conf.scheduled_at, conf.place, conf.status,
                              chair, conf.minute_taker_text, participants, agenda, decisions)
