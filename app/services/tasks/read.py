"""The follow-up list across cases (Heute) and per case."""

from __future__ import annotations

from datetime import date, timedelta

from app.services.cases.write import resolve_case
from app.services.tasks.queries import FollowUp, case_follow_ups, follow_ups
from app.vault.store import Vault


def follow_ups_for_case(vault: Vault, case_ref: str | int) -> list[FollowUp]:
    with vault.read_session() as s:
        return case_follow_ups(s, resolve_case(s, case_ref))


def due_follow_ups(vault: Vault, today: date, horizon_days: int = 90) -> list[FollowUp]:
    """Overdue and upcoming follow-ups of all open cases up to ``today + horizon_days``.

    Set-based (three queries whatever the caseload), so "Heute" stays fast at 100,000 cases.
    """
    with vault.read_session() as s:
        return follow_ups(s, None, today + timedelta(days=horizon_days))
