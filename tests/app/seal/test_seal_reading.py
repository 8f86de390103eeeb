"""QR codes read back from a certificate's PDF (as printed by render_certificate) and from a
150 dpi scan-like image (slightly rotated, noisy); oversized files and images are refused before
they are parsed."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.printing import render_certificate
from app.seal.errors import SealError
from app.seal.qr import qr_matrix
from app.seal.qrtext import seal
from app.seal.reading import (
    MAX_IMAGE_PIXELS,
    MAX_PAGES,
    page_text_from_pdf,
    qr_codes_from_pdf,
    qr_texts_from_image,
    qr_texts_from_pdf,
)
from app.seal.records import MAX_FILE_BYTES, R_OK, R_UNREADABLE, SealPayload
from app.seal.verify import judge
from tests.app.seal.trust import MemoryTrust, issuer
from tests.support.certificate_samples import client

PAYLOAD = SealPayload(kind="participation", serial="DO-2026-K7Q2-B0007", holder="Ayşe Yıldız",
                      birth_date=date(1991, 3, 14), issued_on=date(2026, 12, 4),
                      office="Stadt Dortmund", subject="Sprachkurs B1",
                      period_from=date(2026, 9, 1), period_until=date(2026, 11, 27))


@pytest.fixture(scope="module")
def sealed() -> tuple[str, bytes, MemoryTrust]:
    private, card = issuer(valid_from=date(2026, 1, 1))
    text = seal(PAYLOAD, private)
    return text, render_certificate(client(qr_text=text, serial=PAYLOAD.serial)), \
        MemoryTrust([card])


def scan_of(pdf: bytes, dpi: int = 150) -> bytes:
    """The page as a flatbed scan: grey, 150 dpi, a little skewed, with sensor noise."""
    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    page.close()
    doc.close()
    skewed = image.rotate(1.2, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    noise = Image.effect_noise(skewed.size, 24).point(lambda v: (v - 128) // 3 + 128)
    noisy = ImageChops.add(skewed, noise, scale=1.0, offset=-128)
    buf = io.BytesIO()
    noisy.save(buf, format="PNG")
    return buf.getvalue()


def test_the_seal_is_read_back_from_the_pdf_and_verifies_with_the_page(
        sealed: tuple[str, bytes, MemoryTrust]) -> None:
    text, pdf, trust = sealed
    assert qr_texts_from_pdf(pdf) == [text]
    assert qr_codes_from_pdf(pdf) == [(0, text)]
    page = page_text_from_pdf(pdf)
    assert PAYLOAD.serial in page
    v = judge(text, trust, page_text=page)
    assert (v.reason, v.payload) == (R_OK, PAYLOAD)


def test_a_small_printed_code_is_found_at_the_second_scale(
        sealed: tuple[str, bytes, MemoryTrust]) -> None:
    text, _, _ = sealed
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    module = 0.22 * mm  # 1.3 pixels at 150 dpi: too small to read there, 2.6 at 300
    for y, row in enumerate(qr_matrix(text)):
        for x, dark in enumerate(row):
            if dark:
                c.rect(40 * mm + x * module, 200 * mm - y * module, module, module,
                       stroke=0, fill=1)
    c.drawString(40 * mm, 180 * mm, f"Nr. {PAYLOAD.serial}")
    c.save()
    assert qr_texts_from_pdf(buf.getvalue()) == [text]


def _pages_with_code_on(text: str, page_no: int, pages: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        if n == page_no:
            module = 0.5 * mm
            for y, row in enumerate(qr_matrix(text)):
                for x, dark in enumerate(row):
                    if dark:
                        c.rect(40 * mm + x * module, 250 * mm - y * module, module, module,
                               stroke=0, fill=1)
        c.drawString(40 * mm, 20 * mm, f"Seite {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_only_the_first_ten_pages_are_searched(sealed: tuple[str, bytes, MemoryTrust]) -> None:
    text = sealed[0]
    assert qr_codes_from_pdf(_pages_with_code_on(text, MAX_PAGES, 12)) == [(MAX_PAGES - 1, text)]
    assert qr_codes_from_pdf(_pages_with_code_on(text, MAX_PAGES + 1, 12)) == []
    assert page_text_from_pdf(_pages_with_code_on(text, 1, 12)).count("Seite") == MAX_PAGES


def test_the_seal_is_read_back_from_a_150_dpi_scan(
        sealed: tuple[str, bytes, MemoryTrust]) -> None:
    text, pdf, trust = sealed
    scan = scan_of(pdf)
    assert Image.open(io.BytesIO(scan)).size[0] < 1300  # A4 width at 150 dpi: 1240 + skew
    assert qr_texts_from_image(scan) == [text]
    assert judge(qr_texts_from_image(scan)[0], trust).ok


def _refused(call: object, data: bytes, de: str) -> None:
    with pytest.raises(SealError) as err:
        call(data)  # type: ignore[operator]
    assert err.value.reason == R_UNREADABLE
    assert de in err.value.message_de


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (the pixel data would never fit in memory)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                                 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_oversized_files_and_images_are_refused_before_parsing() -> None:
    big = bytes(MAX_FILE_BYTES + 1)
    _refused(qr_texts_from_pdf, big, "zu groß")
    _refused(qr_texts_from_image, big, "zu groß")
    side = int(MAX_IMAGE_PIXELS ** 0.5) + 1
    _refused(qr_texts_from_image, png_header_only(side, side), "Das Bild ist zu groß")
    _refused(qr_texts_from_image, png_header_only(100_000, 100_000), "zu groß")


def test_what_is_neither_pdf_nor_image_is_refused() -> None:
    _refused(qr_texts_from_pdf, b"%PDF-1.7 but nothing else", "kein lesbares PDF")
    _refused(qr_texts_from_image, b"GIF89a\x00broken", "weder ein PDF noch ein lesbares Bild")
    _refused(qr_texts_from_image, b"plain text", "weder ein PDF noch ein lesbares Bild")


def test_a_page_without_a_code_yields_nothing() -> None:
    blank = Image.new("L", (400, 300), 255)
    buf = io.BytesIO()
    blank.save(buf, format="PNG")
    assert qr_texts_from_image(buf.getvalue()) == []
