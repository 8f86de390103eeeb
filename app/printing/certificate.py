"""Certificates (Bescheinigungen) as printed: the client certificate a job centre accepts, and
the staff training certificate worth hanging on a wall.

Both take the ``CertificateDocument`` and nothing else: every text is final and the QR text
already sealed, so the paper says exactly what the register holds. Every text comes from a
person or a template and is escaped before it meets reportlab markup. A reprint
(``doc.copy > 0``) is marked "Zweitschrift" on every page and carries its own seal.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from app.printing import certificate_training, fonts, styles
from app.printing.certificate_frame import PAGE_WIDTH, CertificateFrame, build
from app.printing.escaping import text
from app.printing.pdfa import to_pdfa
from app.printing.seal_mark import seal_block
from app.seal.qr import qr_matrix
from app.services.certificates.records import TRAINING, CertificateDocument

UNIT = "Kommunales Integrationsmanagement"
ISSUER_ROLE = "Fallmanagement – Kommunales Integrationsmanagement"
SIDE = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE

TITLE = ParagraphStyle("cert_title", parent=styles.BODY, fontName=fonts.BOLD, fontSize=20,
                       leading=25, spaceAfter=8)
HOLDER = ParagraphStyle("cert_holder", parent=styles.BODY, fontName=fonts.BOLD, fontSize=13,
                        leading=17)
TEXT = ParagraphStyle("cert_text", parent=styles.BODY, fontSize=10.5, leading=15, spaceAfter=6)
COPY = ParagraphStyle("cert_copy", parent=TEXT, fontName=fonts.BOLD, alignment=TA_CENTER,
                      borderWidth=1, borderColor=styles.GRID, borderPadding=5, spaceBefore=4,
                      spaceAfter=12)


def copy_note(doc: CertificateDocument) -> str | None:
    """What a reprint says about itself; None on the original."""
    if doc.copy <= 0:
        return None
    on = styles.day(doc.copy_on) if doc.copy_on is not None else styles.day(doc.issued_on)
    return f"Zweitschrift vom {on}"


def frame_of(doc: CertificateDocument) -> CertificateFrame:
    footer = f"Nr. {doc.serial} · Prüfnummer {doc.check_code}"
    if doc.copy > 0:
        footer = f"{footer} · {copy_note(doc)}"
    if doc.kind == TRAINING:
        return CertificateFrame(office=doc.office, unit=UNIT, place=doc.place, footer=footer,
                                copy_note=copy_note(doc), bordered=True, margin_top=21 * mm,
                                margin_side=certificate_training.SIDE, margin_bottom=23 * mm)
    return CertificateFrame(office=doc.office, unit=UNIT, place=doc.place, footer=footer,
                            copy_note=copy_note(doc), bordered=False, margin_top=40 * mm,
                            margin_side=SIDE, margin_bottom=22 * mm)


def client_story(doc: CertificateDocument) -> list[Any]:
    flow: list[Any] = [Paragraph(text(doc.title), TITLE)]
    note = copy_note(doc)
    if note is not None:
        flow.append(Paragraph(
            f"{note} – Das Original wurde am {styles.day(doc.issued_on)} ausgestellt.", COPY))
    flow.append(Paragraph(text(doc.holder_name), HOLDER))
    if doc.holder_birth_date is not None:
        flow.append(Paragraph(f"geboren am {styles.day(doc.holder_birth_date)}", TEXT))
    flow.append(Spacer(0, 5 * mm))
    flow += [Paragraph(text(block), TEXT) for block in doc.blocks if block.strip()]
    if doc.facts:
        flow += [Spacer(0, 2 * mm), _facts(doc.facts)]
    flow += [Spacer(0, 7 * mm),
             Paragraph(f"{text(doc.place)}, den {styles.day(doc.issued_on)}", TEXT),
             _signature(doc)]
    flow += [Spacer(0, 9 * mm), KeepTogether(seal_block(
        qr_matrix(doc.qr_text), serial=doc.serial, check_code=doc.check_code,
        fingerprint=doc.key_fingerprint, width=CONTENT_WIDTH))]
    return flow


def _facts(facts: tuple[tuple[str, str], ...]) -> Table:
    label_width = 48 * mm
    rows = [[Paragraph(f"<b>{text(label)}</b>", styles.BODY),
             Paragraph(text(value, empty="–"), styles.BODY)] for label, value in facts]
    table = Table(rows, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    style = styles.grid_table(header_rows=0)
    style.add("BACKGROUND", (0, 0), (0, -1), styles.HEAD_FILL)
    table.setStyle(style)
    return table


def _signature(doc: CertificateDocument) -> Any:
    parts = [Spacer(0, 14 * mm), Paragraph("_" * 40, styles.BODY),
             Paragraph(text(doc.issuer_name), styles.BODY),
             Paragraph(ISSUER_ROLE, styles.SMALL), Paragraph(text(doc.office), styles.SMALL)]
    return KeepTogether(parts)


def render(doc: CertificateDocument, *, pdfa: bool) -> bytes:
    fonts.register()  # before any paragraph is parsed: <b> resolves through the family
    story = certificate_training.story(doc) if doc.kind == TRAINING else client_story(doc)
    title = f"{doc.title} Nr. {doc.serial}"
    data = build(story, frame_of(doc), title=title, author=doc.office, subject=doc.title)
    if not pdfa:
        return data
    created = doc.printed_at if doc.printed_at is not None else styles.midnight(doc.issued_on)
    return to_pdfa(data, title=title, author=doc.office, subject=doc.title, created=created)
