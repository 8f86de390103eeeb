"""Follow-ups: stored tasks (manual, from conference decisions) and those computed from status
and consent expiry. Computed ones are never stored, so they cannot go stale; one list shows both.

Rules (the same for one case and for all cases):
- a task is due while it is not done;
- the newest residence status of the client of an open case is due ``lead`` days before it
  expires (lead from the status-kind catalogue); older statuses were replaced;
- the newest consent per recipient institution, not withdrawn, is due 30 days before it expires;
  an older consent for the same institution was renewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app import catalogues
from db.models import CaseFile, Consent, Institution, ResidenceStatus, Task

CONSENT_LEAD_DAYS = 30
DEFAULT_STATUS_LEAD_DAYS = 90


@dataclass(frozen=True)
class FollowUp:
    kind: str  # task | status_expiry | consent_expiry
    case_id: int
    due_on: date
    title: str
    source_uuid: str
    stored: bool


def status_lead(kind: str) -> int:
    for k in catalogues.status_kinds():
        if k.code == kind and k.followup_days_before_expiry:
            return max(k.followup_days_before_expiry)
    return DEFAULT_STATUS_LEAD_DAYS


def _open_cases(case_ids: Iterable[int] | None) -> Select[Any]:
    query = select(CaseFile.id, CaseFile.person_id).where(
        CaseFile.deleted.is_(False), CaseFile.phase != "closed")
    return query if case_ids is None else query.where(CaseFile.id.in_(list(case_ids)))


def _tasks(session: Session, case_ids: Iterable[int] | None, until: date | None,
           include_closed: bool = False) -> list[FollowUp]:
    query = select(Task.case_id, Task.due_on, Task.title, Task.uuid).join(
        CaseFile, CaseFile.id == Task.case_id).where(
        Task.deleted.is_(False), Task.done_on.is_(None), Task.due_on.is_not(None),
        CaseFile.deleted.is_(False))
    if not include_closed:
        query = query.where(CaseFile.phase != "closed")
    if case_ids is not None:
        query = query.where(Task.case_id.in_(list(case_ids)))
    if until is not None:
        query = query.where(Task.due_on <= until)
    return [FollowUp("task", cid, due, title, uuid, True)
            for cid, due, title, uuid in session.execute(query)]


def _statuses(session: Session, case_ids: Iterable[int] | None, until: date | None
              ) -> list[FollowUp]:
    newest = select(
        ResidenceStatus.person_id, ResidenceStatus.kind, ResidenceStatus.valid_until,
        ResidenceStatus.uuid,
        func.row_number().over(partition_by=ResidenceStatus.person_id, order_by=(
            ResidenceStatus.valid_from.desc(), ResidenceStatus.id.desc())).label("n"),
    ).where(ResidenceStatus.deleted.is_(False)).subquery()
    cases = _open_cases(case_ids).subquery()
    query = select(cases.c.id, newest.c.kind, newest.c.valid_until, newest.c.uuid).join(
        newest, newest.c.person_id == cases.c.person_id).where(
        newest.c.n == 1, newest.c.valid_until.is_not(None))
    if until is not None:
        longest = max([DEFAULT_STATUS_LEAD_DAYS, *(max(k.followup_days_before_expiry, default=0)
                                                   for k in catalogues.status_kinds())])
        query = query.where(newest.c.valid_until <= until + timedelta(days=longest))
    items = []
    for cid, kind, valid_until, uuid in session.execute(query):
        due = valid_until - timedelta(days=status_lead(kind))
        if until is None or due <= until:
            items.append(FollowUp(
                "status_expiry", cid, due,
                f"Aufenthaltsstatus läuft am {valid_until:%d.%m.%Y} ab – Verlängerung vorbereiten",
                uuid, False))
    return items


def _consents(session: Session, case_ids: Iterable[int] | None, until: date | None
              ) -> list[FollowUp]:
    newest = select(
        Consent.person_id, Consent.institution_id, Consent.valid_until, Consent.withdrawn_on,
        Consent.uuid,
        func.row_number().over(partition_by=(Consent.person_id, Consent.institution_id),
                               order_by=(Consent.given_on.desc(), Consent.id.desc())).label("n"),
    ).where(Consent.deleted.is_(False)).subquery()
    cases = _open_cases(case_ids).subquery()
    query = select(cases.c.id, newest.c.valid_until, newest.c.uuid, Institution.name).join(
        newest, newest.c.person_id == cases.c.person_id).join(
        Institution, Institution.id == newest.c.institution_id).where(
        newest.c.n == 1, newest.c.withdrawn_on.is_(None), newest.c.valid_until.is_not(None))
    if until is not None:
        query = query.where(newest.c.valid_until <= until + timedelta(days=CONSENT_LEAD_DAYS))
    return [FollowUp("consent_expiry", cid, valid_until - timedelta(days=CONSENT_LEAD_DAYS),
                     f"Einwilligung gegenüber {name} läuft am {valid_until:%d.%m.%Y} ab",
                     uuid, False)
            for cid, valid_until, uuid, name in session.execute(query)]


def follow_ups(session: Session, case_ids: Iterable[int] | None = None,
               until: date | None = None) -> list[FollowUp]:
    """Open follow-ups of the given cases (all open cases if None), due on or before ``until``."""
    ids = None if case_ids is None else list(case_ids)
    items = _tasks(session, ids, until) + _statuses(session, ids, until) + \
        _consents(session, ids, until)
    return sorted(items, key=lambda f: (f.due_on, f.case_id, f.kind))


def case_follow_ups(session: Session, case: CaseFile) -> list[FollowUp]:
    """Every open follow-up of one case, stored and computed, by due date."""
    if case.phase == "closed":  # a closed case keeps only tasks someone still has to do
        return sorted(_tasks(session, [case.id], None, include_closed=True),
                      key=lambda f: (f.due_on, f.kind))
    return follow_ups(session, [case.id])


def refresh_next_deadline(session: Session, case: CaseFile, today: date) -> None:
    """Keep the case list's denormalised 'next deadline' in step (earliest open follow-up)."""
    del today  # overdue items stay the next deadline until done
    session.flush()
    items = case_follow_ups(session, case)
    case.next_deadline = items[0].due_on if items else None
