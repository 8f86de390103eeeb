"""Records of the today domain: what the Heute page lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class TodayItem:
    case_id: int
    case_number: str
    client: str  # "Familienname, Vornamen"
    on: date  # due date, expiry date or date of the last contact
    text: str
    section: str  # part of the case file to open: tasks / status / consents / journal


@dataclass(frozen=True)
class ConferenceItem:
    uuid: str
    title: str
    scheduled_at: datetime
    place: str | None
    cases: tuple[tuple[int, str], ...]  # (case id, case number) on the agenda


@dataclass(frozen=True)
class TodayOverview:
    today: date
    overdue: list[TodayItem]  # the earliest LIST_LIMIT; every list below is cut the same way
    overdue_cases: int  # cases with at least one overdue follow-up
    upcoming: list[TodayItem]
    upcoming_total: int  # exact item counts from here on
    statuses: list[TodayItem]
    statuses_total: int
    consents: list[TodayItem]
    consents_total: int
    quiet: list[TodayItem]
    quiet_total: int
    conferences: list[ConferenceItem]
    status_window_days: int
    quiet_weeks: int
    last_backup: datetime | None
    backup_due: bool
