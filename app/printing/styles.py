"""Paragraph and table styles of printed documents, and German dates as printed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from app.printing import fonts

BODY = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.8)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, fontName=fonts.BOLD)
# A label never ends a page without the text it labels.
LABEL = ParagraphStyle("label", parent=BODY, fontName=fonts.BOLD, fontSize=9, leading=12,
                       spaceBefore=5, spaceAfter=1, keepWithNext=1)
NOTE = ParagraphStyle("note", parent=BODY, fontName=fonts.ITALIC)
TITLE = ParagraphStyle("title", parent=BODY, fontName=fonts.BOLD, fontSize=16, leading=20,
                       spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=11, leading=14, spaceAfter=8)
HEADING = ParagraphStyle("heading", parent=BODY, fontName=fonts.BOLD, fontSize=12.5,
                         leading=16, spaceBefore=12, spaceAfter=4, keepWithNext=1)
CASE_HEADING = ParagraphStyle("case_heading", parent=HEADING, fontSize=11, leading=14,
                              spaceBefore=4, spaceAfter=2)

HEAD_FILL = Color(0.90, 0.90, 0.90)
GRID = Color(0.60, 0.60, 0.60)


def grid_table(header_rows: int = 1) -> TableStyle:
    """A ruled table whose header rows are shaded (and repeated on every page it spans)."""
    return TableStyle([
        # Plain-string cells are drawn with these: the same face, size and leading as CELL.
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL.fontSize),
        ("LEADING", (0, 0), (-1, -1), CELL.leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ])


def plain_table() -> TableStyle:
    """Label/value pairs without rules (the meta block)."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ])


def day(value: date | None, empty: str = "–") -> str:
    """dd.mm.yyyy: four-digit years on paper, always."""
    return value.strftime("%d.%m.%Y") if value is not None else empty


def local(value: datetime) -> datetime:
    """Stored times are aware UTC; paper shows the local time of the machine that prints."""
    return value.astimezone() if value.tzinfo is not None else value


def clock_time(value: datetime) -> str:
    return f"{local(value):%H:%M} Uhr"


def midnight(value: date) -> datetime:
    """A day as an aware UTC instant (PDF metadata of a document that has no print time)."""
    return datetime(value.year, value.month, value.day, tzinfo=UTC)
