"""The printed certificates read back as a person reads them: pdftotext for the words, a 150 dpi
rendering for the QR code (pypdfium2 renders, zxing-cpp decodes, as verification does)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from app.printing import render_certificate
from app.seal.keys import fingerprint_display
from app.services.certificates.records import CertificateDocument
from tests.app.printing import pdf_tools
from tests.support.certificate_samples import FINGERPRINT, QR_TEXT, client, training

HOSTILE_NAME = "<b>Fett</b> & {name} Ünal-Øster"
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung" * 3


def qr_texts(data: bytes, dpi: int = 150) -> list[str]:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        found = []
        for page in pdf:
            image = page.render(scale=dpi / 72).to_pil()
            found += [r.text for r in zxingcpp.read_barcodes(image)
                      if r.format == zxingcpp.BarcodeFormat.QRCode]
        return found
    finally:
        pdf.close()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("make", [client, training], ids=["client", "training"])
def test_the_qr_code_decodes_from_a_150_dpi_rendering_to_exactly_the_sealed_text(
        make: object) -> None:
    doc: CertificateDocument = make()  # type: ignore[operator]
    assert qr_texts(render_certificate(doc)) == [QR_TEXT]
    other = "LT1:" + "NCFOXN%TS3DH0" * 3
    assert qr_texts(render_certificate(replace(doc, qr_text=other))) == [other]


def test_a_client_certificate_prints_what_a_job_centre_looks_for(tmp_path: Path) -> None:
    data = render_certificate(client())
    pages = pdf_tools.pages_text(data, tmp_path)
    assert len(pages) == 1
    page = flat(pages[0])
    for expected in ["Stadt Dortmund", "Kommunales Integrationsmanagement",
                     "Teilnahmebescheinigung", "Ayşe Yıldız", "geboren am 14.03.1991",
                     "Integrationskurs – Sprachkurs B1", "Volkshochschule Dortmund",
                     "Dortmund, den 04.12.2026", "Jürgen Müller-Lüdenscheidt",
                     "Fallmanagement – Kommunales Integrationsmanagement",
                     "Prüfen: Lotse → Bescheinigung prüfen, oder telefonisch mit der "
                     "Prüfnummer K7QM2-XHD9R", f"Schlüssel: {fingerprint_display(FINGERPRINT)}",
                     "Nr. DO-2026-K7Q2-B0007", "Seite 1"]:
        assert expected in page, expected
    assert "Zweitschrift" not in page and "ZWEITSCHRIFT" not in page
    # The facts are a table: label and value on one line.
    assert any("Träger" in line and "Volkshochschule Dortmund" in line
               for line in pages[0].splitlines())


def test_without_a_birth_date_no_birth_line(tmp_path: Path) -> None:
    page = flat(pdf_tools.text(render_certificate(client(holder_birth_date=None)), tmp_path))
    assert "geboren" not in page and "Ayşe Yıldız" in page


@pytest.mark.parametrize("make", [client, training], ids=["client", "training"])
def test_a_reprint_is_marked_zweitschrift_with_its_date_on_every_page_the_original_never(
        make: object, tmp_path: Path) -> None:
    original: CertificateDocument = make()  # type: ignore[operator]
    copy = replace(original, copy=2, copy_on=date(2026, 12, 5))
    copy_page = flat(pdf_tools.text(render_certificate(copy), tmp_path))
    assert "ZWEITSCHRIFT" in copy_page
    assert "Zweitschrift vom 05.12.2026" in copy_page
    original_page = flat(pdf_tools.text(render_certificate(original), tmp_path))
    assert "zweitschrift" not in original_page.lower()


def test_a_training_certificate_lists_modules_totals_and_criteria(tmp_path: Path) -> None:
    data = render_certificate(training())
    pages = pdf_tools.pages_text(data, tmp_path)
    assert len(pages) == 1, "one page, worth hanging on the wall"
    page = flat(pages[0])
    for expected in ["Zertifikat Case Management", "Olena Kovalenko",
                     "Einwanderung erfolgreich managen – Case Management (Grund- und "
                     "Aufbaukurs)", "Gesprächsführung mit Sprachmittlung", "12.05.2026",
                     "Summe 144 92 (64 %)", "Erfüllte Kriterien",
                     "Präsenzanteil mindestens 60 % erfüllt: 92 UE (64 %)",
                     "Kolloquium bestanden am 24.11.2026", "Dortmund, den 04.12.2026",
                     "Fatma Şahin", "Leitung", "Prüfnummer M3TQ8-PW2ZC",
                     "Nr. DO-2026-K7Q2-B0012"]:
        assert expected in page, expected
    lines = pages[0].splitlines()
    assert any("Monitoring, Evaluation und Dokumentation" in line and " 24 " in line
               and " 12 " in line and "16.06.2026" in line for line in lines)


def test_a_page_is_bordered_for_training_and_letterheaded_for_clients(tmp_path: Path) -> None:
    """The wall certificate centres the name large; the letter puts the office top left."""
    words = pdf_tools.words(render_certificate(training()), tmp_path)
    [name] = [w for w in words if w.text == "Kovalenko"]
    [first] = [w for w in words if w.text == "Olena"]
    centre = (first.x_min + name.x_max) / 2
    assert abs(centre - 595.276 / 2) < 3
    assert name.x_max - first.x_min > 150  # large: 22 pt type
    (tmp_path / "letter").mkdir()
    letter = pdf_tools.words(render_certificate(client()), tmp_path / "letter")
    office = next(w for w in letter if w.text == "Stadt")
    assert office.x_min < 70 and office.y_min < 70


@pytest.mark.parametrize("make", [client, training], ids=["client", "training"])
def test_hostile_text_prints_literally(make: object, tmp_path: Path) -> None:
    doc: CertificateDocument = make()  # type: ignore[operator]
    hostile = replace(
        doc, holder_name=HOSTILE_NAME, title="Bescheinigung <font size=40>&amp;</font>",
        blocks=(f"Text mit <i>Tags</i> & Ampersand, {{vorname}} und {LONG_WORD}.",),
        facts=(("<b>Label</b>", "Wert & <br/> {x}"),), issuer_name="O'Brien <script>",
        office="Stadt <Köln> & Umland", place="Köln & <Umland>")
    data = render_certificate(hostile)
    page = flat(pdf_tools.text(data, tmp_path))
    for expected in [HOSTILE_NAME, "Bescheinigung <font size=40>&amp;</font>",
                     "Text mit <i>Tags</i> & Ampersand, {vorname} und", "O'Brien <script>",
                     "Stadt <Köln> & Umland", "Köln & <Umland>, den 04.12.2026"]:
        assert expected in page, expected
    if doc.kind != "training":
        assert "<b>Label</b> Wert & <br/> {x}" in page
    else:
        assert "<b>Label</b>" in page and "Wert & <br/> {x}" in page
    # The very long word is broken across lines, never cut off: every letter is on the page.
    assert LONG_WORD in "".join(pdf_tools.text(data, tmp_path, layout=False).split())
    assert qr_texts(data) == [QR_TEXT]
