"""Follow-ups: stored tasks (manual, from conference decisions) and those computed from status
and consent expiry. Computed ones are never stored, so they cannot go stale; one list shows both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
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


def _status_lead(kind: str) -> int:
    for k in catalogues.status_kinds():
        if k.code == kind and k.followup_days_before_expiry:
            return max(k.followup_days_before_expiry)
    return DEFAULT_STATUS_LEAD_DAYS


def case_follow_ups(session: Session, case: CaseFile) -> list[FollowUp]:
    """Every open follow-up of one case, stored and computed, by due date."""
    items: list[FollowUp] = []
    for t in session.execute(select(Task).where(
            Task.case_id == case.id, Task.deleted.is_(False), Task.done_on.is_(None))).scalars():
        if t.due_on is not None:
            items.append(FollowUp("task", case.id, t.due_on, t.title, t.uuid, True))
    if case.phase != "closed":
        statuses = session.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == case.person_id, ResidenceStatus.deleted.is_(False))
            .order_by(ResidenceStatus.valid_from)).scalars().all()
        if statuses and statuses[-1].valid_until is not None:
            current = statuses[-1]  # only the newest status expires; older ones were replaced
            until = current.valid_until
            assert until is not None
            items.append(FollowUp(
                "status_expiry", case.id, until - timedelta(days=_status_lead(current.kind)),
                f"Aufenthaltsstatus läuft am {until:%d.%m.%Y} ab – Verlängerung vorbereiten",
                current.uuid, False))
        for c, name in session.execute(
                select(Consent, Institution.name).join(Institution,
                                                       Institution.id == Consent.institution_id)
                .where(Consent.person_id == case.person_id, Consent.deleted.is_(False),
                       Consent.withdrawn_on.is_(None), Consent.valid_until.is_not(None))).all():
            assert c.valid_until is not None
            items.append(FollowUp(
                "consent_expiry", case.id, c.valid_until - timedelta(days=CONSENT_LEAD_DAYS),
                f"Einwilligung gegenüber {name} läuft am {c.valid_until:%d.%m.%Y} ab",
                c.uuid, False))
    return sorted(items, key=lambda f: (f.due_on, f.kind))


def refresh_next_deadline(session: Session, case: CaseFile, today: date) -> None:
    """Keep the case list's denormalised 'next deadline' in step (earliest open follow-up)."""
    del today  # overdue items stay the next deadline until done
    items = case_follow_ups(session, case)
    case.next_deadline = items[0].due_on if items else None
