"""The page of a certificate: A4 portrait, letterhead or border, the serial in the footer.

A certificate is one page by design (the template check refuses texts too long for one); should
a text still run over, the next page carries the same footer and copy mark, never a blank
letterhead. The footer prints the serial on every page: verification compares the printed serial
with the one in the QR code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from app.printing import fonts
from app.printing.escaping import plain
from app.printing.page_frame import INK, RULE_GREY

PAGE_WIDTH, PAGE_HEIGHT = A4
ACCENT = Color(0.16, 0.29, 0.45)  # dark blue of the letterhead and the border: prints as grey
COPY_MARK = "ZWEITSCHRIFT"


@dataclass(frozen=True)
class CertificateFrame:
    office: str  # "Stadt Dortmund"
    unit: str  # "Kommunales Integrationsmanagement"
    place: str
    footer: str  # "Bescheinigung Nr. … · Prüfnummer …"
    copy_note: str | None  # "Zweitschrift vom 05.12.2026" on reprints
    bordered: bool  # the training certificate: a double border instead of a letterhead
    margin_top: float
    margin_side: float
    margin_bottom: float


def fit(canvas: Canvas, value: str, font: str, size: float, width: float) -> str:
    """``value`` (typed by a person) on one line, shortened with an ellipsis to fit."""
    value = plain(value)
    if canvas.stringWidth(value, font, size) <= width:
        return value
    while value and canvas.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def _letterhead(canvas: Canvas, frame: CertificateFrame) -> None:
    left, right = frame.margin_side, PAGE_WIDTH - frame.margin_side
    top = PAGE_HEIGHT - 18 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(fonts.BOLD, 16)
    canvas.drawString(left, top, fit(canvas, frame.office, fonts.BOLD, 16, 120 * mm))
    canvas.setFont(fonts.REGULAR, 9.5)
    canvas.drawString(left, top - 6 * mm, fit(canvas, f"{frame.unit} · {frame.place}",
                                              fonts.REGULAR, 9.5, 120 * mm))
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(left, top - 9.5 * mm, right, top - 9.5 * mm)


def _border(canvas: Canvas) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2.2)
    canvas.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(13 * mm, 13 * mm, PAGE_WIDTH - 26 * mm, PAGE_HEIGHT - 26 * mm)


def _copy_mark(canvas: Canvas, frame: CertificateFrame, note: str) -> None:
    # Top right, boxed and bold: a reprint must never pass for the original at a glance.
    right = PAGE_WIDTH - frame.margin_side
    y = PAGE_HEIGHT - (19 if frame.bordered else 9) * mm
    canvas.setFont(fonts.BOLD, 10)
    width = canvas.stringWidth(COPY_MARK, fonts.BOLD, 10)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1)
    canvas.rect(right - width - 4 * mm, y - 1.8 * mm, width + 4 * mm, 6 * mm)
    canvas.setFillColor(INK)
    canvas.drawRightString(right - 2 * mm, y, COPY_MARK)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.drawRightString(right, y - 5.5 * mm, note)


def _footer(canvas: Canvas, frame: CertificateFrame, page: int) -> None:
    left, right = frame.margin_side, PAGE_WIDTH - frame.margin_side
    y = (17 if frame.bordered else 12) * mm
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 4 * mm, right, y + 4 * mm)
    canvas.setFillColor(INK)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.drawString(left, y, fit(canvas, frame.footer, fonts.REGULAR, 8,
                                   right - left - 20 * mm))
    canvas.drawRightString(right, y, f"Seite {page}")


def build(story: list[Any], frame: CertificateFrame, *, title: str, author: str,
          subject: str) -> bytes:
    """Lay ``story`` out on certificate pages and return the PDF (not yet PDF/A)."""
    regular = fonts.register()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=frame.margin_side, rightMargin=frame.margin_side,
        topMargin=frame.margin_top, bottomMargin=frame.margin_bottom, title=title,
        author=author, subject=subject, creator="Lotse", lang="de-DE",
        initialFontName=regular, initialFontSize=9, initialLeading=12, pageCompression=1)

    def decorate(canvas: Canvas, page_doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if frame.bordered:
            _border(canvas)
        elif page_doc.page == 1:
            _letterhead(canvas, frame)
        if frame.copy_note:
            _copy_mark(canvas, frame, frame.copy_note)
        _footer(canvas, frame, page_doc.page)
        canvas.restoreState()

    width = PAGE_WIDTH - 2 * frame.margin_side
    body = Frame(frame.margin_side, frame.margin_bottom, width,
                 PAGE_HEIGHT - frame.margin_top - frame.margin_bottom, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[body], onPage=decorate)])
    doc.build(story)
    return out.getvalue()
