"""Lookups shared by the register's reads and writes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.editing import live
from app.services.gaps.records import CATEGORIES, SEVERITIES, STATUSES, GapEntry
from db.models import SystemGap


def gap_entry(g: SystemGap) -> GapEntry:
    return GapEntry(g.uuid, g.category, CATEGORIES.get(g.category, g.category), g.title,
                    g.description, g.severity, SEVERITIES.get(g.severity, g.severity),
                    g.status, STATUSES.get(g.status, g.status), g.noticed_on,
                    tuple(g.legal_domains or []), g.resolved_on)


def live_gap(s: Session, uuid: str) -> SystemGap:
    return live(s, SystemGap, uuid, "Die Lücke wurde nicht gefunden.")
