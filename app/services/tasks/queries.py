"""Follow-ups: stored tasks (manual, from conference decisions) and those computed from status
and consent expiry. Computed ones are never stored, so they cannot go stale; one list shows both.

Rules (the same for one case and for all cases):
- a task is due while it is not done;
- the newest residence status of the client of an open case is due ``lead`` days before it
  expires (lead from the status-kind catalogue); older statuses were replaced;
- the newest consent per recipient institution, not withdrawn, is due 30 days before it expires;
  an older consent for the same institution was renewed.

Every query takes the due-date window into SQL, so "Heute" at 100,000 cases reads only the rows
that can fall into it; "newest" is a NOT EXISTS probe on the (person, ...) indexes rather than a
window function over every status and consent in the store. Heute's windows over all cases read
the stored answer instead (``current_until``, kept by db.derived by the same rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session, aliased

from app import catalogues
from app.services.tasks.records import FollowUp
from db.models import CaseFile, Consent, Institution, ResidenceStatus, Task

CONSENT_LEAD_DAYS = 30
DEFAULT_STATUS_LEAD_DAYS = 90


@dataclass(frozen=True)
class Window:
    """Due dates ``since <= due_on <= until``; either end open when None."""

    since: date | None = None
    until: date | None = None

    def holds(self, due: date) -> bool:
        after = self.since is None or due >= self.since
        return after and (self.until is None or due <= self.until)


def status_lead(kind: str) -> int:
    for k in catalogues.status_kinds():
        if k.code == kind and k.followup_days_before_expiry:
            return max(k.followup_days_before_expiry)
    return DEFAULT_STATUS_LEAD_DAYS


def _lead_range() -> tuple[int, int]:
    leads = [status_lead(k.code) for k in catalogues.status_kinds()] + [DEFAULT_STATUS_LEAD_DAYS]
    return min(leads), max(leads)


def current_status() -> ColumnElement[bool]:
    """The status row is its person's newest (latest valid_from, undated ones oldest, then id).
    An entry superseded by a correction never counts, neither as current nor as newer."""
    newer = aliased(ResidenceStatus)
    cur = ResidenceStatus
    return cur.superseded_by_id.is_(None) & ~exists().where(
        newer.person_id == cur.person_id, newer.deleted.is_(False),
        newer.superseded_by_id.is_(None), or_(
            newer.valid_from > cur.valid_from,
            and_(cur.valid_from.is_(None), newer.valid_from.is_not(None)),
            and_(newer.valid_from.is_(cur.valid_from), newer.id > cur.id)))


def current_consent() -> ColumnElement[bool]:
    """The consent is the newest one of its person towards its institution (a renewal wins)."""
    newer = aliased(Consent)
    cur = Consent
    return ~exists().where(
        newer.person_id == cur.person_id, newer.institution_id == cur.institution_id,
        newer.deleted.is_(False), or_(
            newer.given_on > cur.given_on,
            and_(newer.given_on == cur.given_on, newer.id > cur.id)))


def _open_case_filter(query: Select[Any], case_ids: list[int] | None) -> Select[Any]:
    query = query.where(CaseFile.deleted.is_(False), CaseFile.phase != "closed")
    return query if case_ids is None else query.where(CaseFile.id.in_(case_ids))


def task_query(case_ids: list[int] | None, window: Window,
               include_closed: bool = False) -> Select[Any]:
    """Open tasks in the window; the WHERE repeats ix_task_open_due's (migration 0003)."""
    query = select(Task.case_id, Task.due_on, Task.title, Task.uuid).join(
        CaseFile, CaseFile.id == Task.case_id).where(
        Task.deleted == false(), Task.done_on.is_(None), Task.due_on.is_not(None),
        CaseFile.deleted.is_(False))
    if not include_closed:
        query = query.where(CaseFile.phase != "closed")
    if case_ids is not None:
        query = query.where(Task.case_id.in_(case_ids))
    if window.since is not None:
        query = query.where(Task.due_on >= window.since)
    if window.until is not None:
        query = query.where(Task.due_on <= window.until)
    return query


def run_tasks(session: Session, query: Select[Any]) -> list[FollowUp]:
    return [FollowUp("task", cid, due, title, uuid, True)
            for cid, due, title, uuid in session.execute(query)]


def status_expiry_title(valid_until: date) -> str:
    return f"Aufenthaltsstatus läuft am {valid_until:%d.%m.%Y} ab – Verlängerung vorbereiten"


def consent_expiry_title(institution: str, valid_until: date) -> str:
    return f"Einwilligung gegenüber {institution} läuft am {valid_until:%d.%m.%Y} ab"


def kinds_by_lead() -> dict[int, list[str]]:
    by_lead: dict[int, list[str]] = {}
    for kind in catalogues.status_kinds():
        by_lead.setdefault(status_lead(kind.code), []).append(kind.code)
    return by_lead


