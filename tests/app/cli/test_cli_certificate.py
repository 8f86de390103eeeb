"""``lotse certificate …`` as a user runs it on a real vault: certificates issued, listed,
reprinted, revoked and verified from the PDF, from a scanned image and by check code. Every
refusal leaves files and register as they were."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from app.printing import render_certificate
from app.services.certificates.read import document_of
from db.models import AuditLog, Certificate
from tests.app.printing import pdf_tools
from tests.conftest import run_cli
from tests.support.certificate_offices import (
    CLIENTS,
    JSON_KEYS,
    Office,
    issue,
    listing,
    serial_of,
    template_args,
    verify,
)

# --- issue, list, verify -------------------------------------------------------------------

def test_issue_writes_the_pdf_and_the_register_lists_it_without_names(
        offices: tuple[Office, Office], tmp_path: Path) -> None:
    first, _ = offices
    out = tmp_path / "bescheinigung.pdf"
    res = issue(first, first.cases[0], out)
    serial = serial_of(res)
    assert f"certificate written: {out}" in res.stdout
    assert "Yıldız" not in res.stdout  # the terminal shows serial and check code only
    text = pdf_tools.text(out.read_bytes(), tmp_path)
    assert serial in text and "Yıldız" in text
    [row] = [r for r in listing(first) if r["serial"] == serial]
    assert set(row) == JSON_KEYS
    assert row["revoked"] is False and row["revoked_on"] is None and row["copies"] == 0
    assert row["issued_on"] == first.vault.clock.today().isoformat()
    assert isinstance(row["case_number"], str) and row["check_code"]
    res = run_cli("certificate", "list", "--json", vault=first.folder)
    for given, family, _ in CLIENTS:  # JSON is for tools: no personal data
        assert family not in res.stdout and given not in res.stdout
    table = run_cli("certificate", "list", vault=first.folder)
    assert table.returncode == 0 and serial in table.stdout and "Yıldız" in table.stdout
    # Issued and saved: both audited, with the serial and never a name.
    assert [(kind, detail.get("serial")) for kind, detail in _events(first, serial)
            if kind == "certificate.saved"] == [("certificate.saved", serial)]
    assert "certificate.issued" in [kind for kind, _ in _events(first, serial)]


def _events(office: Office, serial: str) -> list[tuple[str, dict[str, object]]]:
    with office.vault.read_session() as s:
        uuid = s.execute(select(Certificate.uuid).where(Certificate.serial == serial)
                         ).scalar_one()
        return [(r.kind, r.detail) for r in s.execute(
            select(AuditLog).where(AuditLog.object_uuid == uuid).order_by(AuditLog.seq)
        ).scalars()]


def test_verify_from_the_pdf_from_a_scan_and_by_check_code(offices: tuple[Office, Office],
                                                          tmp_path: Path) -> None:
    first, _ = offices
    out = tmp_path / "b.pdf"
    serial = serial_of(issue(first, first.cases[1], out, index=1))
    res = verify(first, str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.startswith("valid: ")
    [png] = pdf_tools.png_pages(out.read_bytes(), tmp_path, dpi=150)
    res = verify(first, str(png))
    assert res.returncode == 0, res.stdout + res.stderr
    code = document_of(first.vault, serial).check_code
    res = verify(first, "--code", code.lower().replace("-", " "))
    assert res.returncode == 0, res.stdout + res.stderr
    res = verify(first, "--code", "AAAAA-AAAAA")
    assert res.returncode == 2 and "valid:" not in res.stdout


def test_a_tampered_or_broken_file_exits_2(offices: tuple[Office, Office],
                                           tmp_path: Path) -> None:
    first, _ = offices
    serial = serial_of(issue(first, first.cases[2], index=2))
    doc = document_of(first.vault, serial)
    # One character in the middle of the sealed text (the signed content) changed: the QR
    # code still reads, the signature no longer matches.
    at = len(doc.qr_text) // 2
    swapped = "1" if doc.qr_text[at] != "1" else "2"
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_certificate(replace(doc, qr_text=doc.qr_text[:at] + swapped +
                                                  doc.qr_text[at + 1:])))
    res = verify(first, str(forged))
    assert res.returncode == 2, res.stdout
    assert res.stderr.startswith("altered: ") and res.stdout == ""
    # The page says another serial than its seal.
    relabelled = tmp_path / "relabelled.pdf"
    relabelled.write_bytes(render_certificate(replace(doc, serial=serial[:-1] + "9")))
    res = verify(first, str(relabelled))
    assert res.returncode == 2 and "altered" in res.stderr, res.stdout + res.stderr
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(render_certificate(doc)[:2000])
    assert verify(first, str(broken)).returncode == 2
    res = verify(first, str(tmp_path / "missing.pdf"))
    assert res.returncode != 0


def test_reprint_counts_a_zweitschrift_that_verifies(offices: tuple[Office, Office],
                                                     tmp_path: Path) -> None:
    first, _ = offices
    serial = serial_of(issue(first, first.cases[0], index=3))
    out = tmp_path / "zweitschrift.pdf"
    res = run_cli("certificate", "reprint", serial, "--out", str(out), vault=first.folder)
    assert res.returncode == 0, res.stderr
    assert "Zweitschrift vom" in pdf_tools.text(out.read_bytes(), tmp_path)
    [row] = [r for r in listing(first) if r["serial"] == serial]
    assert row["copies"] == 1
    assert verify(first, str(out)).returncode == 0
    # An existing file is never replaced: refused before anything is counted.
    before = out.read_bytes()
    res = run_cli("certificate", "reprint", serial, "--out", str(out), vault=first.folder)
    assert res.returncode == 2 and "already exists" in res.stderr
    assert out.read_bytes() == before
    [row] = [r for r in listing(first) if r["serial"] == serial]
    assert row["copies"] == 1


def test_a_revoked_certificate_exits_2_with_revoked(offices: tuple[Office, Office],
                                                    tmp_path: Path) -> None:
    first, _ = offices
    out = tmp_path / "widerruf.pdf"
    serial = serial_of(issue(first, first.cases[1], out, index=4))
    res = run_cli("certificate", "revoke", serial, "--reason", "  ", vault=first.folder)
    assert res.returncode == 1
    res = run_cli("certificate", "revoke", serial, "--reason", "Zeitraum falsch angegeben",
                  vault=first.folder)
    assert res.returncode == 0, res.stderr
    res = verify(first, str(out))
    assert res.returncode == 2
    assert "revoked" in res.stderr and "widerrufen" in res.stderr.lower()
    [row] = [r for r in listing(first) if r["serial"] == serial]
    assert row["revoked"] is True and row["revoked_on"] == first.vault.clock.today().isoformat()
    res = run_cli("certificate", "list", "--json", "--state", "revoked", vault=first.folder)
    assert [r["serial"] for r in json.loads(res.stdout)] == [serial]


def test_refusals_change_nothing(offices: tuple[Office, Office], tmp_path: Path) -> None:
    first, _ = offices
    before = listing(first)
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"mine")
    res = issue(first, first.cases[0], taken)
    assert res.returncode == 2 and taken.read_bytes() == b"mine"
    key, fields = template_args(first.vault)
    res = run_cli("certificate", "issue", "--case", str(first.cases[0]), "--template",
                  "no-such-template", vault=first.folder)
    assert res.returncode != 0 and res.stderr.startswith("error: ")
    res = run_cli("certificate", "issue", "--case", str(first.cases[0]), "--template", key,
                  "--field", "no equals sign", vault=first.folder)
    assert res.returncode == 1
    res = run_cli("certificate", "issue", "--case", str(first.cases[0]), "--template", key,
                  *fields, "--to", "0123456789abcdef0123456789abcdef", vault=first.folder)
    assert res.returncode != 0 and res.stderr.startswith("error: ")
    res = run_cli("certificate", "reprint", "DO-2026-XXXX-B9999", "--out",
                  str(tmp_path / "x.pdf"), vault=first.folder)
    assert res.returncode != 0 and not (tmp_path / "x.pdf").exists()
    assert listing(first) == before
