"""The follow-up list across cases (Heute) and per case."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from app.services.cases import resolve_case
from app.services.deadlines import FollowUp, case_follow_ups
from app.vault.store import Vault
from db.models import CaseFile


def follow_ups_for_case(vault: Vault, case_ref: str | int) -> list[FollowUp]:
    with vault.session() as s:
        return case_follow_ups(s, resolve_case(s, case_ref))


def due_follow_ups(vault: Vault, today: date, horizon_days: int = 90) -> list[FollowUp]:
    """Overdue and upcoming follow-ups of all open cases up to ``today + horizon_days``."""
    until = today + timedelta(days=horizon_days)
    with vault.session() as s:
        cases = s.execute(select(CaseFile).where(
            CaseFile.deleted.is_(False), CaseFile.phase != "closed",
            or_(CaseFile.next_deadline <= until)).order_by(CaseFile.next_deadline)).scalars()
        items = [f for c in cases for f in case_follow_ups(s, c) if f.due_on <= until]
    return sorted(items, key=lambda f: (f.due_on, f.case_id))
