"""What "Heute" shows: due follow-ups, expiring statuses and consents, quiet cases, conferences.

Every list is a few set-based queries over date indexes (migrations 0002/0003/0007), cut to
LIST_LIMIT items. Statuses and consents are read by their stored ``current_until`` (only the rows
that count carry one), joined to the open cases through covering indexes: at 100,000 cases the
time goes into encrypted pages read, so every row not read counts.
Counts stop at COUNT_CAP + 1 ("über 1.000"): an exact count of 25,000 due
tasks at 100,000 cases costs a case lookup per task (a quarter of a second each list), and
nobody works through more than a thousand items from one screen. "closed" is written into
the SQL as a literal, as in the partial indexes' WHERE, so SQLite can answer from the index
alone. ``only_mine`` keeps the cases whose case manager is the vault's owner.
Each item says which case and which part of it to open.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app import catalogues
from app.services.account.read import last_backup
from app.services.cases.read import sort_expr
from app.services.tasks.queries import (
    CONSENT_LEAD_DAYS,
    DEFAULT_STATUS_LEAD_DAYS,
    consent_expiry_title,
    follow_ups,
    kinds_by_lead,
    status_expiry_title,
)
from app.services.tasks.records import FollowUp
from app.services.today.records import ConferenceItem, TodayItem, TodayOverview
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
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
LIST_LIMIT = 100  # per list
COUNT_CAP = 1000  # counts beyond it read "über 1.000"
SECTION_OF = {"task": "tasks", "status_expiry": "status", "consent_expiry": "consents"}


def _no_index(col: Any) -> Any:
    """``+col``: SQLite then tests the owner in the entries of the date/quiet index it walks
    instead of reading all of the owner's cases (three quarters of the store) by their own
    index."""
    return UnaryExpression(col, operator=custom_op("+"), type_=col.type)


class Scope:
    """The cases Heute looks at: open ones, and only the owner's when asked."""

    def __init__(self, s: Session, vault: Vault, only_mine: bool) -> None:
        self.owner: int | None = None
        if only_mine:
            self.owner = s.execute(select(CaseManager.id).where(
                CaseManager.uuid == vault.info.owner_uuid)).scalar_one()

    def cases(self) -> ColumnElement[bool]:
        # "= 0" and "!= 'closed'" exactly as in the partial indexes' WHERE (0002/0003).
        where = and_(CaseFile.deleted == false(), CaseFile.phase != literal_column("'closed'"))
        if self.owner is not None:
            where = and_(where, _no_index(CaseFile.case_manager_id) == self.owner)
        return where


def _take(s: Session, query: Select[Any], already: int = 0) -> tuple[list[Any], int]:
    """The first LIST_LIMIT rows of an ordered query and how many there are, counted up to
    COUNT_CAP + 1 together with ``already`` counted elsewhere: one walk of the index for the
    list and its count."""
    rows = list(s.execute(query.limit(max(LIST_LIMIT, COUNT_CAP + 1 - already))).all())
    return rows[:LIST_LIMIT], len(rows)


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
    return [TodayItem(f.case_id, *labels.get(f.case_id, ("", "")), f.due_on, f.title,
                      SECTION_OF.get(f.kind, "tasks"), f.kind, f.source_uuid, f.stored)
            for f in follow]


def _overdue(s: Session, scope: Scope, today: date) -> tuple[list[TodayItem], int]:
    """The earliest overdue follow-ups and the number of cases with any.

    ``next_deadline`` is each case's earliest open follow-up, so the first LIST_LIMIT cases in
    its order hold the first LIST_LIMIT overdue items; only their follow-ups are computed.
    """
    deadline = sort_expr("next_deadline")
    late = and_(scope.cases(), deadline < today)
    cases = int(s.execute(select(func.count()).select_from(CaseFile).where(late)).scalar_one())
    ids = list(s.execute(select(CaseFile.id).where(late).order_by(deadline, CaseFile.id)
                         .limit(LIST_LIMIT)).scalars())
    follow = follow_ups(s, ids, until=today - timedelta(days=1))[:LIST_LIMIT]
    return _items(s, follow), cases


def _due_tasks(s: Session, scope: Scope, since: date, until: date) -> tuple[list[FollowUp], int]:
    # The WHERE repeats ix_task_open_due's (migration 0003).
    query = select(Task.case_id, Task.due_on, Task.title, Task.uuid).join(
        CaseFile, CaseFile.id == Task.case_id).where(
        Task.deleted == false(), Task.done_on.is_(None), Task.due_on.is_not(None),
        Task.due_on.between(since, until), scope.cases())
    rows, total = _take(s, query.order_by(Task.due_on, Task.case_id))
    return [FollowUp("task", cid, due, title, uuid, True) for cid, due, title, uuid in rows], total


