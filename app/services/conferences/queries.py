"""Lookups, rules and steps shared by the conference reads and writes: the live conference and
its parts, the status rules, checked input, the consent gate computed inside the caller's
session (a write that discloses decides in the transaction that logs the disclosures), and the
disclosure and follow-up steps the writes take inside their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.conferences_text import REVIEW_TASK_TITLE, NameScrubber, name_tokens
from app.errors import ValidationFailed
from app.services.conferences.records import (
    APPROVED,
    CONFERENCE_PURPOSE,
    DRAFTED,
    FULL,
    HELD,
    PLANNED,
    ConferencePlan,
    ConsentGate,
    GateCase,
    GateCell,
    GateInstitution,
    ParticipantInput,
)
from app.services.consent.queries import check_categories
from app.services.consent.read import decide
from app.services.consent.write import disclose_in_session
from app.services.editing import apply_changes, live, required, tombstone
from app.vault.store import Vault
from db.folding import fold_search
from db.models import (
    CaseFile,
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceParticipant,
    Contact,
    Disclosure,
    Institution,
    Person,
    Task,
)

GONE = "Die Fallkonferenz wurde nicht gefunden."
LOCKED_DE = ("Das Protokoll ist freigegeben und kann nicht mehr geändert werden. Korrekturen "
             "sind nur noch als Nachtrag möglich.")
NOT_HELD_DE = "Das geht erst, wenn die Fallkonferenz stattgefunden hat."
ALREADY_HELD_DE = ("Die Fallkonferenz hat bereits stattgefunden: Teilnehmende und Tagesordnung "
                   "können nicht mehr geändert werden.")
FULL_REFUSED_DE = ("Diese Person erhält nur die pseudonymisierte Fassung: Ihre Einrichtung ist "
                   "nicht für jeden Fall der Fallkonferenz durch eine Einwilligung oder "
                   "Rechtsgrundlage gedeckt.")
RECORDING = frozenset({HELD, DRAFTED})  # the minutes can be written
DECISION_SOURCE = "conference_decision"  # task.source of a decision's task
REVIEW_SOURCE = "conference_review"  # task.source of the next review after a conference


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


def blocked_cases(s: Session, conf: Conference, on: date) -> int:
    """The number of agenda cases no participating institution is covered for: the gate's
    answer for the list, stopping at the first covered institution of each case and the first
    refused category of each institution (the list shows many conferences at once)."""
    insts = institutions_of(s, participants(s, conf))
    return sum(1 for row in agenda(s, conf) if not any(
        row.item.data_categories and all(
            decide(s, row.case, inst, code, CONFERENCE_PURPOSE, on).allowed
            for code in row.item.data_categories)
        for inst in insts))


def institution_uuid(s: Session, p: ConferenceParticipant) -> str | None:
    """The uuid of the institution a participant speaks for (none for client, interpreter)."""
    if p.institution_id is None or p.is_client or p.is_interpreter:
        return None
    inst = s.get(Institution, p.institution_id)
    return inst.uuid if inst is not None and not inst.deleted else None


def visible_cases(s: Session, gate: ConsentGate, p: ConferenceParticipant,
                  rows: list[AgendaRow]) -> frozenset[int]:
    """The agenda cases this participant may see in the minutes: an institution's the cases
    it is covered for, the client's their own (a client participant carries the name of a
    person on the agenda), an interpreter's none."""
    if p.is_client:
        return frozenset(r.case.id for r in rows if client_name(r.person) == p.name)
    inst = institution_uuid(s, p)
    return gate.covered_cases(inst) if inst is not None else frozenset()


def sees_all(visible: frozenset[int], rows: list[AgendaRow]) -> bool:
    return bool(rows) and all(r.case.id in visible for r in rows)


def chair_name(s: Session, conf: Conference) -> str | None:
    if conf.chair_staff_id is not None:
        staff = s.get(CaseManager, conf.chair_staff_id)
        if staff is not None and not staff.deleted:
            return staff.display_name
    return conf.chair_text


