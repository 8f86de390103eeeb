"""Follow-ups as the pages show them: all open cases (Heute), one case, and the task section."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.cases.queries import resolve_case
from app.services.tasks.queries import case_follow_ups, follow_ups
from app.services.tasks.records import CaseFollowUps, FollowUp, FollowUpRow
from app.vault.store import Vault
from db.models import CaseManager, Task


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


def _assignees(s: Session, task_uuids: Iterable[str]
               ) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Per stored task: its free-text assignee, the colleague's uuid and name."""
    uuids = list(task_uuids)
    if not uuids:
        return {}
    rows = s.execute(select(Task.uuid, Task.assignee_text, CaseManager.uuid,
                            CaseManager.display_name)
                     .outerjoin(CaseManager, CaseManager.id == Task.assignee_staff_id)
                     .where(Task.uuid.in_(uuids)))
    return {uuid: (text, staff_uuid, name) for uuid, text, staff_uuid, name in rows}


def case_follow_up_rows(vault: Vault, case_ref: str | int) -> CaseFollowUps:
    """The task section's rows; stored tasks carry who does them (a separate small query, so
    the follow-up queries Heute shares stay as narrow as they are)."""
    today = vault.clock.today()
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        follow_ups = case_follow_ups(s, case)
        assignees = _assignees(s, (f.source_uuid for f in follow_ups if f.stored))
        items = []
        for f in follow_ups:
            text, staff_uuid, name = assignees.get(f.source_uuid, (None, None, None))
            items.append(FollowUpRow(f.kind, KIND_LABELS.get(f.kind, f.kind), f.due_on, f.title,
                                     f.source_uuid, f.stored, f.due_on < today,
                                     name or text or "", text, staff_uuid))
    return CaseFollowUps(today, tuple(items))
