"""Reading side of the verification domain (issue 11): is this certificate genuine?

From its QR text, from its PDF or a scan (the QR code read back and, for a PDF, compared with
the serial printed on the page), or from its printed check code (a look-up in this vault's
register, audited)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app import audit
from app.audit import Kind
from app.errors import ValidationFailed
from app.seal.checkcode import normalise_check_code
from app.seal.cose import parse_sign1
from app.seal.errors import SealError
from app.seal.payload import decode_payload
from app.seal.qrtext import unseal
from app.seal.records import (
    ALTERED,
    MAX_FILE_BYTES,
    QR_PREFIX,
    R_CODE_UNKNOWN,
    R_NO_CODE,
    R_OK,
    R_REVOKED,
    R_UNREADABLE,
    REVOKED,
    UNKNOWN_ISSUER,
    VALID,
    SealPayload,
    Verdict,
)
from app.seal.verify import de_date, issuer_of, judge
from app.services.verification.queries import StoreTrust, card_of_row
from app.vault.store import Vault
from db.models import Certificate, TrustedKey

PDF_MAGIC = b"%PDF-"


def verify_qr_text(vault: Vault, text: str) -> Verdict:
    """The verdict on the text of a certificate's QR code."""
    with vault.read_session() as s:
        return judge(text, StoreTrust(s, vault))


def verify_file(vault: Vault, path: Path) -> Verdict:
    """The verdict on a certificate's PDF or a scan of it (told apart by content)."""
    # pdfium and zxing-cpp load with the first file checked, not with every window that
    # imports this module.
    from app.seal.reading import (
        page_texts_from_pdf,
        qr_codes_from_pdf,
        qr_texts_from_image,
    )

    data = _read_capped(path)
    found: list[tuple[str | None, str]]
    if PDF_MAGIC in data[:1024]:
        codes = qr_codes_from_pdf(data)
        pages = page_texts_from_pdf(data) if codes else []
        # A scanner's PDF is only an image: no text to compare the serial with.
        found = [(pages[i] if pages[i].strip() else None, t) for i, t in codes]
    else:
        found = [(None, t) for t in qr_texts_from_image(data)]
    if not found:
        return Verdict(ALTERED, R_NO_CODE,
                       "Auf dem Dokument wurde kein QR-Code gefunden. Bitte scannen Sie die "
                       "Bescheinigung vollständig und gut lesbar (mindestens 150 dpi) oder "
                       "prüfen Sie die Prüfnummer.", "no QR code found")
    # A page may carry other codes too: the Lotse seal is the one to judge.
    page, text = next(((p, t) for p, t in found if t.startswith(QR_PREFIX)), found[0])
    with vault.read_session() as s:
        return judge(text, StoreTrust(s, vault), page_text=page)


def _read_capped(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValidationFailed("Die Datei kann nicht gelesen werden.",
                               f"cannot read the file: {type(exc).__name__}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SealError(R_UNREADABLE,
                        f"Die Datei ist zu groß (höchstens {MAX_FILE_BYTES // 2**20} MB).",
                        f"file larger than {MAX_FILE_BYTES} bytes")
    return data


def verify_code(vault: Vault, code: str) -> Verdict:
    """The register's answer for a printed check code (read over the phone); audited."""
    normal = normalise_check_code(code)
    with vault.session() as s:
        cert = None if normal is None else s.execute(select(Certificate).where(
            Certificate.verification_code == normal, Certificate.deleted.is_(False))).scalar()
        audit.record(s, Kind.CERTIFICATE_VERIFIED, "certificate", cert.uuid if cert else None,
                     code=normal, found=cert is not None,
                     serial=cert.serial if cert else None)
        if cert is None:
            shown = normal or code.strip()[:20]
            return Verdict(UNKNOWN_ISSUER, R_CODE_UNKNOWN,
                           f"Die Prüfnummer {shown} gibt es im Register dieses Tresors nicht. "
                           "Bitte lassen Sie sie sich noch einmal vorlesen, oder prüfen Sie "
                           "die Bescheinigung mit ihrem QR-Code.",
                           "check code not in this vault's register")
        key = s.execute(select(TrustedKey).where(
            TrustedKey.public_key == cert.signer_public)).scalar()
        issuer = issuer_of(card_of_row(key)) if key is not None else None
        return _register_verdict(cert, _payload(cert), issuer, vault)


def _payload(cert: Certificate) -> SealPayload | None:
    """What the original's seal says. The register keeps it as the QR text ("LT1:…"); a bare
    COSE_Sign1 is read as well."""
    raw = bytes(cert.signature)
    try:
        if raw.startswith(QR_PREFIX.encode("ascii")):
            return unseal(raw.decode("ascii")).payload
        return decode_payload(parse_sign1(raw).payload)
    except (SealError, UnicodeDecodeError):
        return None


def _register_verdict(cert: Certificate, payload: SealPayload | None, issuer: str | None,
                      vault: Vault) -> Verdict:
    now = vault.clock.now()
    who = f" für {payload.holder}" if payload else ""
    by = f" von {issuer}" if issuer else ""
    head = (f"Die Prüfnummer gehört zur Bescheinigung Nr. {cert.serial}{who}, ausgestellt am "
            f"{de_date(cert.issued_on)}{by}.")
    if cert.revoked_on is not None:
        return Verdict(REVOKED, R_REVOKED,
                       f"{head} Sie wurde am {de_date(cert.revoked_on)} widerrufen. Grund: "
                       f"{cert.revoke_reason or '–'}",
                       f"serial {cert.serial} revoked on {cert.revoked_on}", payload=payload,
                       issuer=issuer, revoked_on=cert.revoked_on,
                       revoke_reason=cert.revoke_reason, list_as_of=now)
    copies = ""
    if cert.copies:
        last = f", zuletzt am {de_date(cert.last_copy_on)}" if cert.last_copy_on else ""
        copies = f" Es wurden {cert.copies} Zweitschrift(en) gedruckt{last}."
    return Verdict(VALID, R_OK, f"{head} Sie ist gültig.{copies}",
                   f"serial {cert.serial} issued {cert.issued_on} (register)",
                   payload=payload, issuer=issuer, list_as_of=now)
