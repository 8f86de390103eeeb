"""Conferences as the pages show them: the list, one conference (an audited read: it shows
the clients on its agenda; the audit names the conference's uuid and the number of cases only),
the consent gate, the minutes as a document and the invitation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.conferences_text import (
    DEFAULT_DURATION_MINUTES,
    EVENT_TITLE,
    NameScrubber,
    event_title,
    initials,
    name_tokens,
)
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.conferences.queries import (
    FULL_REFUSED_DE,
    NOT_HELD_DE,
    AgendaRow,
    agenda,
    all_names,
    blocked_cases,
    chair_name,
    client_name,
    event_sequence,
    gate_day,
    gate_in_session,
    institution_name,
    live_conference,
    owner,
    participants,
    recipient_rows,
    sees_all,
    visible_cases,
)
from app.services.conferences.records import (
    APPROVED,
    ATTENDANCE_LABELS,
    FULL,
    PLANNED,
    PSEUDONYMISED,
    STATUS_LABELS,
    AgendaDetail,
    AmendmentDetail,
    CalendarAttendee,
    CalendarEvent,
    CaseMinutes,
    ConferenceDetail,
    ConferenceFilter,
    ConferenceRow,
    ConsentGate,
    DecisionDetail,
    MinutesCase,
    MinutesDecision,
    MinutesDocument,
    MinutesParticipant,
    MinutesRecipient,
    ParticipantDetail,
)
from app.services.editing import live
from app.vault.store import Vault
from db.folding import fold_search
from db.models import (
    CaseFile,
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceAmendment,
    ConferenceDecision,
    ConferenceDistribution,
    ConferenceParticipant,
    Contact,
    Institution,
    Task,
)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _counts(s: Session, column: Any, ids: list[int], *where: Any) -> dict[int, int]:
    if not ids:
        return {}
    return {cid: n for cid, n in s.execute(
        select(column, func.count()).where(column.in_(ids), *where)
        .group_by(column)).all()}


def _rows(s: Session, vault: Vault, confs: list[Conference]) -> list[ConferenceRow]:
    ids = [c.id for c in confs]
    cases = _counts(s, ConferenceAgendaItem.conference_id, ids,
                    ConferenceAgendaItem.deleted.is_(False),
                    ConferenceAgendaItem.case_id.in_(
                        select(CaseFile.id).where(CaseFile.deleted.is_(False))))
    people = _counts(s, ConferenceParticipant.conference_id, ids,
                     ConferenceParticipant.deleted.is_(False))
    today = vault.clock.today()
    out = []
    for c in confs:
        blocked = 0
        if c.status == PLANNED and cases.get(c.id):
            # Only a planned conference can still be blocked: a held one disclosed already.
            blocked = blocked_cases(s, c, gate_day(c, today))
        out.append(ConferenceRow(c.uuid, c.title, c.scheduled_at, c.place, c.status,
                                 STATUS_LABELS.get(c.status, c.status), chair_name(s, c),
                                 cases.get(c.id, 0), people.get(c.id, 0), blocked))
    return out


def list_conferences(vault: Vault, flt: ConferenceFilter) -> list[ConferenceRow]:
    """Newest first. ``text`` searches title and place only, never client data."""
    if flt.status is not None and flt.status not in STATUS_LABELS:
        raise ValidationFailed("Unbekannter Stand der Fallkonferenz.",
                               f"unknown conference status {flt.status!r}", field="status")
    with vault.read_session() as s:
        query = select(Conference).where(Conference.deleted.is_(False))
        if flt.status is not None:
            query = query.where(Conference.status == flt.status)
        if flt.date_from is not None:
            query = query.where(Conference.scheduled_at >= _local_midnight(flt.date_from))
        if flt.date_until is not None:
            query = query.where(Conference.scheduled_at
                                < _local_midnight(flt.date_until + timedelta(days=1)))
        if flt.only_mine:
            me = owner(s, vault).id
            mine = (select(ConferenceAgendaItem.conference_id)
                    .join(CaseFile, CaseFile.id == ConferenceAgendaItem.case_id)
                    .where(CaseFile.case_manager_id == me, CaseFile.deleted.is_(False),
                           ConferenceAgendaItem.deleted.is_(False)))
            query = query.where(or_(Conference.chair_staff_id == me, Conference.id.in_(mine)))
        confs = list(s.execute(query.order_by(Conference.scheduled_at.desc(),
                                              Conference.id.desc())).scalars())
        needle = fold_search(flt.text)
        if needle:
            confs = [c for c in confs if needle in fold_search(f"{c.title} {c.place or ''}")]
        return _rows(s, vault, confs)


def conferences_of_case(vault: Vault, case_ref: str | int) -> list[ConferenceRow]:
    """The conferences that discussed or will discuss this case, newest first."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        confs = list(s.execute(
            select(Conference).where(Conference.deleted.is_(False), Conference.id.in_(
                select(ConferenceAgendaItem.conference_id).where(
                    ConferenceAgendaItem.case_id == case.id,
                    ConferenceAgendaItem.deleted.is_(False))))
            .order_by(Conference.scheduled_at.desc(), Conference.id.desc())).scalars())
        return _rows(s, vault, confs)


