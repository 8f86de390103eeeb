"""The printed minutes are archivable: PDF/A-2b, every font embedded, checked by two validators
(pikepdf's own PDF/A validator and Apache PDFBox Preflight) and by reading the structure."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from lxml import etree

from app.printing import render_minutes
from tests.app.printing import pdf_tools
from tests.conftest import ROOT
from tests.support.minutes_samples import minutes

pytestmark = pytest.mark.pdfbox  # Preflight below: .ci/run installs Debian's libpdfbox2-java

# Debian's libpdfbox2-java (Preflight, PDFBox 2.0) and what it needs on Java 17.
PREFLIGHT_PACKAGES = ["libpdfbox2-java", "libactivation-java", "libjaxb-api-java",
                      "default-jre-headless"]
JARS = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation",
        "jaxb-api"]
NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/"}


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_minutes(minutes(cases=5, participants=12))


@pytest.fixture(scope="module")
def approved_pdf() -> bytes:
    return render_minutes(replace(minutes(cases=2, draft=False), recipient="Łukasz Wróblewski",
                                  version="pseudonymised",
                                  title="Titel mit <b>Markup</b> & „Zitat“"))


def _xmp(pdf: pikepdf.Pdf) -> etree._Element:
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


def _one(root: etree._Element, path: str) -> str:
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, path
    return str(found[0])


def preflight(data: bytes, folder: Path) -> list[str]:
    """PDFBox Preflight (PDF/A-1b rules) on the file: the error lines, [] if valid."""
    path = folder / "preflight.pdf"
    path.write_bytes(data)
    classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)
    run = subprocess.run(["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b",
                          str(path)], capture_output=True, text=True, timeout=120)
    out = run.stdout + run.stderr
    if "is a valid PDF/A-1b file" in out:
        return []
    assert "is not a valid PDF/A-1b file" in out, out  # Preflight ran, and said why
    return [line.strip() for line in out.splitlines()[1:] if line.strip()]


@pytest.mark.parametrize("which", ["draft_pdf", "approved_pdf"])
def test_every_font_is_embedded_truetype_and_no_standard_font_sneaks_in(
        which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    data = request.getfixturevalue(which)
    rows = pdf_tools.fonts(data, tmp_path)
    assert rows
    for row in rows:
        assert row.embedded and row.subset and row.unicode, row
        assert row.type == "TrueType", row
        assert "DejaVuSans" in row.name, row
    assert b"Helvetica" not in data and b"Times-Roman" not in data


@pytest.mark.parametrize("which", ["draft_pdf", "approved_pdf"])
def test_identified_as_pdfa_2b_with_metadata_that_matches_the_document_info(
        which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    data = request.getfixturevalue(which)
    with pikepdf.open(pdf_tools._file(data, tmp_path)) as pdf:
        xmp = _xmp(pdf)
        assert _one(xmp, "//pdfaid:part/text()") == "2"
        assert _one(xmp, "//pdfaid:conformance/text()") == "B"
        info = pdf.docinfo
        assert _one(xmp, "//dc:title/rdf:Alt/rdf:li/text()") == str(info.Title)
        assert str(info.Title).startswith("Protokoll der Fallkonferenz: ")
        assert _one(xmp, "//dc:creator/rdf:Seq/rdf:li/text()") == str(info.Author)
        assert _one(xmp, "//dc:description/rdf:Alt/rdf:li/text()") == str(info.Subject)
        assert _one(xmp, "//xmp:CreatorTool/text()") == str(info.Creator)
        assert _one(xmp, "//pdf:Producer/text()") == str(info.Producer)
        assert _one(xmp, "//xmp:CreateDate/text()") == "2026-12-04T13:05:00+00:00"
        assert str(info.CreationDate).startswith("D:20261204130500+00'00")
        with pdf.open_metadata() as meta:  # pikepdf reads the identification the same way
            assert meta.pdfa_status == "2B"
        # The sRGB output intent, with its ICC profile embedded.
        [intent] = list(pdf.Root.OutputIntents)
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        # Nothing PDF/A forbids.
        assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", pikepdf.Dictionary())
        for page in pdf.pages:
            assert "/Trans" not in page.obj and "/AA" not in page.obj
            for annot in page.obj.get("/Annots", []):
                assert int(annot.F) & 4, "every annotation is printed"
    assert b"/JavaScript" not in data and b"/JS" not in data
    meta = pdf_tools.info(data, tmp_path)
    assert meta["Metadata Stream"] == "yes" and meta["Encrypted"] == "no"
    assert meta["Page size"].startswith("595.276 x 841.89")  # A4


@pytest.mark.parametrize("which", ["draft_pdf", "approved_pdf"])
def test_pikepdfs_validator_approves_pdfa_2b(which: str, request: pytest.FixtureRequest,
                                             tmp_path: Path) -> None:
    data = request.getfixturevalue(which)
    report = pikepdf.pdfa.validate_written(pdf_tools._file(data, tmp_path), "2b")
    assert report.passed, [str(f) for f in report.findings]


@pytest.mark.parametrize("which", ["draft_pdf", "approved_pdf"])
def test_pdfbox_preflight_finds_nothing_but_the_part_2_identification(
        which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Preflight checks the PDF/A-1b rules, stricter than 2b in most respects (no transparency,
    no object streams, ICC v2). The one rule the file breaks on purpose: it says part 2."""
    errors = preflight(request.getfixturevalue(which), tmp_path)
    assert errors == ["7.11.2 : Error on MetaData, part must be 1"]


def test_control_characters_typed_into_the_title_keep_the_metadata_valid(
        tmp_path: Path) -> None:
    doc = replace(minutes(cases=1), title="Titel\x0bmit\x00Steuer\x1bzeichen & <Klammern>")
    data = render_minutes(doc)
    expected = "Protokoll der Fallkonferenz: Titel mit Steuer zeichen & <Klammern>"
    assert pdf_tools.info(data, tmp_path)["Title"] == expected
    with pikepdf.open(pdf_tools._file(data, tmp_path)) as pdf:
        assert _one(_xmp(pdf), "//dc:title/rdf:Alt/rdf:li/text()") == expected
    report = pikepdf.pdfa.validate_written(pdf_tools._file(data, tmp_path), "2b")
    assert report.passed, [str(f) for f in report.findings]
    assert "Titel mit Steuer zeichen & <Klammern>" in pdf_tools.text(data, tmp_path)


def test_without_the_pdfa_step_the_same_pages_but_no_pdfa_claim(draft_pdf: bytes,
                                                                   tmp_path: Path) -> None:
    plain = render_minutes(minutes(cases=5, participants=12), pdfa=False)
    assert pdf_tools.text(plain, tmp_path) == pdf_tools.text(draft_pdf, tmp_path)
    with pikepdf.open(pdf_tools._file(plain, tmp_path)) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/Metadata" not in pdf.Root
    assert not pikepdf.pdfa.validate_written(pdf_tools._file(plain, tmp_path), "2b").passed
    assert all(row.embedded for row in pdf_tools.fonts(plain, tmp_path))


def test_ci_installs_what_preflight_needs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in PREFLIGHT_PACKAGES:
        assert f" {package}" in ci, package
