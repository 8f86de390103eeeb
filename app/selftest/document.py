"""A PDF/A document through the real printing path: a one-page client certificate.

``render_sample`` returns the bytes (the Qt check opens them with QtPdf); ``check_pdfa`` reads
them back with pikepdf and requires what PDF/A-2b adds to reportlab's output: the output intent,
the XMP identification and embedded fonts only.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pikepdf

from app.printing import render_certificate
from app.services.certificates.records import CertificateDocument

PAGES = 1
SAMPLE_QR = "LT1:SELFTEST"  # not a seal: only drawn here, nobody verifies it


class DocumentCheckFailed(Exception):
    pass


def sample_certificate() -> CertificateDocument:
    today = date(2026, 1, 1)  # fixed: the same bytes on every run but for pikepdf's ids
    return CertificateDocument(
        serial="ST-0000-0001", kind="participation", title="Teilnahmebescheinigung",
        blocks=("Selbsttest: Frau Şahin Müller-Lüdenscheidt hat teilgenommen (Prüfdruck).",),
        holder_name="Şahin Müller-Lüdenscheidt", holder_birth_date=None,
        facts=(("Maßnahme", "Selbsttest"),), issued_on=today, office="Selbsttest",
        place="Lotse", issuer_name="Lotse", qr_text=SAMPLE_QR, check_code="00000-00000",
        key_fingerprint="00" * 32, printed_at=datetime(2026, 1, 1, tzinfo=UTC))


def render_sample() -> bytes:
    return render_certificate(sample_certificate(), pdfa=True)


def check_pdfa(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        if pages != PAGES:
            raise DocumentCheckFailed(f"{pages} pages, expected {PAGES}")
        if "/OutputIntents" not in pdf.Root:
            raise DocumentCheckFailed("no PDF/A output intent")
        with pdf.open_metadata() as meta:
            part = meta.get("pdfaid:part")
        if part != "2":
            raise DocumentCheckFailed(f"XMP says PDF/A part {part!r}, expected '2'")
        for name, font in _fonts(pdf):
            if not any(key in font.get("/FontDescriptor", {}) for key in
                       ("/FontFile", "/FontFile2", "/FontFile3")):
                raise DocumentCheckFailed(f"font {name} is not embedded")
    return f"PDF/A-2b certificate, {pages} page, {len(data) // 1024} KiB"


def _fonts(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """Every font a page uses; a composite (Type0) font by its descendants, which embed."""
    found: list[tuple[str, pikepdf.Object]] = []
    for page in pdf.pages:
        for name, font in page.resources.get("/Font", {}).items():
            for descendant in font.get("/DescendantFonts", [font]):
                found.append((str(name), descendant))
    return found