def _expiring_statuses(s: Session, scope: Scope, since: date, until: date) -> Select[Any]:
    """The current statuses of open cases whose validity ends in [since, until].

    ``current_until`` is valid_until on the status that counts (current_status(), kept by
    db.derived), NULL elsewhere: the range of ix_residence_status_current_until, whose WHERE
    the first two terms repeat, holds only rows that pass; no older version is read.
    """
    until_col = ResidenceStatus.current_until
    return (select(CaseFile.id, ResidenceStatus.kind, until_col, ResidenceStatus.uuid)
            .select_from(ResidenceStatus)
            .join(CaseFile, CaseFile.person_id == ResidenceStatus.person_id)
            .where(ResidenceStatus.deleted == false(), until_col.is_not(None),
                   until_col.between(since, until), scope.cases()))


def _expiring_consents(s: Session, scope: Scope, since: date, until: date) -> Select[Any]:
    """The current, not withdrawn consents of open cases' clients ending in [since, until].

    ``current_until`` is valid_until on a consent that counts (not withdrawn, not renewed:
    current_consent(), kept by db.derived): one range of ix_consent_current_until.
    """
    until_col = Consent.current_until
    return (select(CaseFile.id, until_col, Consent.uuid, Institution.name)
            .select_from(Consent)
            .join(CaseFile, CaseFile.person_id == Consent.person_id)
            .join(Institution, Institution.id == Consent.institution_id)
            .where(Consent.deleted == false(), until_col.is_not(None),
                   until_col.between(since, until), scope.cases()))


def _computed(s: Session, scope: Scope, since: date, until: date, already: int
              ) -> tuple[list[FollowUp], int]:
    """Status and consent follow-ups due in [since, until] (the rules of tasks.queries): each
    status kind's lead time gives one narrow valid_until range, read through its index."""
    items: list[FollowUp] = []
    total = 0
    by_lead = kinds_by_lead()
    known = [code for codes in by_lead.values() for code in codes]
    ranges: list[tuple[int, ColumnElement[bool]]] = [
        (lead, ResidenceStatus.kind.in_(kinds)) for lead, kinds in by_lead.items()]
    ranges.append((DEFAULT_STATUS_LEAD_DAYS, ResidenceStatus.kind.not_in(known)))
    for lead, kinds_where in ranges:
        query = _expiring_statuses(s, scope, since + timedelta(lead),
                                   until + timedelta(lead)).where(kinds_where)
        rows, count = _take(s, query.order_by(ResidenceStatus.current_until, CaseFile.id),
                            already + total)
        items += [FollowUp("status_expiry", cid, valid - timedelta(lead),
                           status_expiry_title(valid), uuid, False)
                  for cid, _kind, valid, uuid in rows]
        total += count
    consent_lead = timedelta(CONSENT_LEAD_DAYS)
    query = _expiring_consents(s, scope, since + consent_lead, until + consent_lead)
    rows, count = _take(s, query.order_by(Consent.current_until, CaseFile.id), already + total)
    items += [FollowUp("consent_expiry", cid, valid - consent_lead,
                       consent_expiry_title(name, valid),
                       uuid, False) for cid, valid, uuid, name in rows]
    return items, total + count


def _upcoming(s: Session, scope: Scope, today: date) -> tuple[list[TodayItem], int]:
    """Follow-ups due in the next UPCOMING_DAYS: each kind read through its date index."""
    until = today + timedelta(days=UPCOMING_DAYS)
    tasks, total = _due_tasks(s, scope, today, until)
    computed_until = until
    if total > COUNT_CAP and len(tasks) == LIST_LIMIT:
        # The count is past the cap already, and a computed follow-up due after the last
        # listed task cannot reach the list: read only up to that day (at 100,000 cases a day
        # or two instead of two weeks of statuses and consents).
        computed_until = tasks[-1].due_on
    computed, computed_total = _computed(s, scope, today, computed_until, total)
    ordered = sorted(tasks + computed, key=lambda f: (f.due_on, f.case_id, f.kind))
    return _items(s, ordered[:LIST_LIMIT]), total + computed_total