# --- one conference -----------------------------------------------------------------------

def _participant(s: Session, p: ConferenceParticipant) -> ParticipantDetail:
    inst = s.get(Institution, p.institution_id) if p.institution_id is not None else None
    contact = s.get(Contact, p.contact_id) if p.contact_id is not None else None
    return ParticipantDetail(
        p.uuid, p.name, inst.uuid if inst is not None else None,
        inst.name if inst is not None else None, contact.uuid if contact is not None else None,
        p.role, p.attendance, p.is_client, p.is_interpreter, p.language,
        contact.email if contact is not None and not contact.deleted else None)


def _decisions(s: Session, item: ConferenceAgendaItem) -> tuple[DecisionDetail, ...]:
    rows = s.execute(
        select(ConferenceDecision, Task, Institution.uuid)
        .outerjoin(Task, Task.id == ConferenceDecision.task_id)
        .outerjoin(Institution, Institution.id == ConferenceDecision.who_institution_id)
        .where(ConferenceDecision.agenda_item_id == item.id,
               ConferenceDecision.deleted.is_(False))
        .order_by(ConferenceDecision.position, ConferenceDecision.id)).all()
    return tuple(DecisionDetail(
        d.uuid, d.what, d.who, inst_uuid, d.by_when,
        task.uuid if task is not None and not task.deleted else None,
        task is not None and task.done_on is not None) for d, task, inst_uuid in rows)


def _case_minutes(item: ConferenceAgendaItem) -> CaseMinutes:
    return CaseMinutes(item.legal_basis_note, dict(item.state_of_affairs or {}),
                       item.resources_goals, item.disagreements, item.system_gap_notes,
                       item.next_review_on)


def _amendments(s: Session, conf: Conference) -> tuple[AmendmentDetail, ...]:
    return tuple(AmendmentDetail(a.number, a.made_at, a.author_text, a.reason, a.text)
                 for a in s.execute(select(ConferenceAmendment).where(
                     ConferenceAmendment.conference_id == conf.id,
                     ConferenceAmendment.deleted.is_(False))
                     .order_by(ConferenceAmendment.number)).scalars())


def conference_detail(vault: Vault, uuid: str, *, audited: bool = True) -> ConferenceDetail:
    """Everything the conference window shows. The read is audited once per opening: a window
    reloading after its own save passes ``audited=False`` (as a case file's sections do)."""
    with vault.session() as s:
        conf = live_conference(s, uuid)
        staff = s.get(CaseManager, conf.chair_staff_id) if conf.chair_staff_id else None
        items = agenda(s, conf)
        detail = ConferenceDetail(
            conf.uuid, conf.title, conf.scheduled_at, conf.place, conf.status,
            STATUS_LABELS.get(conf.status, conf.status),
            staff.uuid if staff is not None else None, chair_name(s, conf), conf.chair_text,
            conf.minute_taker_text, conf.held_at, conf.approved_on, conf.approved_by_text,
            bool(conf.minutes_locked) or conf.status == APPROVED,
            tuple(_participant(s, p) for p in participants(s, conf)),
            tuple(AgendaDetail(r.item.uuid, r.case.id, r.case.uuid, r.case.case_number,
                               client_name(r.person), r.item.occasion,
                               tuple(r.item.data_categories or ()), _case_minutes(r.item),
                               _decisions(s, r.item)) for r in items),
            _amendments(s, conf))
        if audited:
            audit.record(s, audit.Kind.RECORD_READ, "conference", conf.uuid, cases=len(items))
        return detail


