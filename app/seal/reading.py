"""Reading QR codes back from a certificate's PDF or a scan: pdfium renders the page, zxing-cpp
finds and decodes the codes. Everything is capped before it is parsed: file size, pages, pixels.

pdfium is not thread-safe: call these from one worker at a time.
"""

from __future__ import annotations

import importlib
import io
from typing import Any

from PIL import Image

from app.seal.errors import SealError
from app.seal.records import MAX_FILE_BYTES, R_UNREADABLE

# zxing-cpp and pypdfium2 ship no type information; loaded by name so mypy needs no
# per-package exception.
zxingcpp: Any = importlib.import_module("zxingcpp")
pdfium: Any = importlib.import_module("pypdfium2")

MAX_PAGES = 10  # a certificate is one page; a scanned bundle of a few is still fine
MAX_RENDER_PIXELS = 12_000_000  # ~A4 at 300 dpi: a page with a huge media box is scaled down
MAX_IMAGE_PIXELS = 60_000_000  # a 600 dpi A4 scan is 35 MP
SECOND_SCALE = 2.0  # the page again at twice the resolution when the first finds nothing
IMAGE_FORMATS = ("PNG", "JPEG", "TIFF", "BMP", "GIF", "WEBP")


def _refused(message_de: str, detail_en: str) -> SealError:
    return SealError(R_UNREADABLE, message_de, detail_en)


def _cap(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise _refused(f"Die Datei ist zu groß (höchstens {MAX_FILE_BYTES // 2**20} MB).",
                       f"file larger than {MAX_FILE_BYTES} bytes")


def _open_pdf(data: bytes) -> Any:
    _cap(data)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _refused("Die Datei ist kein lesbares PDF.", "not a readable PDF") from None


def _decode(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [str(b.text) for b in found if b.text]


def _render(page: Any, dpi: float) -> Image.Image:
    width, height = page.get_size()
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
    return image


def qr_codes_from_pdf(data: bytes, dpi: int = 150) -> list[tuple[int, str]]:
    """(page index, text) of every QR code on the first MAX_PAGES pages."""
    pdf = _open_pdf(data)
    try:
        found: list[tuple[int, str]] = []
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            try:
                texts = _decode(_render(page, dpi)) or _decode(_render(page, dpi * SECOND_SCALE))
            finally:
                page.close()
            found += [(index, t) for t in texts]
        return found
    finally:
        pdf.close()


def qr_texts_from_pdf(data: bytes, dpi: int = 150) -> list[str]:
    return [text for _, text in qr_codes_from_pdf(data, dpi)]


def page_texts_from_pdf(data: bytes) -> list[str]:
    """The text of each of the first MAX_PAGES pages (to compare with what the QR code says)."""
    pdf = _open_pdf(data)
    try:
        texts = []
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                texts.append(str(textpage.get_text_range()))
            finally:
                textpage.close()
                page.close()
        return texts
    finally:
        pdf.close()


def page_text_from_pdf(data: bytes) -> str:
    return "\n".join(page_texts_from_pdf(data))


def qr_texts_from_image(data: bytes) -> list[str]:
    """Every QR code in a scan or photo (PNG, JPEG, TIFF, …), after checking its pixel count
    from the header, before any pixel is decoded."""
    _cap(data)
    too_big = _refused("Das Bild ist zu groß. Bitte scannen Sie mit höchstens 600 dpi.",
                       f"image has more than {MAX_IMAGE_PIXELS} pixels")
    try:
        image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except Image.DecompressionBombError:  # Pillow's own guard, far above ours
        raise too_big from None
    except (OSError, ValueError):
        raise _refused("Die Datei ist weder ein PDF noch ein lesbares Bild.",
                       "not a PDF or a readable image") from None
    with image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise too_big
        try:
            grey = image.convert("L")
        except (OSError, ValueError, Image.DecompressionBombError):
            raise _refused("Das Bild ist beschädigt und kann nicht gelesen werden.",
                           "image data broken") from None
    return _decode(grey)
