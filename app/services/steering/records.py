"""Steering reports: aggregated, pseudonymised counts for the steering committee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ReportCell:
    dimension: str  # "phase", "target_group", "municipality", "close_reason", …
    value: str  # a catalogue code
    label_de: str
    count: int | None  # None: suppressed (under 5 people)
    # The table adds up to a published total: a suppressed cell of it may also hold 5 or more,
    # hidden so that a small one cannot be worked out by subtraction (secondary suppression).
    may_hide_more: bool = False


@dataclass(frozen=True)
class SteeringReportRow:
    bundle_uuid: str
    sender: str  # vault name / municipality
    period_from: date
    period_to: date
    created_at: datetime
    cases: int | None  # None when suppressed
    cells: tuple[ReportCell, ...]
    audit_head_seq: int
    audit_head_hash: str
