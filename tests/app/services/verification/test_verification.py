"""Verification against the store, end to end: certificates issued through the register verify
from their QR text, their PDF, a 150 dpi scan and their check code; the register is this
vault's own revocation list; colleagues' keys and signed lists are imported as card files."""

from __future__ import annotations

import dataclasses
import io
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas
from sqlalchemy import select

from app.audit import Kind
from app.clock import FixedClock
from app.printing import render_certificate
from app.seal.errors import SealError
from app.seal.qrtext import seal, unseal
from app.seal.records import (
    ALTERED,
    MAX_FILE_BYTES,
    R_CODE_UNKNOWN,
    R_KEY_WITHDRAWN,
    R_NO_CODE,
    R_OFFICE_MISMATCH,
    R_OK,
    R_PAGE_MISMATCH,
    R_REVOKED,
    R_UNKNOWN_KEY,
    R_UNREADABLE,
    REVOKED,
    UNKNOWN_ISSUER,
    VALID,
    SealPayload,
)
from app.services.certificates.write import reprint_certificate, revoke_certificate
from app.services.keys.queries import signing_key
from app.services.keys.write import withdraw_own_key
from app.services.verification.read import verify_code, verify_file, verify_qr_text
from app.vault.store import Vault
from db.models import AuditLog
from tests.app.seal.test_seal_reading import png_header_only, scan_of
from tests.app.seal.trust import issuer
from tests.app.services.verification.conftest import issue
from tests.support.seal_world import MakeVault, trust

PAYLOAD = SealPayload(kind="participation", serial="DO-2026-T3ST-B0001", holder="Ayşe Demir",
                      birth_date=date(1990, 4, 2), issued_on=date(2026, 11, 25),
                      office="Stadt Dortmund", subject="Sprachkurs B1")


def _audit(vault: Vault, kind: str) -> list[AuditLog]:
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog).where(AuditLog.kind == kind)).scalars())


def test_an_issued_certificate_verifies_from_text_pdf_scan_and_code(
        vault: Vault, case_id: int, tmp_path: Path) -> None:
    cert = issue(vault, case_id)
    doc = cert.document
    v = verify_qr_text(vault, doc.qr_text)
    assert (v.outcome, v.reason) == (VALID, R_OK)
    assert v.payload is not None and v.payload.serial == cert.serial
    assert v.payload.holder == "Mariam Haidari" and v.issuer is not None
    assert v.issuer.startswith("Stadt Dortmund (")
    pdf = tmp_path / "bescheinigung.pdf"
    pdf.write_bytes(render_certificate(doc))
    from_pdf = verify_file(vault, pdf)
    assert (from_pdf.outcome, from_pdf.payload) == (VALID, v.payload)
    scan = tmp_path / "scan.png"
    scan.write_bytes(scan_of(pdf.read_bytes()))
    from_scan = verify_file(vault, scan)
    assert (from_scan.outcome, from_scan.payload) == (VALID, v.payload)
    scanned_pdf = tmp_path / "scan.pdf"  # what a scanner saves: the page as an image only
    Image.open(scan).save(scanned_pdf, format="PDF", resolution=150)
    from_scanned_pdf = verify_file(vault, scanned_pdf)
    assert (from_scanned_pdf.outcome, from_scanned_pdf.payload) == (VALID, v.payload)
    by_code = verify_code(vault, doc.check_code.lower().replace("-", " "))
    assert (by_code.outcome, by_code.reason) == (VALID, R_OK)
    assert by_code.message_de.startswith(
        f"Die Prüfnummer gehört zur Bescheinigung Nr. {cert.serial} für Mariam Haidari, "
        "ausgestellt am 25.11.2026 von Stadt Dortmund (")
    [entry] = _audit(vault, Kind.CERTIFICATE_VERIFIED)
    assert (entry.object_uuid, entry.detail["serial"], entry.detail["found"]) == (
        cert.uuid, cert.serial, True)
    assert "Haidari" not in str(entry.detail)


