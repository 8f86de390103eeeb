"""Writing a copy of the minutes to a file: the name Lotse suggests; the write itself is the
shared one of ``ui.pdf_output.files`` (complete PDF or nothing, never replacing unasked)."""

from __future__ import annotations

from datetime import datetime

from app.services.conferences.records import PSEUDONYMISED
from ui.pdf_output.files import SaveFailed, save_pdf, save_recorded

__all__ = ["SaveFailed", "save_pdf", "save_recorded", "suggested_name"]


def suggested_name(scheduled_at: datetime, version: str) -> str:
    """``Protokoll_2026-12-10_Fallkonferenz.pdf``: the date only, never the title (titles name
    families) or a recipient; file names show up in mail, on shares and in recent-file lists."""
    day = scheduled_at.astimezone().date().isoformat()
    suffix = "_pseudonymisiert" if version == PSEUDONYMISED else ""
    return f"Protokoll_{day}_Fallkonferenz{suffix}.pdf"
