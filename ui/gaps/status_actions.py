"""What can happen to a gap in the register: the status filter, the status as the table shows
it, and the buttons that move a gap along (with the question asked first, where there is one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.services.gaps.records import STATUSES, TRANSITIONS, GapEntry
from ui.directory.table_model import fmt_date

# (label with mnemonic-free text, statuses shown); the first one is the default view.
FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("offene und eskalierte", ("open", "escalated")),
    ("alle", None),
    *((label, (code,)) for code, label in STATUSES.items()),
)


@dataclass(frozen=True)
class StatusAction:
    name: str  # object name of the button
    text: str  # with & mnemonic
    target: str  # the status it sets
    question: str  # "" = no question (the step can be undone by reopening)
    done: str  # what the page says afterwards

    def applies_to(self, status: str) -> bool:
        return self.target in TRANSITIONS.get(status, frozenset())


ACTIONS = (
    StatusAction("escalateGap", "Eskal&ieren…", "escalated",
                 "Die Lücke „{title}“ wird an das Steuerungsgremium eskaliert. Sie erscheint "
                 "dort als offener Punkt, bis sie behoben oder verworfen ist.",
                 "Die Lücke wurde an das Steuerungsgremium eskaliert."),
    StatusAction("resolveGap", "Als beh&oben markieren…", "resolved",
                 "Die Lücke „{title}“ wird mit dem heutigen Datum ({today}) als behoben "
                 "eingetragen.",
                 "Die Lücke wurde als behoben eingetragen."),
    StatusAction("dropGap", "&Verwerfen", "dropped", "",
                 "Die Lücke wurde verworfen. Sie lässt sich unter „verworfen“ wieder öffnen."),
    StatusAction("reopenGap", "Wieder ö&ffnen", "open", "", "Die Lücke ist wieder offen."),
)


def status_text(gap: GapEntry) -> str:
    """The status in German, with the date for resolved gaps."""
    if gap.status == "resolved" and gap.resolved_on:
        return f"{gap.status_label} am {fmt_date(gap.resolved_on)}"
    return gap.status_label


def question_for(action: StatusAction, gap: GapEntry, today: date) -> str:
    return action.question.format(title=gap.title, today=fmt_date(today))
