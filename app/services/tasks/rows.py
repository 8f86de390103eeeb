"""The follow-ups of one case as the task section shows them (German kind, overdue flag)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app import audit
from app.services.cases.write import resolve_case
from app.services.tasks.queries import case_follow_ups
from app.vault.store import Vault

KIND_LABELS = {"task": "Aufgabe", "status_expiry": "Aufenthalt läuft ab",
               "consent_expiry": "Einwilligung läuft ab"}


@dataclass(frozen=True)
class FollowUpRow:
    kind: str
    kind_label: str
    due_on: date
    title: str
    source_uuid: str
    stored: bool  # a stored task can be marked done; computed ones end with their cause
    overdue: bool


@dataclass(frozen=True)
class CaseFollowUps:
    today: date
    items: tuple[FollowUpRow, ...]


def case_follow_up_rows(vault: Vault, case_ref: str | int) -> CaseFollowUps:
    today = vault.clock.today()
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        items = tuple(FollowUpRow(f.kind, KIND_LABELS.get(f.kind, f.kind), f.due_on, f.title,
                                  f.source_uuid, f.stored, f.due_on < today)
                      for f in case_follow_ups(s, case))
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section="tasks")
    return CaseFollowUps(today, items)
