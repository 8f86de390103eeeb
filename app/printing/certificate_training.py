"""The staff training certificate: a bordered page with the name large, the course, its modules
with teaching and presence units, the totals and the DGCC criteria the training meets.

The criteria come as the document's facts (label, how it is met), written when the register
issued the certificate: the page prints them, it does not judge them again.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from app.printing import fonts, styles
from app.printing.certificate_frame import ACCENT, PAGE_WIDTH
from app.printing.escaping import text
from app.printing.seal_mark import SYMBOL_WIDTH, QrCode, seal_legend
from app.printing.tables import cell
from app.seal.qr import qr_matrix
from app.services.certificates.records import CertificateDocument, TrainingLine

COURSE = "Einwanderung erfolgreich managen – Case Management (Grund- und Aufbaukurs)"
ROLE = "Fallmanagement – Kommunales Integrationsmanagement"
SIDE = 24 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE

OFFICE = ParagraphStyle("tr_office", parent=styles.BODY, fontName=fonts.BOLD, fontSize=12,
                        leading=15, alignment=TA_CENTER, textColor=ACCENT)
CENTRED = ParagraphStyle("tr_centred", parent=styles.BODY, fontSize=10.5, leading=14.5,
                         alignment=TA_CENTER)
TITLE = ParagraphStyle("tr_title", parent=CENTRED, fontName=fonts.BOLD, fontSize=26,
                       leading=32, textColor=ACCENT, spaceBefore=2, spaceAfter=4)
NAME = ParagraphStyle("tr_name", parent=CENTRED, fontName=fonts.BOLD, fontSize=22, leading=28,
                      spaceBefore=4, spaceAfter=2)
COURSE_STYLE = ParagraphStyle("tr_course", parent=CENTRED, fontName=fonts.BOLD, fontSize=12,
                              leading=16, spaceBefore=4, spaceAfter=4)
BLOCK = ParagraphStyle("tr_block", parent=styles.BODY, spaceAfter=3)
SECTION = ParagraphStyle("tr_section", parent=styles.BODY, fontName=fonts.BOLD, fontSize=10,
                         leading=13, spaceBefore=8, spaceAfter=3, keepWithNext=1)


def story(doc: CertificateDocument) -> list[Any]:
    flow: list[Any] = [Paragraph(text(doc.office), OFFICE),
                       Paragraph("Kommunales Integrationsmanagement", CENTRED),
                       Spacer(0, 2 * mm), Paragraph(text(doc.title), TITLE),
                       Paragraph(text(doc.holder_name), NAME)]
    if doc.holder_birth_date is not None:
        flow.append(Paragraph(f"geboren am {styles.day(doc.holder_birth_date)}", CENTRED))
    # The ceremonial part names the course; what was achieved is the register's text below.
    flow += [Spacer(0, 1 * mm), Paragraph("Weiterbildung", CENTRED),
             Paragraph(COURSE, COURSE_STYLE), Spacer(0, 2 * mm)]
    flow += [Paragraph(text(block), BLOCK) for block in doc.blocks if block.strip()]
    if doc.training:
        flow += [Paragraph("Module", SECTION), _modules(doc.training)]
    if doc.facts:
        flow += [Paragraph("Erfüllte Kriterien", SECTION), _criteria(doc.facts)]
    flow += [Spacer(0, 5 * mm), _closing(doc)]
    return flow


def _modules(lines: tuple[TrainingLine, ...]) -> Table:
    w = CONTENT_WIDTH
    widths = [0.15 * w, 0.46 * w, 0.09 * w, 0.16 * w, 0.14 * w]
    header = ["Kurs", "Modul", "UE", "davon Präsenz", "Datum"]
    data: list[list[Any]] = [[Paragraph(h, styles.CELL_HEAD) for h in header]]
    for line in lines:
        values = [line.course, line.module, str(line.teaching_units), str(line.presence_units),
                  styles.day(line.held_on)]
        data.append([cell(v, width) for v, width in zip(values, widths, strict=True)])
    units = sum(line.teaching_units for line in lines)
    presence = sum(line.presence_units for line in lines)
    share = f" ({round(100 * presence / units)} %)" if units else ""
    data.append([Paragraph("<b>Summe</b>", styles.CELL), "", Paragraph(f"<b>{units}</b>",
                 styles.CELL), Paragraph(f"<b>{presence}</b>{share}", styles.CELL), ""])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    style = styles.grid_table()
    style.add("SPAN", (0, -1), (1, -1))
    style.add("ALIGN", (2, 1), (3, -1), "RIGHT")
    table.setStyle(style)
    return table


def _criteria(facts: tuple[tuple[str, str], ...]) -> Table:
    rows = [[Paragraph("✓", styles.BODY), Paragraph(f"<b>{text(label)}</b>", styles.BODY),
             Paragraph(text(value), styles.BODY)] for label, value in facts]
    table = Table(rows, colWidths=[6 * mm, 80 * mm, CONTENT_WIDTH - 86 * mm], hAlign="LEFT")
    table.setStyle(styles.plain_table())
    return table


def _closing(doc: CertificateDocument) -> Any:
    """Place and date, two signature lines and the legend beside the QR code: side by side,
    the page keeps room for a long module list."""
    gap = 6 * mm
    left = CONTENT_WIDTH - SYMBOL_WIDTH - gap
    w = left / 2
    line = "_" * 30
    signatures = Table(
        [[Paragraph(f"{text(doc.place)}, den {styles.day(doc.issued_on)}", styles.BODY), ""],
         [Spacer(0, 13 * mm), ""],
         [Paragraph(line, styles.BODY), Paragraph(line, styles.BODY)],
         [Paragraph(f"{text(doc.issuer_name)}<br/>{ROLE}", styles.SMALL),
          Paragraph(f"Leitung<br/>{text(doc.office)}", styles.SMALL)]],
        colWidths=[w, w], hAlign="LEFT")
    signatures.setStyle(styles.plain_table())
    legend = seal_legend(serial=doc.serial, check_code=doc.check_code,
                         fingerprint=doc.key_fingerprint)
    row = Table([[[signatures, Spacer(0, 3 * mm), *legend], "",
                  QrCode(qr_matrix(doc.qr_text))]],
                colWidths=[left, gap, SYMBOL_WIDTH], hAlign="LEFT")
    style = styles.plain_table()
    style.add("VALIGN", (0, 0), (-1, -1), "BOTTOM")
    style.add("RIGHTPADDING", (0, 0), (-1, -1), 0)
    row.setStyle(style)
    return KeepTogether([row])