def _status_rows(session: Session, case_ids: list[int] | None, window: Window
                 ) -> list[Any]:
    query = _open_case_filter(
        select(CaseFile.id, ResidenceStatus.kind, ResidenceStatus.valid_until,
               ResidenceStatus.uuid)
        .join(ResidenceStatus, ResidenceStatus.person_id == CaseFile.person_id)
        .where(ResidenceStatus.deleted.is_(False), ResidenceStatus.valid_until.is_not(None),
               current_status()),
        case_ids)
    if window.since is not None and window.until is not None:
        # due = valid_until - lead(kind): one narrow valid_until range per lead time instead of
        # one range spanning every lead (30..270 days, a quarter of all statuses at 100,000).
        rows: list[Any] = []
        by_lead = kinds_by_lead()
        for lead, kinds in by_lead.items():
            rows += session.execute(query.where(
                ResidenceStatus.kind.in_(kinds),
                ResidenceStatus.valid_until.between(window.since + timedelta(lead),
                                                    window.until + timedelta(lead)))).all()
        unknown_lead = timedelta(DEFAULT_STATUS_LEAD_DAYS)  # a kind the catalogue lacks
        rows += session.execute(query.where(
            ResidenceStatus.kind.not_in([code for codes in by_lead.values() for code in codes]),
            ResidenceStatus.valid_until.between(window.since + unknown_lead,
                                                window.until + unknown_lead))).all()
        return rows
    shortest, longest = _lead_range()
    if window.since is not None:  # bound by the extreme leads, then filtered exactly
        query = query.where(ResidenceStatus.valid_until >= window.since + timedelta(shortest))
    if window.until is not None:
        query = query.where(ResidenceStatus.valid_until <= window.until + timedelta(longest))
    return list(session.execute(query))


def _statuses(session: Session, case_ids: list[int] | None, window: Window) -> list[FollowUp]:
    items = []
    for cid, kind, valid_until, uuid in _status_rows(session, case_ids, window):
        due = valid_until - timedelta(days=status_lead(kind))
        if window.holds(due):
            items.append(FollowUp("status_expiry", cid, due, status_expiry_title(valid_until),
                                  uuid, False))
    return items


def _consents(session: Session, case_ids: list[int] | None, window: Window) -> list[FollowUp]:
    query = _open_case_filter(
        select(CaseFile.id, Consent.valid_until, Consent.uuid, Institution.name)
        .join(Consent, Consent.person_id == CaseFile.person_id)
        .join(Institution, Institution.id == Consent.institution_id)
        # "= 0" as in ix_consent_live_until (migration 0003)
        .where(Consent.deleted == false(), Consent.withdrawn_on.is_(None),
               Consent.valid_until.is_not(None)), case_ids)
    lead = timedelta(days=CONSENT_LEAD_DAYS)
    if window.since is not None:
        query = query.where(Consent.valid_until >= window.since + lead)
    if window.until is not None:
        query = query.where(Consent.valid_until <= window.until + lead)
    return [FollowUp("consent_expiry", cid, valid_until - lead,
                     consent_expiry_title(name, valid_until), uuid, False)
            for cid, valid_until, uuid, name in session.execute(query.where(current_consent()))]


def computed_follow_ups(session: Session, case_ids: list[int] | None, window: Window
                        ) -> list[FollowUp]:
    """Status and consent expiry follow-ups in the window (never stored)."""
    return _statuses(session, case_ids, window) + _consents(session, case_ids, window)


def follow_ups(session: Session, case_ids: Iterable[int] | None = None,
               until: date | None = None, since: date | None = None) -> list[FollowUp]:
    """Open follow-ups of the given cases (all open cases if None) due in [since, until]."""
    ids = None if case_ids is None else list(case_ids)
    window = Window(since, until)
    items = run_tasks(session, task_query(ids, window)) + \
        computed_follow_ups(session, ids, window)
    return sorted(items, key=lambda f: (f.due_on, f.case_id, f.kind))


def case_follow_ups(session: Session, case: CaseFile) -> list[FollowUp]:
    """Every open follow-up of one case, stored and computed, by due date."""
    if case.phase == "closed":  # a closed case keeps only tasks someone still has to do
        return sorted(run_tasks(session, task_query([case.id], Window(), include_closed=True)),
                      key=lambda f: (f.due_on, f.kind))
    return follow_ups(session, [case.id])


def next_deadlines(session: Session, case_ids: Sequence[int]) -> dict[int, date | None]:
    """The case list's 'next deadline' per case: its earliest open follow-up, overdue ones
    included until done (``case_follow_ups`` for many cases at once). ``db.derived`` calls it
    (installed by ``app.vault.store``) when a flush changed a task, status, consent or case."""
    ids = list(case_ids)
    earliest: dict[int, date | None] = dict.fromkeys(ids)
    # Closed cases keep their tasks; the computed ones are for open cases only (as above).
    items = run_tasks(session, task_query(ids, Window(), include_closed=True)) + \
        computed_follow_ups(session, ids, Window())
    for item in items:
        current = earliest.get(item.case_id)
        if current is None or item.due_on < current:
            earliest[item.case_id] = item.due_on
    return earliest