def recipient_rows(s: Session, conf: Conference, gate: ConsentGate, rows: list[AgendaRow]
                   ) -> list[tuple[ConferenceParticipant, frozenset[int]]]:
    return [(p, visible_cases(s, gate, p, rows)) for p in participants(s, conf)]


def institution_name(s: Session, institution_id: int | None) -> str | None:
    inst = s.get(Institution, institution_id) if institution_id is not None else None
    return inst.name if inst is not None else None


def all_names(s: Session) -> NameScrubber:
    """Every name of every person in the vault (clients and their households)."""
    return NameScrubber(name_tokens(
        name for row in s.execute(select(Person.given_names, Person.family_name,
                                         Person.birth_name).where(Person.deleted.is_(False)))
        for name in row))


def event_sequence(s: Session, conf: Conference) -> int:
    """iCalendar SEQUENCE: the change events of the conference row and of its participants
    (added, changed, removed) since creation; it only grows, so a calendar takes the newer."""
    events = sum(int(v) for v in (conf.version_vector or {}).values()) - 1
    for vector in s.execute(select(ConferenceParticipant.version_vector).where(
            ConferenceParticipant.conference_id == conf.id)).scalars():
        events += sum(int(v) for v in (vector or {}).values())
    return max(events, 0)


# --- checked input ---------------------------------------------------------------------------

def plan_values(s: Session, plan: ConferencePlan) -> dict[str, Any]:
    title = required(plan.title, "Bitte einen Titel für die Fallkonferenz angeben.", "title")
    if not isinstance(plan.scheduled_at, datetime) or plan.scheduled_at.tzinfo is None:
        raise ValidationFailed("Bitte Datum und Uhrzeit der Fallkonferenz angeben.",
                               "scheduled_at missing or without time zone",
                               field="scheduled_at")
    staff_id = None
    if plan.chair_staff_uuid:
        staff_id = live(s, CaseManager, plan.chair_staff_uuid,
                        "Die Moderation (Kollegin / Kollege) wurde nicht gefunden.").id
    return {"title": title, "scheduled_at": plan.scheduled_at,
            "place": (plan.place or "").strip() or None, "chair_staff_id": staff_id,
            "chair_text": None if staff_id else (plan.chair_text or "").strip() or None,
            "minute_taker_text": (plan.minute_taker_text or "").strip() or None}


def participant_values(s: Session, p: ParticipantInput, clients: dict[str, str]
                       ) -> dict[str, Any]:
    """The stored values of one participant; ``clients``: folded name -> name as stored, of
    the persons of the cases on the agenda."""
    kinds = sum(bool(x) for x in (p.contact_uuid, p.is_client, p.is_interpreter))
    if kinds > 1 or (kinds and p.institution_uuid and not p.contact_uuid):
        raise ValidationFailed("Eine teilnehmende Person ist entweder Ansprechperson einer "
                               "Einrichtung, die Klientin / der Klient oder dolmetscht.",
                               "participant of several kinds", field="participants")
    values: dict[str, Any] = {"role": (p.role or "").strip() or None, "contact_id": None,
                              "institution_id": None, "language": None,
                              "is_client": p.is_client, "is_interpreter": p.is_interpreter}
    if p.contact_uuid:
        contact = live(s, Contact, p.contact_uuid,
                       "Die Ansprechperson ist nicht mehr im Verzeichnis. Bitte neu auswählen.")
        inst = s.get(Institution, contact.institution_id)
        if inst is None or inst.deleted:
            raise ValidationFailed("Die Einrichtung der Ansprechperson ist nicht mehr im "
                                   "Verzeichnis.", "contact's institution gone",
                                   field="participants")
        values.update(name=contact.name, contact_id=contact.id, institution_id=inst.id,
                      role=values["role"] or contact.role)
    elif p.is_client:
        folded = fold_search(p.name)
        if not folded and len(set(clients.values())) == 1:
            folded = next(iter(clients))
        if folded not in clients:
            raise ValidationFailed("Als Klient:in kann nur die Person eines Falls auf der "
                                   "Tagesordnung teilnehmen.", "client not on the agenda",
                                   field="participants")
        values["name"] = clients[folded]
    elif p.is_interpreter:
        if p.language not in {lang.code for lang in catalogues.languages()}:
            raise ValidationFailed("Bitte die Sprache der Dolmetschung angeben.",
                                   "interpreter without language", field="language")
        values.update(name=required(p.name, "Bitte den Namen angeben.", "name"),
                      language=p.language)
    elif p.institution_uuid:
        values.update(name=required(p.name, "Bitte den Namen angeben.", "name"),
                      institution_id=live(s, Institution, p.institution_uuid,
                                          "Die Einrichtung ist nicht mehr im Verzeichnis.").id)
    else:
        raise ValidationFailed("Bitte eine Ansprechperson oder Einrichtung aus dem Verzeichnis "
                               "wählen.", "participant without institution",
                               field="participants")
    return values


