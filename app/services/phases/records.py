"""Records of the phases domain: steps taken, what a step needs, how a case was closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PhaseStep:
    from_phase: str | None
    to_phase: str
    at: datetime
    reason: str | None
    override_reason: str | None
    missing_items: list[str]


@dataclass(frozen=True)
class Closure:
    """How a closed case ended: the first thing anyone reopening it needs to know."""

    closed_on: date | None
    reason: str | None  # German label (the code itself when the catalogue lacks it)
    handover_note: str | None


@dataclass(frozen=True)
class PhaseView:
    phase: str
    history: list[PhaseStep]
    closure: Closure | None = None  # only for closed cases


@dataclass(frozen=True)
class MissingItem:
    code: str
    label: str
    hint: str


@dataclass(frozen=True)
class StepCheck:
    current: str
    target: str
    allowed: bool
    missing: list[MissingItem]
