"""Ruled tables of user text: the header repeats on every page the table spans, long rows may
split across pages (a cell taller than a page would otherwise stop the whole print).

A cell that fits on one line is handed to the table as a plain string: reportlab draws it as it
is (no markup is parsed in a plain cell) and skips the paragraph parse and line breaking, which
is most of the layout time of a long document. Only a cell that needs wrapping becomes an
(escaped) paragraph.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from app.printing import fonts, styles
from app.printing.escaping import plain, text

PADDING = 8.0  # left + right cell padding (styles.grid_table)


def cell(value: str, width: float) -> Any:
    """``value`` for a cell of ``width`` points: a plain line or a wrapping paragraph."""
    one_line = plain(value)
    if "\n" not in value.strip() and (
            stringWidth(one_line, fonts.REGULAR, styles.CELL.fontSize) <= width - PADDING):
        return one_line
    return Paragraph(text(value), styles.CELL)


def grid(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """``rows`` hold the values as typed (escaped here); ``header`` is the document's own."""
    data: list[list[Any]] = [[Paragraph(h, styles.CELL_HEAD) for h in header]]
    data += [[cell(value, w) for value, w in zip(row, widths, strict=True)] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(styles.grid_table())
    return table
