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
    # task | status_expiry | consent_expiry (follow-ups); status | consent | quiet (the blocks)
    kind: str = ""
    source_uuid: str | None = None  # the task, status or consent behind the item
    stored: bool = False  # a stored task: it can be marked done or postponed right here


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
    overdue_cases: int  # cases with at least one overdue follow-up (exact)
    upcoming: list[TodayItem]
    upcoming_total: int  # counted up to COUNT_CAP + 1 from here on: more means "über 1.000"
    statuses: list[TodayItem]
    statuses_total: int
    consents: list[TodayItem]
    consents_total: int
    quiet: list[TodayItem]
    quiet_total: int
    conferences: list[ConferenceItem]
    status_window_days: int  # the 30/60/90-day window of the status and consent blocks
    quiet_weeks: int
    last_backup: datetime | None
    backup_due: bool
    only_mine: bool = False  # only cases whose case manager is the vault's owner
