"""Records of the audit domain: the case's history, entries of the log, an anchor restart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.anchoring import AnchorStatus


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
