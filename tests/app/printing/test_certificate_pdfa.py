"""The printed certificates are archivable as the minutes are: PDF/A-2b, every font embedded,
checked by pikepdf's validator and by Apache PDFBox Preflight."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from app.printing import render_certificate
from tests.app.printing import pdf_tools
from tests.app.printing.test_minutes_pdfa import preflight
from tests.support.certificate_samples import client, training

DOCS = {
    "client": client(),
    "client_copy": client(copy=1, copy_on=date(2026, 12, 5), title="Titel <b>&</b> „Zitat“"),
    "training": training(),
}


@pytest.fixture(scope="module", params=sorted(DOCS))
def pdf(request: pytest.FixtureRequest) -> bytes:
    return render_certificate(DOCS[request.param])


def test_every_font_is_embedded_truetype_and_no_standard_font_sneaks_in(
        pdf: bytes, tmp_path: Path) -> None:
    rows = pdf_tools.fonts(pdf, tmp_path)
    assert rows
    for row in rows:
        assert row.embedded and row.subset and row.unicode, row
        assert row.type == "TrueType" and "DejaVuSans" in row.name, row
    assert b"Helvetica" not in pdf and b"Times-Roman" not in pdf and b"ZapfDingbats" not in pdf


def test_identified_as_pdfa_2b_and_pikepdfs_validator_approves(pdf: bytes,
                                                               tmp_path: Path) -> None:
    path = pdf_tools._file(pdf, tmp_path)
    with pikepdf.open(path) as opened:
        with opened.open_metadata() as meta:
            assert meta.pdfa_status == "2B"
        assert str(opened.docinfo.Author) == "Stadt Dortmund"
        assert "Nr. DO-2026-K7Q2-B00" in str(opened.docinfo.Title)
        assert len(opened.pages) == 1
    report = pikepdf.pdfa.validate_written(path, "2b")
    assert report.passed, [str(f) for f in report.findings]
    assert pdf_tools.info(pdf, tmp_path)["Page size"].startswith("595.276 x 841.89")


@pytest.mark.pdfbox
def test_pdfbox_preflight_finds_nothing_but_the_part_2_identification(
        pdf: bytes, tmp_path: Path) -> None:
    assert preflight(pdf, tmp_path) == ["7.11.2 : Error on MetaData, part must be 1"]


def test_without_a_print_time_the_issue_day_dates_the_file(tmp_path: Path) -> None:
    data = render_certificate(replace(client(), printed_at=None))
    assert pdf_tools.info(data, tmp_path)["CreationDate"]
    with pikepdf.open(pdf_tools._file(data, tmp_path)) as opened:
        assert str(opened.docinfo.CreationDate).startswith("D:20261204000000")


def test_without_the_pdfa_step_the_same_page_but_no_pdfa_claim(tmp_path: Path) -> None:
    plain = render_certificate(client(), pdfa=False)
    archived = render_certificate(client())
    assert pdf_tools.text(plain, tmp_path) == pdf_tools.text(archived, tmp_path)
    with pikepdf.open(pdf_tools._file(plain, tmp_path)) as opened:
        assert "/OutputIntents" not in opened.Root and "/Metadata" not in opened.Root