def consent_gate(vault: Vault, uuid: str, on: date | None = None) -> ConsentGate:
    """Per case × institution what ``may_disclose`` says for each category (see ``gate_day``
    for the day when ``on`` is None)."""
    with vault.read_session() as s:
        conf = live_conference(s, uuid)
        return gate_in_session(s, conf, on or gate_day(conf, vault.clock.today()))


# --- the minutes as a document, the recipients, the invitation ----------------------------

def recipients(vault: Vault, uuid: str) -> list[MinutesRecipient]:
    """Per participant the version of the minutes the consent gate allows today."""
    with vault.read_session() as s:
        conf = live_conference(s, uuid)
        rows = agenda(s, conf)
        gate = gate_in_session(s, conf, vault.clock.today())
        return [MinutesRecipient(p.name, institution_name(s, p.institution_id),
                                 FULL if sees_all(visible, rows) else PSEUDONYMISED, p.uuid)
                for p, visible in recipient_rows(s, conf, gate, rows)]


def minutes_document(vault: Vault, uuid: str, version: str = FULL,
                     recipient_uuid: str | None = None) -> MinutesDocument:
    """The minutes as printed. FULL is refused for a recipient the gate does not cover for
    every case; PSEUDONYMISED carries case numbers and initials, leaves the cases the
    recipient may not see empty (withheld), and scrubs every name of every person in the
    vault, dates, phone numbers and addresses from every text."""
    if version not in (FULL, PSEUDONYMISED):
        raise ValidationFailed("Unbekannte Fassung des Protokolls.", f"unknown version {version}")
    with vault.read_session() as s:
        conf = live_conference(s, uuid)
        if conf.status == PLANNED:
            raise ValidationFailed(NOT_HELD_DE, "minutes of a conference not held")
        rows = agenda(s, conf)
        gate = gate_in_session(s, conf, vault.clock.today())
        visible = frozenset(r.case.id for r in rows)
        recipient = None
        if recipient_uuid is not None:
            p = live(s, ConferenceParticipant, recipient_uuid,
                     "Die teilnehmende Person wurde nicht gefunden.")
            if p.conference_id != conf.id:
                raise ValidationFailed("Die Person nimmt an dieser Fallkonferenz nicht teil.",
                                       "recipient of another conference")
            visible = visible_cases(s, gate, p, rows)
            if version == FULL and not sees_all(visible, rows):
                raise ValidationFailed(FULL_REFUSED_DE, "recipient not covered for every case")
            inst = institution_name(s, p.institution_id)
            recipient = f"{p.name} ({inst})" if inst else p.name
        scrubber = all_names(s) if version == PSEUDONYMISED else None
        return _build_minutes(s, vault, conf, rows, visible, version, recipient, scrubber)


