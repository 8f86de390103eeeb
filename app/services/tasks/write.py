"""Stored tasks: add one to a case, change its due date, title or assignee, mark one done."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app import audit
from app.errors import ValidationFailed, reject_unknown_fields
from app.services.cases.queries import resolve_case
from app.services.editing import apply_changes, live, live_id, required
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, Task

TASK_FIELDS = frozenset({"title", "details", "due_on", "assignee_text", "assignee_staff_uuid"})


def add_task(vault: Vault, case_ref: str | int, title: str, due_on: date | None,
             details: str | None = None, *, assignee_text: str | None = None,
             assignee_staff_uuid: str | None = None) -> str:
    """A new task; who does it is a colleague (by staff uuid) or free text, or nobody yet."""
    if not title.strip():
        raise ValidationFailed("Bitte die Aufgabe benennen.", "task without title", field="title")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        staff_id = None if assignee_staff_uuid is None else _staff_id(s, assignee_staff_uuid)
        row = Task(case_id=case.id, title=title.strip(), details=details, due_on=due_on,
                   assignee_text=(assignee_text or "").strip() or None,
                   assignee_staff_id=staff_id)
        s.add(row)
        s.flush()  # the case's next deadline follows (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "task", row.uuid, case=case.uuid)
        return row.uuid


def complete_task(vault: Vault, task_uuid: str, done_on: date) -> None:
    with vault.session() as s:
        task = live(s, Task, task_uuid, "Die Aufgabe wurde nicht gefunden.")
        live_id(s, CaseFile, task.case_id, "Der Fall wurde nicht gefunden.")  # not of a tombstone
        task.done_on = done_on
        audit.record(s, audit.Kind.RECORD_UPDATED, "task", task.uuid, fields=["done_on"])


def update_task(vault: Vault, task_uuid: str, **changes: object) -> list[str]:
    """Change a stored task (postpone it, correct its title, hand it to a colleague); audited
    with the names of the fields that changed. Returns those names (empty: nothing changed).
    Marking done is ``complete_task``."""
    reject_unknown_fields(changes, TASK_FIELDS)
    if "title" in changes:
        changes["title"] = required(changes["title"], "Bitte die Aufgabe benennen.", "title")
    with vault.session() as s:
        task = live(s, Task, task_uuid, "Die Aufgabe wurde nicht gefunden.")
        live_id(s, CaseFile, task.case_id, "Der Fall wurde nicht gefunden.")
        if "assignee_staff_uuid" in changes:
            staff_uuid = changes.pop("assignee_staff_uuid")
            changes["assignee_staff_id"] = None if staff_uuid is None else _staff_id(
                s, str(staff_uuid))
        if "assignee_text" in changes:
            changes["assignee_text"] = str(changes["assignee_text"] or "").strip() or None
        return apply_changes(s, task, changes)


def _staff_id(s: Session, staff_uuid: str) -> int:
    return live(s, CaseManager, staff_uuid,
                "Die Kollegin / der Kollege wurde nicht gefunden.").id