def test_a_reprint_verifies_and_says_zweitschrift(
        vault: Vault, case_id: int, clock: FixedClock, tmp_path: Path) -> None:
    cert = issue(vault, case_id)
    clock.advance(timedelta(days=6))
    doc = reprint_certificate(vault, cert.serial)
    pdf = tmp_path / "zweitschrift.pdf"
    pdf.write_bytes(render_certificate(doc))
    v = verify_file(vault, pdf)
    assert v.outcome == VALID and v.payload is not None and v.payload.copy == 1
    assert v.message_de.endswith("Es ist die 1. Zweitschrift vom 01.12.2026.")
    assert "Es wurden 1 Zweitschrift(en) gedruckt, zuletzt am 01.12.2026." in verify_code(
        vault, doc.check_code).message_de


def test_the_register_is_the_own_revocation_list_as_of_now(
        vault: Vault, case_id: int, clock: FixedClock) -> None:
    cert = issue(vault, case_id)
    clock.advance(timedelta(days=2))
    revoke_certificate(vault, cert.serial, "Teilnahme vorzeitig beendet")
    v = verify_qr_text(vault, cert.document.qr_text)
    assert (v.outcome, v.reason) == (REVOKED, R_REVOKED)
    assert (v.revoked_on, v.revoke_reason, v.list_as_of) == (
        date(2026, 11, 27), "Teilnahme vorzeitig beendet", clock.now())
    by_code = verify_code(vault, cert.document.check_code)
    assert (by_code.outcome, by_code.revoked_on) == (REVOKED, date(2026, 11, 27))


def test_a_colleague_verifies_with_the_imported_card_and_its_list(
        vault: Vault, case_id: int, clock: FixedClock,
        colleague_vault: MakeVault) -> None:
    colleague = colleague_vault("DO", "C0LL", "Kollegin Dortmund")
    cert = issue(vault, case_id)
    qr = cert.document.qr_text
    assert verify_qr_text(colleague, qr).reason == R_UNKNOWN_KEY
    trust(colleague, vault)
    assert verify_qr_text(colleague, qr).outcome == VALID
    clock.advance(timedelta(hours=3))
    revoke_certificate(vault, cert.serial, "Angaben falsch")
    # The colleague knows only the list imported before: valid, as of that list.
    stale = verify_qr_text(colleague, qr)
    assert (stale.outcome, stale.list_as_of) == (VALID, clock.now() - timedelta(hours=3))
    clock.advance(timedelta(hours=1))
    trust(colleague, vault)
    v = verify_qr_text(colleague, qr)
    assert (v.outcome, v.revoked_on, v.revoke_reason, v.list_as_of) == (
        REVOKED, date(2026, 11, 25), "Angaben falsch", clock.now())
    assert "(Stand der Widerrufsliste: " in v.message_de
    assert verify_code(colleague, cert.document.check_code).reason == R_CODE_UNKNOWN


def test_a_revocation_listed_by_the_issuers_next_key_reaches_the_old_keys_certificates(
        vault: Vault, case_id: int, clock: FixedClock,
        colleague_vault: MakeVault) -> None:
    colleague = colleague_vault("DO", "C0LL", "Kollegin Dortmund")
    cert = issue(vault, case_id)
    trust(colleague, vault)  # the first key and its (empty) list
    clock.advance(timedelta(days=1))
    withdraw_own_key(vault, "Laptop verloren")
    revoke_certificate(vault, cert.serial, "Angaben falsch")
    trust(colleague, vault)  # the next key, its list and the withdrawn first key
    v = verify_qr_text(colleague, cert.document.qr_text)
    assert (v.outcome, v.revoked_on, v.list_as_of) == (REVOKED, date(2026, 11, 26), clock.now())


