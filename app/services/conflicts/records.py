"""Conflicts as the Konflikte page and the CLI show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ConflictRow:
    id: int
    kind: str  # field / deleted
    table: str
    record_label: str  # German: "Journaleintrag vom 03.12.2026", "Kontakt Jobcenter Dortmund"
    case_uuid: str | None
    case_number: str | None
    field: str
    field_label: str  # German (app.field_labels)
    mine: Any  # the value here (shown as text by mine_text)
    theirs: Any
    mine_text: str  # German display of the value ("—" for empty, dates as 03.12.2026)
    theirs_text: str
    mine_by: str  # "Sie" or the case manager's name
    theirs_by: str
    mine_at: datetime | None
    theirs_at: datetime | None
    detected_at: datetime
    resolved_at: datetime | None
    resolution: str | None  # keep_local / take_remote / edited / decided_elsewhere