def _statuses(s: Session, scope: Scope, today: date, days: int
              ) -> tuple[list[TodayItem], int]:
    query = _expiring_statuses(s, scope, today, today + timedelta(days=days))
    rows, total = _take(s, query.order_by(ResidenceStatus.current_until, CaseFile.id))
    labels = _case_labels(s, {row[0] for row in rows})
    kinds = {k.code: k.short_label for k in catalogues.status_kinds()}
    return [TodayItem(cid, *labels.get(cid, ("", "")), until,
                      f"{kinds.get(kind, kind)} gültig bis {until:%d.%m.%Y}", "status",
                      "status", uuid)
            for cid, kind, until, uuid in rows], total


def _consents(s: Session, scope: Scope, today: date, days: int
              ) -> tuple[list[TodayItem], int]:
    query = _expiring_consents(s, scope, today, today + timedelta(days=days))
    rows, total = _take(s, query.order_by(Consent.current_until, CaseFile.id))
    labels = _case_labels(s, {row[0] for row in rows})
    return [TodayItem(cid, *labels.get(cid, ("", "")), until,
                      f"Einwilligung gegenüber {inst} gültig bis {until:%d.%m.%Y}", "consents",
                      "consent", uuid)
            for cid, until, uuid, inst in rows], total


def _quiet(s: Session, scope: Scope, now: datetime, weeks: int
           ) -> tuple[list[TodayItem], int]:
    cutoff = now - timedelta(weeks=weeks)
    # The expression of ix_case_quiet (migration 0003): the last contact, or the opening day
    # of a case nobody has met yet; ISO text, so a date sorts before that day's contacts.
    since = func.coalesce(CaseFile.last_contact_at, CaseFile.opened_on)
    query = select(CaseFile.id, CaseFile.last_contact_at, CaseFile.opened_on).where(
        scope.cases(), since < cutoff)
    rows, total = _take(s, query.order_by(since, CaseFile.id))
    labels = _case_labels(s, {row[0] for row in rows})
    items = []
    for cid, last_at, opened in rows:
        number, client = labels.get(cid, ("", ""))
        if last_at is None:
            items.append(TodayItem(cid, number, client, opened,
                                   f"Noch kein Kontakt seit Fallbeginn am {opened:%d.%m.%Y}",
                                   "journal", "quiet"))
        else:
            items.append(TodayItem(cid, number, client, last_at.date(),
                                   f"Letzter Kontakt am {last_at:%d.%m.%Y}", "journal", "quiet"))
    return items, total


def _conferences(s: Session, now: datetime) -> list[ConferenceItem]:
    confs = s.execute(select(Conference.id, Conference.uuid, Conference.title,
                             Conference.scheduled_at, Conference.place).where(
        Conference.deleted.is_(False), Conference.status == "planned",
        Conference.scheduled_at.between(now, now + timedelta(days=CONFERENCE_DAYS)))
        .order_by(Conference.scheduled_at, Conference.id).limit(LIST_LIMIT)).all()
    agenda: dict[int, list[tuple[int, str]]] = {}
    if confs:
        for conf_id, cid, number in s.execute(
                select(ConferenceAgendaItem.conference_id, CaseFile.id, CaseFile.case_number)
                .join(CaseFile, CaseFile.id == ConferenceAgendaItem.case_id)
                .where(ConferenceAgendaItem.conference_id.in_([c.id for c in confs]),
                       ConferenceAgendaItem.deleted.is_(False), CaseFile.deleted.is_(False))
                .order_by(ConferenceAgendaItem.position)):
            agenda.setdefault(conf_id, []).append((cid, number))
    return [ConferenceItem(uuid, title, at, place, tuple(agenda.get(cid, [])))
            for cid, uuid, title, at, place in confs]


def today_overview(vault: Vault, *, status_window_days: int = 30, quiet_weeks: int = 6,
                   only_mine: bool = False) -> TodayOverview:
    today, now = vault.clock.today(), vault.clock.now()
    with vault.read_session() as s:
        scope = Scope(s, vault, only_mine)
        overdue, overdue_cases = _overdue(s, scope, today)
        upcoming, upcoming_total = _upcoming(s, scope, today)
        statuses, statuses_total = _statuses(s, scope, today, status_window_days)
        consents, consents_total = _consents(s, scope, today, status_window_days)
        quiet, quiet_total = _quiet(s, scope, now, quiet_weeks)
        conferences = _conferences(s, now)
    backed_up = last_backup(vault)
    due = backed_up is None or now - backed_up > timedelta(days=BACKUP_REMINDER_DAYS)
    return TodayOverview(today, overdue, overdue_cases, upcoming, upcoming_total, statuses,
                         statuses_total, consents, consents_total, quiet, quiet_total,
                         conferences, status_window_days, quiet_weeks, backed_up, due, only_mine)
