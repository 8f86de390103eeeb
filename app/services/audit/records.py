"""Records of the audit domain: the case's history, entries of the log, an anchor restart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.anchoring import AnchorStatus
from app.audit import ChainReport


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: datetime
    kind: str
    label: str  # German, e.g. "Angelegt: Verlaufseintrag"
    detail: str  # German, e.g. "Klärung → Assessment"; never personal data


@dataclass(frozen=True)
class AnchorRestart:
    old_head: tuple[int, str] | None  # the replaced anchor's last record
    new_head: tuple[int, str] | None  # the store's head the new anchor was begun from
    kept: Path | None  # the old anchor file, renamed (None when there was none)
    status: AnchorStatus  # after the restart


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the log as ``lotse audit`` lists it: ids and kinds, never personal data."""

    seq: int
    at: datetime
    kind: str
    actor: str
    object_type: str | None
    object_uuid: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class ChainCheck:
    """The full check of ``lotse audit --verify``: the chain against the anchor, and the
    failure record's standing alarm (only looked at when the chain is whole)."""

    chain: ChainReport
    failure_record_alarm: str | None  # the alarm's English problem text
