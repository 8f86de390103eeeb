"""Unsaved input across a lock: the conference windows go with the workspace, and what was
typed into "Planung" and into the minutes of each case comes back with them after unlocking, as
a case file's drafts do. JSON-safe; the workspace's drafts are sealed by the caller like every
other draft."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from app.services.conferences.records import CaseMinutes, ParticipantInput
from ui.conferences.agenda import AgendaEntry
from ui.conferences.pickers import Picked
from ui.conferences.planning import PlanningTab

FIELDS = ("title", "date", "time", "place", "chair", "minute_taker")


def plan_draft(tab: PlanningTab) -> dict[str, Any] | None:
    """What was typed and not saved, or None."""
    if not tab.has_unsaved_changes():
        return None
    values = (tab.title.text(), tab.when.date.text(), tab.when.time.text(), tab.place.text(),
              tab.chair.currentText(), tab.minute_taker.text())
    return {**dict(zip(FIELDS, values, strict=True)),
            "people": [{**asdict(p.participant), "institution_name": p.institution_name}
                       for p in tab.people],
            "agenda": [{**asdict(e), "categories": list(e.categories)} for e in tab.agenda]}


def _text(state: dict[str, Any], key: str) -> str:
    value = state.get(key)
    return value if isinstance(value, str) else ""


def restore_plan(tab: PlanningTab, state: dict[str, Any]) -> None:
    """Put a draft back; entries that do not read as a participant or a case are dropped."""
    tab.title.setText(_text(state, "title"))
    tab.when.date.setText(_text(state, "date"))
    tab.when.time.setText(_text(state, "time"))
    tab.place.setText(_text(state, "place"))
    tab.chair.setCurrentText(_text(state, "chair"))
    tab.minute_taker.setText(_text(state, "minute_taker"))
    people = []
    for item in state.get("people") or []:
        try:
            fields = {k: v for k, v in item.items() if k != "institution_name"}
            people.append(Picked(ParticipantInput(**fields), item.get("institution_name")))
        except (TypeError, AttributeError):
            continue
    agenda = []
    for item in state.get("agenda") or []:
        try:
            agenda.append(AgendaEntry(**{**item, "categories": tuple(item["categories"])}))
        except (TypeError, KeyError, AttributeError):
            continue
    tab.people, tab.agenda = people, agenda
    tab.show_lists()


def minutes_draft(edits: dict[str, CaseMinutes]) -> dict[str, Any]:
    """The minutes typed per agenda case (agenda uuid -> fields), dates as ISO text."""
    return {uuid: {**asdict(m), "next_review_on": m.next_review_on.isoformat()
                   if m.next_review_on else None} for uuid, m in edits.items()}


def read_minutes_draft(state: object) -> dict[str, CaseMinutes]:
    """The draft back as records; an entry that does not read as minutes is dropped."""
    out: dict[str, CaseMinutes] = {}
    if not isinstance(state, dict):
        return out
    for uuid, item in state.items():
        try:
            review = item.get("next_review_on")
            affairs = item.get("state_of_affairs") or {}
            out[str(uuid)] = CaseMinutes(
                legal_basis_note=item.get("legal_basis_note"),
                state_of_affairs={str(k): str(v) for k, v in affairs.items()},
                resources_goals=item.get("resources_goals"),
                disagreements=item.get("disagreements"),
                system_gap_notes=item.get("system_gap_notes"),
                next_review_on=date.fromisoformat(review) if review else None)
        except (AttributeError, TypeError, ValueError):
            continue
    return out
