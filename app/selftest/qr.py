"""A QR code round trip as the certificates make and read it: segno's matrix drawn as vector
graphics by reportlab, the page rendered by pdfium, the code decoded by zxing-cpp."""

from __future__ import annotations

import io
import secrets

from reportlab.pdfgen.canvas import Canvas

from app.printing.seal_mark import QrCode
from app.seal.qr import qr_matrix
from app.seal.reading import qr_texts_from_pdf

PAGE = 60 * 72 / 25.4  # 60 mm square: the symbol and a margin


class QrCheckFailed(Exception):
    pass


def qr_page(text: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE, PAGE))
    symbol = QrCode(qr_matrix(text))
    symbol.drawOn(canvas, (PAGE - symbol.width) / 2, (PAGE - symbol.height) / 2)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def check_qr() -> str:
    text = "LT1:" + secrets.token_hex(24).upper()  # like a seal's length; random, so no stale hit
    found = qr_texts_from_pdf(qr_page(text))
    if found != [text]:
        raise QrCheckFailed(f"decoded {len(found)} codes, none matching" if found else
                            "no QR code decoded")
    return "segno -> reportlab -> pdfium -> zxing-cpp: text read back"
