"""Follow-ups as the pages show them: all open cases (Heute), one case, and the task section."""

from __future__ import annotations

from datetime import date, timedelta

from app.services.cases.queries import resolve_case
from app.services.tasks.queries import case_follow_ups, follow_ups
from app.services.tasks.records import CaseFollowUps, FollowUp, FollowUpRow
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


KIND_LABELS = {"task": "Aufgabe", "status_expiry": "Aufenthalt läuft ab",
               "consent_expiry": "Einwilligung läuft ab"}


def case_follow_up_rows(vault: Vault, case_ref: str | int) -> CaseFollowUps:
    today = vault.clock.today()
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        items = tuple(FollowUpRow(f.kind, KIND_LABELS.get(f.kind, f.kind), f.due_on, f.title,
                                  f.source_uuid, f.stored, f.due_on < today)
                      for f in case_follow_ups(s, case))
    return CaseFollowUps(today, items)
