"""Lookups and rules shared by the conference reads and writes: the live conference and its
parts, the status rules, and the consent gate computed inside the caller's session (a write
that discloses decides in the transaction that logs the disclosures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import catalogues
from app.errors import ValidationFailed
from app.services.conferences.records import (
    APPROVED,
    CONFERENCE_PURPOSE,
    DRAFTED,
    HELD,
    PLANNED,
    ConsentGate,
    GateCase,
    GateCell,
    GateInstitution,
)
from app.services.consent.read import decide
from app.services.editing import live
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceParticipant,
    Institution,
    Person,
)

GONE = "Die Fallkonferenz wurde nicht gefunden."
LOCKED_DE = ("Das Protokoll ist freigegeben und kann nicht mehr geändert werden. Korrekturen "
             "sind nur noch als Nachtrag möglich.")
NOT_HELD_DE = "Das geht erst, wenn die Fallkonferenz stattgefunden hat."
ALREADY_HELD_DE = ("Die Fallkonferenz hat bereits stattgefunden: Teilnehmende und Tagesordnung "
                   "können nicht mehr geändert werden.")
RECORDING = frozenset({HELD, DRAFTED})  # the minutes can be written


def live_conference(s: Session, uuid: str) -> Conference:
    return live(s, Conference, uuid, GONE)


def refuse_locked(conf: Conference) -> None:
    if conf.minutes_locked or conf.status == APPROVED:
        raise ValidationFailed(LOCKED_DE, "approved minutes are immutable")


def require_recording(conf: Conference) -> None:
    """Attendance, minutes and decisions: after the conference, before approval."""
    refuse_locked(conf)
    if conf.status not in RECORDING:
        raise ValidationFailed(NOT_HELD_DE, f"conference is {conf.status}, not held")


def require_planned(conf: Conference) -> None:
    refuse_locked(conf)
    if conf.status != PLANNED:
        raise ValidationFailed(ALREADY_HELD_DE, f"conference is {conf.status}, not planned")


def owner(s: Session, vault: Vault) -> CaseManager:
    return s.execute(select(CaseManager).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()


def client_name(person: Person) -> str:
    return f"{person.family_name}, {person.given_names}"


def participants(s: Session, conf: Conference) -> list[ConferenceParticipant]:
    return list(s.execute(select(ConferenceParticipant).where(
        ConferenceParticipant.conference_id == conf.id,
        ConferenceParticipant.deleted.is_(False)).order_by(ConferenceParticipant.id)).scalars())


@dataclass(frozen=True)
class AgendaRow:
    item: ConferenceAgendaItem
    case: CaseFile
    person: Person


def agenda(s: Session, conf: Conference) -> list[AgendaRow]:
    rows = s.execute(
        select(ConferenceAgendaItem, CaseFile, Person)
        .join(CaseFile, CaseFile.id == ConferenceAgendaItem.case_id)
        .join(Person, Person.id == CaseFile.person_id)
        .where(ConferenceAgendaItem.conference_id == conf.id,
               ConferenceAgendaItem.deleted.is_(False), CaseFile.deleted.is_(False))
        .order_by(ConferenceAgendaItem.position, ConferenceAgendaItem.id)).all()
    return [AgendaRow(item, case, person) for item, case, person in rows]


def live_agenda_item(s: Session, uuid: str) -> tuple[ConferenceAgendaItem, Conference]:
    item = live(s, ConferenceAgendaItem, uuid, "Der Fall steht nicht (mehr) auf der "
                                               "Tagesordnung.")
    conf = s.get(Conference, item.conference_id)
    if conf is None or conf.deleted:
        raise ValidationFailed(GONE, "conference of the agenda item is gone")
    return item, conf


def institutions_of(s: Session, people: list[ConferenceParticipant]) -> list[Institution]:
    """The participating institutions, in the order of their first participant. The client
    and an interpreter are no institution: nothing is disclosed "to" them by a consent."""
    ids = list(dict.fromkeys(p.institution_id for p in people if p.institution_id is not None
                             and not p.is_client and not p.is_interpreter))
    if not ids:
        return []
    found = {i.id: i for i in s.execute(select(Institution).where(
        Institution.id.in_(ids), Institution.deleted.is_(False))).scalars()}
    return [found[i] for i in ids if i in found]


def gate_day(conf: Conference, today: date) -> date:
    """The day the gate decides for: the day it was held; for a planned conference its day
    (a consent that ends before it does not cover it), else today (a copy handed out now is
    a disclosure now)."""
    if conf.status == PLANNED:
        return max(today, conf.scheduled_at.astimezone().date())
    return today


def gate_in_session(s: Session, conf: Conference, on: date) -> ConsentGate:
    """Every agenda case × every participating institution: ``decide`` per category."""
    rows = agenda(s, conf)
    insts = institutions_of(s, participants(s, conf))
    kinds = {k.code: k.label for k in catalogues.institution_kinds()}
    cells = []
    for row in rows:
        for inst in insts:
            decisions = tuple((code, decide(s, row.case, inst, code, CONFERENCE_PURPOSE, on))
                              for code in row.item.data_categories)
            missing = tuple(code for code, d in decisions if not d.allowed)
            warnings = tuple(dict.fromkeys(w for _c, d in decisions for w in d.warnings))
            cells.append(GateCell(row.case.id, inst.uuid, decisions,
                                  bool(decisions) and not missing, missing, warnings))
    return ConsentGate(
        on,
        tuple(GateCase(r.case.id, r.case.uuid, r.case.case_number, client_name(r.person),
                       tuple(r.item.data_categories)) for r in rows),
        tuple(GateInstitution(i.uuid, i.name, kinds.get(i.kind, i.kind)) for i in insts),
        tuple(cells))


def fully_covered(gate: ConsentGate, institution_uuid: str | None) -> bool:
    """May this institution receive the full minutes: covered for every case on the agenda."""
    if institution_uuid is None:
        return False
    covered = gate.covered_cases(institution_uuid)
    return all(c.case_id in covered for c in gate.cases)
