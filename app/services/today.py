"""What "Heute" shows: due follow-ups, expiring statuses and consents, quiet cases, conferences.

Every list is computed with a few set-based queries (no query per case beyond what
``due_follow_ups`` does), and each item says which case and which part of it to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import catalogues
from app.services.account import last_backup
from app.services.deadlines import CONSENT_LEAD_DAYS
from app.services.followups import due_follow_ups
from app.vault.store import Vault
from db.models import (
    CaseFile,
    Conference,
    ConferenceAgendaItem,
    Consent,
    Institution,
    JournalEntry,
    Person,
    ResidenceStatus,
)

UPCOMING_DAYS = 14
CONFERENCE_DAYS = 30
BACKUP_REMINDER_DAYS = 7
LIST_LIMIT = 300  # per list; the counts stay exact


@dataclass(frozen=True)
class TodayItem:
    case_id: int
    case_number: str
    client: str  # "Familienname, Vornamen"
    on: date  # due date, expiry date or date of the last contact
    text: str
    section: str  # part of the case file to open: tasks / status / consents / journal


@dataclass(frozen=True)
class ConferenceItem:
    uuid: str
    title: str
    scheduled_at: datetime
    place: str | None
    cases: tuple[tuple[int, str], ...]  # (case id, case number) on the agenda


@dataclass(frozen=True)
class TodayOverview:
    today: date
    overdue: list[TodayItem]
    upcoming: list[TodayItem]
    statuses: list[TodayItem]
    consents: list[TodayItem]
    quiet: list[TodayItem]
    quiet_total: int
    conferences: list[ConferenceItem]
    status_window_days: int
    quiet_weeks: int
    last_backup: datetime | None
    backup_due: bool


def _open_cases() -> ColumnElement[bool]:
    return and_(CaseFile.deleted.is_(False), CaseFile.phase != "closed")


def _client(family: str, given: str) -> str:
    return f"{family}, {given}"


def _case_labels(s: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    labels: dict[int, tuple[str, str]] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):  # stay below SQLite's bound-parameter limit
        chunk = ordered[start:start + 500]
        for cid, number, family, given in s.execute(
                select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names)
                .join(Person, Person.id == CaseFile.person_id).where(CaseFile.id.in_(chunk))):
            labels[cid] = (number, _client(family, given))
    return labels


def _follow_ups(vault: Vault, today: date) -> tuple[list[TodayItem], list[TodayItem]]:
    items = due_follow_ups(vault, today, UPCOMING_DAYS)
    with vault.session() as s:
        labels = _case_labels(s, {f.case_id for f in items})
    rows = [TodayItem(f.case_id, *labels.get(f.case_id, ("", "")), f.due_on, f.title, "tasks")
            for f in items]
    return [r for r in rows if r.on < today], [r for r in rows if r.on >= today]


def _statuses(s: Session, today: date, days: int) -> list[TodayItem]:
    newer = aliased(ResidenceStatus)
    current = ~exists().where(
        newer.person_id == ResidenceStatus.person_id, newer.deleted.is_(False),
        or_(newer.valid_from > ResidenceStatus.valid_from,
            and_(ResidenceStatus.valid_from.is_(None), newer.valid_from.is_not(None))))
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               ResidenceStatus.kind, ResidenceStatus.valid_until)
        .join(Person, Person.id == CaseFile.person_id)
        .join(ResidenceStatus, ResidenceStatus.person_id == CaseFile.person_id)
        .where(_open_cases(), ResidenceStatus.deleted.is_(False),
               ResidenceStatus.valid_until.between(today, today + timedelta(days=days)), current)
        .order_by(ResidenceStatus.valid_until, CaseFile.id).limit(LIST_LIMIT)).all()
    labels = {k.code: k.short_label for k in catalogues.status_kinds()}
    return [TodayItem(cid, number, _client(family, given), until,
                      f"{labels.get(kind, kind)} gültig bis {until:%d.%m.%Y}", "status")
            for cid, number, family, given, kind, until in rows]


def _consents(s: Session, today: date) -> list[TodayItem]:
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               Institution.name, Consent.valid_until)
        .join(Person, Person.id == CaseFile.person_id)
        .join(Consent, Consent.person_id == CaseFile.person_id)
        .join(Institution, Institution.id == Consent.institution_id)
        .where(_open_cases(), Consent.deleted.is_(False), Consent.withdrawn_on.is_(None),
               Consent.valid_until.between(today, today + timedelta(days=CONSENT_LEAD_DAYS)))
        .order_by(Consent.valid_until, CaseFile.id).limit(LIST_LIMIT)).all()
    return [TodayItem(cid, number, _client(family, given), until,
                      f"Einwilligung gegenüber {inst} gültig bis {until:%d.%m.%Y}", "consents")
            for cid, number, family, given, inst, until in rows]


def _quiet(s: Session, now: datetime, weeks: int) -> tuple[list[TodayItem], int]:
    cutoff = now - timedelta(weeks=weeks)
    # One grouped pass over the (case_id, occurred_at) index instead of a query per case.
    last = (select(JournalEntry.case_id, func.max(JournalEntry.occurred_at).label("last"))
            .where(JournalEntry.deleted.is_(False)).group_by(JournalEntry.case_id).subquery())
    quiet = or_(last.c.last < cutoff,
                and_(last.c.last.is_(None), CaseFile.opened_on < cutoff.date()))
    base = (select(CaseFile.id).outerjoin(last, last.c.case_id == CaseFile.id)
            .where(_open_cases(), quiet))
    total = s.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               last.c.last, CaseFile.opened_on)
        .join(Person, Person.id == CaseFile.person_id)
        .outerjoin(last, last.c.case_id == CaseFile.id).where(_open_cases(), quiet)
        .order_by(func.coalesce(last.c.last, CaseFile.opened_on), CaseFile.id)
        .limit(LIST_LIMIT)).all()
    items = []
    for cid, number, family, given, last_at, opened in rows:
        if last_at is None:
            items.append(TodayItem(cid, number, _client(family, given), opened,
                                   f"Noch kein Kontakt seit Fallbeginn am {opened:%d.%m.%Y}",
                                   "journal"))
        else:
            items.append(TodayItem(cid, number, _client(family, given), last_at.date(),
                                   f"Letzter Kontakt am {last_at:%d.%m.%Y}", "journal"))
    return items, int(total)


def _conferences(s: Session, now: datetime) -> list[ConferenceItem]:
    confs = s.execute(select(Conference).where(
        Conference.deleted.is_(False), Conference.status == "planned",
        Conference.scheduled_at.between(now, now + timedelta(days=CONFERENCE_DAYS)))
        .order_by(Conference.scheduled_at)).scalars().all()
    agenda: dict[int, list[tuple[int, str]]] = {}
    if confs:
        for conf_id, cid, number in s.execute(
                select(ConferenceAgendaItem.conference_id, CaseFile.id, CaseFile.case_number)
                .join(CaseFile, CaseFile.id == ConferenceAgendaItem.case_id)
                .where(ConferenceAgendaItem.conference_id.in_([c.id for c in confs]),
                       ConferenceAgendaItem.deleted.is_(False), CaseFile.deleted.is_(False))
                .order_by(ConferenceAgendaItem.position)):
            agenda.setdefault(conf_id, []).append((cid, number))
    return [ConferenceItem(c.uuid, c.title, c.scheduled_at, c.place, tuple(agenda.get(c.id, [])))
            for c in confs]


def today_overview(vault: Vault, *, status_window_days: int = 30,
                   quiet_weeks: int = 6) -> TodayOverview:
    today, now = vault.clock.today(), vault.clock.now()
    overdue, upcoming = _follow_ups(vault, today)
    with vault.session() as s:
        statuses = _statuses(s, today, status_window_days)
        consents = _consents(s, today)
        quiet, quiet_total = _quiet(s, now, quiet_weeks)
        conferences = _conferences(s, now)
    backed_up = last_backup(vault)
    due = backed_up is None or now - backed_up > timedelta(days=BACKUP_REMINDER_DAYS)
    return TodayOverview(today, overdue, upcoming, statuses, consents, quiet, quiet_total,
                         conferences, status_window_days, quiet_weeks, backed_up, due)
