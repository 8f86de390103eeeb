"""Records of the residence domain: the client's residence statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StatusEntry:
    uuid: str
    kind: str
    kind_label: str
    legal_basis: str | None
    valid_from: date | None
    valid_until: date | None
    work_permission: str | None
    residence_obligation: str | None
    document_seen_on: date | None
    expires: bool = True  # the kind has an end date: none stored means "Ende unbekannt"
    corrected_on: date | None = None  # superseded by a correction (then it no longer counts)
    correction_reason: str | None = None

    @property
    def superseded(self) -> bool:
        return self.corrected_on is not None


@dataclass(frozen=True)
class StatusView:
    today: date
    statuses: list[StatusEntry]


@dataclass(frozen=True)
class NewStatus:
    kind: str
    valid_from: date | None
    valid_until: date | None
    legal_basis: str | None = None
    work_permission: str | None = None
    residence_obligation: str | None = None
    document_seen_on: date | None = None
    note: str | None = None
    end_unknown: bool = False  # asked for explicitly when a kind that expires has no end date


# Why a status entry is removed (not corrected): codes, so the audit log can keep the reason
# without the free text a person might type (which could name someone).
REMOVAL_REASONS = {
    "recorded_in_error": "versehentlich erfasst",
    "wrong_person": "bei der falschen Person erfasst",
    "duplicate": "doppelt erfasst",
}
