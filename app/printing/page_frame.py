"""The page frame every printed document shares: A4, header, footer, draft watermark.

Header: municipality, title, date, and (when set) which copy this is and for whom. Footer: the
print date and "Seite x von y". The total page count is only known at the end, so the canvas
keeps every page's state and draws the footers when the document is saved (two passes over the
layout would cost twice the time). The watermark is solid light grey under the content: PDF/A
documents should not depend on transparency, and grey under black text stays legible.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from app.printing import fonts
from app.printing.escaping import plain

# Binary (Flate only) streams: ASCII85 on top makes files a quarter larger and, in pure Python,
# cost a fifth of the render time (the embedded font subsets). This module is the one place
# Lotse prints from, so the process-wide setting is its own.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 32 * mm  # room for the header
MARGIN_BOTTOM = 20 * mm  # room for the footer
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = Color(0, 0, 0)
RULE_GREY = Color(0.55, 0.55, 0.55)
WATERMARK_GREY = Color(0.86, 0.86, 0.86)
WATERMARK_TEXT = "ENTWURF"


@dataclass(frozen=True)
class PageFrame:
    """What the header and footer of every page say."""

    municipality: str
    title: str
    date_text: str  # e.g. the day of the conference, as printed
    printed_text: str  # "gedruckt am 04.12.2026, 14:03 Uhr"
    draft: bool  # the ENTWURF watermark on every page
    copy_note: str | None = None  # "Pseudonymisierte Ausfertigung · für …"


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """``text`` (typed by a person) on one line, shortened with an ellipsis to fit ``width``."""
    text = plain(text)
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_header(canvas: Canvas, frame: PageFrame) -> None:
    top = PAGE_HEIGHT - 14 * mm
    right = PAGE_WIDTH - MARGIN_RIGHT
    canvas.setFillColor(INK)
    date_width = canvas.stringWidth(frame.date_text, fonts.REGULAR, 9)
    room = CONTENT_WIDTH - date_width - 8 * mm
    canvas.setFont(fonts.BOLD, 10)
    canvas.drawString(MARGIN_LEFT, top, _fit(canvas, frame.municipality, fonts.BOLD, 10, room))
    canvas.setFont(fonts.REGULAR, 9)
    canvas.drawRightString(right, top, frame.date_text)
    canvas.drawString(MARGIN_LEFT, top - 4.6 * mm,
                      _fit(canvas, frame.title, fonts.REGULAR, 9, CONTENT_WIDTH))
    line_y = top - 7.5 * mm
    if frame.copy_note:
        canvas.setFont(fonts.BOLD, 8.5)
        canvas.drawString(MARGIN_LEFT, top - 9.2 * mm,
                          _fit(canvas, frame.copy_note, fonts.BOLD, 8.5, CONTENT_WIDTH))
        line_y = top - 11.5 * mm
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, line_y, right, line_y)


def _draw_watermark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(WATERMARK_GREY)
    canvas.setFont(fonts.BOLD, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(54.7)  # along the A4 diagonal
    canvas.drawCentredString(0, -38, WATERMARK_TEXT)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, frame: PageFrame, page: int, pages: int) -> None:
    y = 12 * mm
    right = PAGE_WIDTH - MARGIN_RIGHT
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, y + 4 * mm, right, y + 4 * mm)
    canvas.setFillColor(INK)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.drawString(MARGIN_LEFT, y, frame.printed_text)
    canvas.drawRightString(right, y, f"Seite {page} von {pages}")


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    """A canvas class that holds back each page until the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _draw_footer(self, frame, number, pages)
                super().showPage()
            super().save()

    return NumberedCanvas


def build(story: list[Any], frame: PageFrame, *, title: str, author: str, subject: str,
          on_page: Callable[[Canvas], None] | None = None) -> bytes:
    """Lay ``story`` out on framed A4 pages and return the PDF (not yet PDF/A)."""
    regular = fonts.register()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
        subject=subject, creator="Lotse", lang="de-DE", initialFontName=regular,
        initialFontSize=9, initialLeading=12, pageCompression=1)

    def decorate(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if frame.draft:
            _draw_watermark(canvas)  # first: under everything else on the page
        _draw_header(canvas, frame)
        if on_page is not None:
            on_page(canvas)
        canvas.restoreState()

    body = Frame(MARGIN_LEFT, MARGIN_BOTTOM, CONTENT_WIDTH,
                 PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[body], onPage=decorate)])
    doc.build(story, canvasmaker=_numbered_canvas(frame))
    return out.getvalue()