def _build_minutes(s: Session, vault: Vault, conf: Conference, rows: list[AgendaRow],
                  visible: frozenset[int], version: str, recipient: str | None,
                  scrubber: NameScrubber | None) -> MinutesDocument:
    def t(value: str | None) -> str | None:
        return scrubber.scrub(value) if scrubber is not None else value

    def label(r: AgendaRow) -> str:
        who = initials(r.person.given_names, r.person.family_name) if scrubber is not None \
            else client_name(r.person)
        return f"{r.case.case_number} – {who}"

    categories = {c.code: c.label for c in catalogues.data_categories()}
    insts = {i.uuid: t(i.name) for i in s.execute(select(Institution)).scalars()}
    cases = []
    for r in rows:
        if r.case.id not in visible:
            cases.append(MinutesCase(label(r), True))
            continue
        item = r.item
        decisions = tuple(
            MinutesDecision(label(r), t(d.what) or "", t(d.who) or "", d.by_when)
            for d in s.execute(select(ConferenceDecision).where(
                ConferenceDecision.agenda_item_id == item.id,
                ConferenceDecision.deleted.is_(False))
                .order_by(ConferenceDecision.position, ConferenceDecision.id)).scalars())
        cases.append(MinutesCase(
            label(r), False, t(item.occasion),
            tuple(categories.get(c, c) for c in item.data_categories or ()),
            t(item.legal_basis_note),
            tuple((insts.get(k) or "Einrichtung", t(str(v)) or "")
                  for k, v in (item.state_of_affairs or {}).items()),
            t(item.resources_goals), decisions, t(item.disagreements),
            t(item.system_gap_notes), item.next_review_on))
    people = tuple(MinutesParticipant(t(p.name) or "", t(institution_name(s, p.institution_id)),
                                      t(p.role), ATTENDANCE_LABELS.get(p.attendance or "", ""))
                   for p in participants(s, conf))
    if conf.minutes_locked:
        distribution = tuple(
            MinutesRecipient(t(d.recipient_name) or "", t(institution_name(s, d.institution_id)),
                             PSEUDONYMISED if d.pseudonymised else FULL)
            for d in s.execute(select(ConferenceDistribution).where(
                ConferenceDistribution.conference_id == conf.id,
                ConferenceDistribution.deleted.is_(False))
                .order_by(ConferenceDistribution.id)).scalars())
    else:
        gate = gate_in_session(s, conf, vault.clock.today())
        distribution = tuple(
            MinutesRecipient(t(p.name) or "", t(institution_name(s, p.institution_id)),
                             FULL if sees_all(seen, rows) else PSEUDONYMISED)
            for p, seen in recipient_rows(s, conf, gate, rows))
    try:
        municipality = catalogues.municipality(vault.info.municipality).authority
    except catalogues.UnknownCode:
        municipality = vault.info.municipality
    return MinutesDocument(
        conf.uuid, municipality, t(conf.title) or "", conf.scheduled_at, t(conf.place),
        t(chair_name(s, conf)), t(conf.minute_taker_text), conf.status,
        STATUS_LABELS.get(conf.status, conf.status), conf.status != APPROVED, version,
        t(recipient), people, tuple(cases), distribution,
        tuple(AmendmentDetail(a.number, a.made_at, t(a.author), t(a.reason) or "",
                              t(a.text) or "") for a in _amendments(s, conf)),
        conf.approved_on, t(conf.approved_by_text), vault.clock.now())


def calendar_event(vault: Vault, uuid: str) -> CalendarEvent:
    """The invitation: no client name, no case number. A title, place or chair naming a person
    on the agenda or a case number is replaced ("Fallkonferenz am …" / left out)."""
    with vault.read_session() as s:
        conf = live_conference(s, uuid)
        rows = agenda(s, conf)
        names = NameScrubber(name_tokens(
            n for r in rows for n in (r.person.given_names, r.person.family_name,
                                      r.person.birth_name)))
        numbers = [r.case.case_number for r in rows]
        day = conf.scheduled_at.astimezone()
        title = event_title(conf.title, names, numbers, f"{EVENT_TITLE} am {day:%d.%m.%Y}")

        def safe(value: str | None) -> str | None:
            return None if value is None or event_title(value, names, numbers, "") == "" \
                else value

        attendees = []
        for p in participants(s, conf):
            if p.is_client:
                continue
            contact = s.get(Contact, p.contact_id) if p.contact_id is not None else None
            attendees.append(CalendarAttendee(
                safe(p.name) or "Teilnehmende Person",
                contact.email if contact is not None and not contact.deleted else None))
        # The organiser's address makes the file an invitation Outlook can answer (REQUEST):
        # the chair's when the chair is one of the vault's case managers.
        chair = s.get(CaseManager, conf.chair_staff_id) if conf.chair_staff_id else None
        return CalendarEvent(f"{conf.uuid}@lotse", title, conf.scheduled_at,
                             DEFAULT_DURATION_MINUTES, safe(conf.place), safe(chair_name(s, conf)),
                             tuple(attendees), event_sequence(s, conf),
                             organizer_email=chair.email if chair is not None else None)