def agenda_categories(codes: tuple[str, ...]) -> list[str]:
    check_categories(list(codes))
    order = [c.code for c in catalogues.data_categories()]
    return sorted(dict.fromkeys(codes), key=order.index)


def aware(value: object, message_de: str, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationFailed(message_de, f"{field} missing or without time zone", field=field)
    return value


def text_or_none(value: str | None) -> str | None:
    return (value or "").strip() or None


# --- steps of the writes (inside their transaction) ----------------------------------------

def disclose(s: Session, conf: Conference, row: AgendaRow, inst: Institution, channel: str,
             at: datetime, acknowledged: bool, **detail: str) -> int:
    """Log the disclosure of the case's agenda categories to the institution (decided again in
    this transaction), linked to the conference; returns the number of rows."""
    logged = disclose_in_session(s, row.case, inst, list(row.item.data_categories),
                                 CONFERENCE_PURPOSE, channel, at, acknowledged,
                                 conference=conf.uuid, **detail)
    for disclosure in logged:
        disclosure.conference_id = conf.id
    return len(logged)


def review_task(s: Session, case: CaseFile, conf: Conference, old: date | None,
                new: date | None) -> None:
    """The next review date as an open task of the case (found again by its date)."""
    task = None if old is None else s.execute(select(Task).where(
        Task.case_id == case.id, Task.source == REVIEW_SOURCE, Task.title == REVIEW_TASK_TITLE,
        Task.due_on == old, Task.done_on.is_(None), Task.deleted.is_(False))).scalars().first()
    if new is None:
        if task is not None:
            tombstone(s, task, case=case.uuid)
        return
    if task is not None:
        apply_changes(s, task, {"due_on": new})
        return
    held = (conf.held_at or conf.scheduled_at).astimezone()
    task = Task(case_id=case.id, title=REVIEW_TASK_TITLE, due_on=new, source=REVIEW_SOURCE,
                details=f"Fallkonferenz vom {held:%d.%m.%Y}")
    s.add(task)
    s.flush()
    audit.record(s, audit.Kind.RECORD_CREATED, "task", task.uuid, case=case.uuid,
                 conference=conf.uuid)


def hand_out(s: Session, vault: Vault, conf: Conference, p: ConferenceParticipant,
             version: str, action: str, acknowledged: bool) -> int:
    """Log a copy of the minutes handed to the participant's institution as a disclosure of
    every case it may see, as of today; returns the number of disclosure rows."""
    rows = agenda(s, conf)
    gate = gate_in_session(s, conf, vault.clock.today())
    visible = visible_cases(s, gate, p, rows)
    if version == FULL and not sees_all(visible, rows):
        raise ValidationFailed(FULL_REFUSED_DE, "recipient not covered for every case")
    inst_uuid = institution_uuid(s, p)
    if inst_uuid is None:
        return 0  # the client's own case, an interpreter: no institution is told anything
    inst = live(s, Institution, inst_uuid, "Die Einrichtung wurde nicht gefunden.")
    acknowledged = acknowledged or bool(s.execute(select(Disclosure.id).where(
        Disclosure.conference_id == conf.id, Disclosure.institution_id == inst.id,
        Disclosure.warning_acknowledged.is_(True))).first())
    channel = "print" if action == "print" else "export"
    return sum(disclose(s, conf, r, inst, channel, vault.clock.now(), acknowledged,
                        output=action) for r in rows if r.case.id in visible)
