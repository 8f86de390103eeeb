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