def test_a_trusted_key_of_another_office_cannot_seal_for_this_one(
        vault: Vault, colleague_vault: MakeVault) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    trust(vault, cologne)
    with cologne.session() as s:
        forged = seal(PAYLOAD, signing_key(s, cologne).private_der)  # names Stadt Dortmund
    v = verify_qr_text(vault, forged)
    assert (v.outcome, v.reason) == (ALTERED, R_OFFICE_MISMATCH)
    assert "Stadt Köln (Kollege Köln, Tresor K0LN)" in v.message_de
    with cologne.session() as s:
        own = seal(dataclasses.replace(PAYLOAD, office="Stadt Köln"),
                   signing_key(s, cologne).private_der)
    assert verify_qr_text(vault, own).outcome == VALID


def test_after_withdrawal_the_old_key_seals_nothing_more(
        vault: Vault, case_id: int, clock: FixedClock) -> None:
    before = issue(vault, case_id)
    with vault.session() as s:
        old = signing_key(s, vault).private_der
    clock.advance(timedelta(days=1))
    withdraw_own_key(vault, "Laptop gestohlen")
    stolen = unseal(before.document.qr_text).payload
    forged = seal(dataclasses.replace(stolen, serial="DO-2026-T3ST-B0999",
                                      issued_on=clock.today()), old)
    v = verify_qr_text(vault, forged)
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_KEY_WITHDRAWN)
    assert verify_qr_text(vault, before.document.qr_text).outcome == VALID  # issued before
    after = issue(vault, case_id)  # a new key signs from now on
    assert verify_qr_text(vault, after.document.qr_text).outcome == VALID


def test_a_page_whose_serial_differs_from_its_code_is_altered(
        vault: Vault, case_id: int, tmp_path: Path) -> None:
    doc = issue(vault, case_id).document
    pdf = tmp_path / "changed.pdf"
    pdf.write_bytes(render_certificate(dataclasses.replace(doc, serial="DO-2026-T3ST-B0077")))
    v = verify_file(vault, pdf)
    assert (v.outcome, v.reason) == (ALTERED, R_PAGE_MISMATCH)


def test_files_without_a_code_or_too_large_are_answered_cleanly(
        vault: Vault, tmp_path: Path) -> None:
    blank = tmp_path / "ohne.pdf"
    blank.write_bytes(_pdf_without_code())
    assert verify_file(vault, blank).reason == R_NO_CODE
    huge = tmp_path / "gross.pdf"
    with huge.open("wb") as f:  # 100 MB, sparse: nothing of it is read
        f.truncate(100 * 2**20)
    assert os.path.getsize(huge) > MAX_FILE_BYTES
    with pytest.raises(SealError) as err:
        verify_file(vault, huge)
    assert (err.value.reason, "zu groß" in err.value.message_de) == (R_UNREADABLE, True)
    bomb = tmp_path / "riesig.png"
    bomb.write_bytes(png_header_only(50_000, 50_000))
    with pytest.raises(SealError, match="more than"):
        verify_file(vault, bomb)


def _pdf_without_code() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Teilnahmebescheinigung ohne Prüfcode")
    c.save()
    return buf.getvalue()


def test_an_unknown_or_malformed_code_is_not_in_the_register(vault: Vault) -> None:
    for code in ("K7QM2-XHD9R", "kein code"):
        v = verify_code(vault, code)
        assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_CODE_UNKNOWN)
    assert "K7QM2-XHD9R gibt es im Register dieses Tresors nicht" in verify_code(
        vault, "k7qm2xhd9r").message_de
    entries = _audit(vault, Kind.CERTIFICATE_VERIFIED)
    assert [e.detail["found"] for e in entries] == [False, False, False]
    assert [e.detail["code"] for e in entries] == ["K7QM2-XHD9R", None, "K7QM2-XHD9R"]


def test_a_key_nobody_trusts_is_an_unknown_issuer(vault: Vault) -> None:
    private, _ = issuer()
    v = verify_qr_text(vault, seal(PAYLOAD, private))
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_UNKNOWN_KEY)
    assert v.list_as_of is None
