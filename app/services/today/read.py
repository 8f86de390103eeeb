"""What "Heute" shows: due follow-ups, expiring statuses and consents, quiet cases, conferences.

Every list is a few set-based queries over date indexes (migrations 0002/0003), cut to
LIST_LIMIT items with exact totals, so Heute fills in well under a second at 100,000 cases.
Each item says which case and which part of it to open.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, func, select
from sqlalchemy.orm import Session

from app import catalogues
from app.services.account.read import last_backup
from app.services.cases.read import sort_expr
from app.services.tasks.queries import (
    CONSENT_LEAD_DAYS,
    Window,
    computed_follow_ups,
    current_consent,
    current_status,
    follow_ups,
    run_tasks,
    task_query,
)
from app.services.tasks.records import FollowUp
from app.services.today.records import ConferenceItem, TodayItem, TodayOverview
from app.vault.store import Vault
from db.models import (
    CaseFile,
    Conference,
    ConferenceAgendaItem,
    Consent,
    Institution,
    Person,
    ResidenceStatus,
    Task,
)

UPCOMING_DAYS = 14
CONFERENCE_DAYS = 30
BACKUP_REMINDER_DAYS = 7
LIST_LIMIT = 300  # per list; the counts stay exact


def _open_cases() -> ColumnElement[bool]:
    # "= 0" and "!=" exactly as in the partial indexes' WHERE (migrations 0002/0003).
    return and_(CaseFile.deleted == false(), CaseFile.phase != "closed")


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


def _items(s: Session, follow: list[FollowUp]) -> list[TodayItem]:
    labels = _case_labels(s, {f.case_id for f in follow})
    return [TodayItem(f.case_id, *labels.get(f.case_id, ("", "")), f.due_on, f.title, "tasks")
            for f in follow]


def _overdue(s: Session, today: date) -> tuple[list[TodayItem], int]:
    """The earliest overdue follow-ups and the number of cases with any.

    ``next_deadline`` is each case's earliest open follow-up, so the first LIST_LIMIT cases in
    its order hold the first LIST_LIMIT overdue items; only their follow-ups are computed.
    """
    deadline = sort_expr("next_deadline")
    late = and_(_open_cases(), deadline < today)
    cases = int(s.execute(select(func.count()).select_from(CaseFile).where(late)).scalar_one())
    ids = list(s.execute(select(CaseFile.id).where(late).order_by(deadline, CaseFile.id)
                         .limit(LIST_LIMIT)).scalars())
    follow = follow_ups(s, ids, until=today - timedelta(days=1))[:LIST_LIMIT]
    return _items(s, follow), cases


def _upcoming(s: Session, today: date) -> tuple[list[TodayItem], int]:
    """Follow-ups due in the next UPCOMING_DAYS: each kind read through its date index."""
    window = Window(today, today + timedelta(days=UPCOMING_DAYS))
    tasks = task_query(None, window)
    total = int(s.execute(select(func.count()).select_from(tasks.subquery())).scalar_one())
    follow = run_tasks(s, tasks.order_by(Task.due_on, Task.case_id).limit(LIST_LIMIT))
    computed = computed_follow_ups(s, None, window)
    total += len(computed)
    ordered = sorted(follow + computed, key=lambda f: (f.due_on, f.case_id, f.kind))
    return _items(s, ordered[:LIST_LIMIT]), total


def _statuses(s: Session, today: date, days: int) -> tuple[list[TodayItem], int]:
    where = and_(_open_cases(), ResidenceStatus.deleted.is_(False),
                 ResidenceStatus.valid_until.between(today, today + timedelta(days=days)),
                 current_status())
    joined = (select(CaseFile.id).join(ResidenceStatus,
                                       ResidenceStatus.person_id == CaseFile.person_id)
              .where(where))
    total = int(s.execute(select(func.count()).select_from(joined.subquery())).scalar_one())
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               ResidenceStatus.kind, ResidenceStatus.valid_until)
        .join(Person, Person.id == CaseFile.person_id)
        .join(ResidenceStatus, ResidenceStatus.person_id == CaseFile.person_id).where(where)
        .order_by(ResidenceStatus.valid_until, CaseFile.id).limit(LIST_LIMIT)).all()
    labels = {k.code: k.short_label for k in catalogues.status_kinds()}
    return [TodayItem(cid, number, _client(family, given), until,
                      f"{labels.get(kind, kind)} gültig bis {until:%d.%m.%Y}", "status")
            for cid, number, family, given, kind, until in rows], total


def _consents(s: Session, today: date) -> tuple[list[TodayItem], int]:
    # "= 0" as in ix_consent_live_until; a renewed consent no longer counts (current_consent).
    where = and_(_open_cases(), Consent.deleted == false(), Consent.withdrawn_on.is_(None),
                 Consent.valid_until.between(today, today + timedelta(days=CONSENT_LEAD_DAYS)),
                 current_consent())
    joined = select(CaseFile.id).join(Consent, Consent.person_id == CaseFile.person_id).where(
        where)
    total = int(s.execute(select(func.count()).select_from(joined.subquery())).scalar_one())
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               Institution.name, Consent.valid_until)
        .join(Person, Person.id == CaseFile.person_id)
        .join(Consent, Consent.person_id == CaseFile.person_id)
        .join(Institution, Institution.id == Consent.institution_id).where(where)
        .order_by(Consent.valid_until, CaseFile.id).limit(LIST_LIMIT)).all()
    return [TodayItem(cid, number, _client(family, given), until,
                      f"Einwilligung gegenüber {inst} gültig bis {until:%d.%m.%Y}", "consents")
            for cid, number, family, given, inst, until in rows], total


def _quiet(s: Session, now: datetime, weeks: int) -> tuple[list[TodayItem], int]:
    cutoff = now - timedelta(weeks=weeks)
    # The expression of ix_case_quiet (migration 0003): the last contact, or the opening day
    # of a case nobody has met yet; ISO text, so a date sorts before that day's contacts.
    since = func.coalesce(CaseFile.last_contact_at, CaseFile.opened_on)
    quiet = and_(_open_cases(), since < cutoff)
    total = s.execute(select(func.count()).select_from(CaseFile).where(quiet)).scalar_one()
    rows = s.execute(
        select(CaseFile.id, CaseFile.case_number, Person.family_name, Person.given_names,
               CaseFile.last_contact_at, CaseFile.opened_on)
        .join(Person, Person.id == CaseFile.person_id).where(quiet)
        .order_by(since, CaseFile.id).limit(LIST_LIMIT)).all()
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
    with vault.read_session() as s:
        overdue, overdue_cases = _overdue(s, today)
        upcoming, upcoming_total = _upcoming(s, today)
        statuses, statuses_total = _statuses(s, today, status_window_days)
        consents, consents_total = _consents(s, today)
        quiet, quiet_total = _quiet(s, now, quiet_weeks)
        conferences = _conferences(s, now)
    backed_up = last_backup(vault)
    due = backed_up is None or now - backed_up > timedelta(days=BACKUP_REMINDER_DAYS)
    return TodayOverview(today, overdue, overdue_cases, upcoming, upcoming_total, statuses,
                         statuses_total, consents, consents_total, quiet, quiet_total,
                         conferences, status_window_days, quiet_weeks, backed_up, due)
