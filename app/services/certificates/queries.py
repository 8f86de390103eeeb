"""Shared pieces of the register: serials, check codes, the stored payload and sealing.

The row's ``payload`` is the document as printed (texts filled in, facts, what went into the
seal), so a reprint prints the same texts and ``document_of`` rebuilds the original exactly;
``signature`` holds the original's seal as its QR text (ASCII bytes of "LT1:…", whose Base45
body is the COSE_Sign1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import catalogues
from app.errors import LotseError, NotFound
from app.seal.checkcode import new_check_code
from app.seal.qrtext import seal, shorten_to_fit
from app.seal.records import SealPayload
from app.services.cases.queries import next_sequence
from app.services.certificates.records import CertificateDocument, TrainingLine
from app.services.keys.queries import signing_key  # the keys domain owns the private key
from app.vault.store import Vault
from db.models import CaseManager, Certificate

NOT_FOUND_DE = "Die Bescheinigung wurde nicht gefunden."
CODE_ATTEMPTS = 8
SUBJECT_CAP = 80  # SealPayload.subject


def owner(s: Session, vault: Vault) -> CaseManager:
    return s.execute(select(CaseManager).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()


def live_certificate(s: Session, serial: str) -> Certificate:
    row = s.execute(select(Certificate).where(
        Certificate.serial == serial.strip().upper(), Certificate.deleted.is_(False))).scalar()
    if row is None:
        raise NotFound(NOT_FOUND_DE, f"no certificate {serial.strip()[:40]!r}")
    return row


def new_serial(s: Session, vault: Vault, on: date) -> str:
    """``DO-2026-T3ST-B0001``: unique without a server, as case numbers are (the vault code
    tells vaults apart; the sequence is counted in this vault's write transaction)."""
    municipality = vault.info.municipality
    seq = next_sequence(s, f"certificate:{municipality}:{on.year}")
    return f"{municipality}-{on.year}-{vault.info.vault_code}-B{seq:04d}"


def unique_check_code(s: Session) -> str:
    """A fresh check code not yet in the register (a look-up by code must find one row)."""
    for _ in range(CODE_ATTEMPTS):
        code = new_check_code()
        taken = s.execute(select(Certificate.id).where(
            Certificate.verification_code == code)).first()
        if taken is None:
            return str(code)
    raise LotseError("Es konnte kein eindeutiger Prüfcode erzeugt werden. Bitte erneut "
                     "versuchen.", "no unique check code after retries")


def office_and_place(vault: Vault) -> tuple[str, str]:
    m = catalogues.municipality(vault.info.municipality)
    return m.authority, m.label


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(text: Any) -> date | None:
    return None if text is None else date.fromisoformat(str(text))


def payload_of(doc: CertificateDocument, subject: str, period_from: date | None,
               period_until: date | None) -> dict[str, Any]:
    """What the register stores: the printed content and what went into the seal."""
    return {
        "title": doc.title, "blocks": list(doc.blocks), "holder_name": doc.holder_name,
        "holder_birth_date": _iso(doc.holder_birth_date),
        "facts": [list(f) for f in doc.facts], "office": doc.office, "place": doc.place,
        "issuer_name": doc.issuer_name, "key_fingerprint": doc.key_fingerprint,
        "subject": subject, "period_from": _iso(period_from),
        "period_until": _iso(period_until),
        "training": [{"course": t.course, "module": t.module, "teaching_units": t.teaching_units,
                      "presence_units": t.presence_units, "held_on": _iso(t.held_on)}
                     for t in doc.training],
    }


def seal_payload_of(row: Certificate, copy: int = 0, copy_on: date | None = None) -> SealPayload:
    p = row.payload
    return SealPayload(kind=row.kind, serial=row.serial, holder=p["holder_name"],
                       birth_date=_date(p.get("holder_birth_date")), issued_on=row.issued_on,
                       office=p["office"], subject=p.get("subject") or "",
                       period_from=_date(p.get("period_from")),
                       period_until=_date(p.get("period_until")), copy=copy, copy_on=copy_on)


def document_from_row(row: Certificate, qr_text: str | None = None, copy: int = 0,
                      copy_on: date | None = None) -> CertificateDocument:
    p = row.payload
    return CertificateDocument(
        serial=row.serial, kind=row.kind, title=p["title"], blocks=tuple(p["blocks"]),
        holder_name=p["holder_name"], holder_birth_date=_date(p.get("holder_birth_date")),
        facts=tuple((str(a), str(b)) for a, b in p.get("facts", ())), issued_on=row.issued_on,
        office=p["office"], place=p["place"], issuer_name=p["issuer_name"],
        qr_text=qr_text if qr_text is not None else bytes(row.signature).decode("ascii"),
        check_code=row.verification_code, key_fingerprint=p["key_fingerprint"], copy=copy,
        copy_on=copy_on,
        training=tuple(TrainingLine(t["course"], t["module"], int(t["teaching_units"]),
                                    int(t["presence_units"]), _date(t.get("held_on")))
                       for t in p.get("training", ())))


def seal_row(row: Certificate, private_der: bytes, copy: int = 0,
             copy_on: date | None = None) -> str:
    return str(seal(seal_payload_of(row, copy, copy_on), private_der))


def issue_in_session(s: Session, vault: Vault, *, kind: str, title: str,
                     blocks: tuple[str, ...], holder: str, birth_date: date | None,
                     facts: tuple[tuple[str, str], ...], subject: str = "",
                     period_from: date | None = None, period_until: date | None = None,
                     training: tuple[TrainingLine, ...] = (),
                     **columns: Any) -> tuple[Certificate, CertificateDocument]:
    """Serial, check code and seal, and the register row, in the caller's transaction (which
    also holds the consent decision or the training rows it belongs to). ``columns``: person_id,
    case_id, staff_id, template_key, recipient_institution_id."""
    today = vault.clock.today()
    serial = new_serial(s, vault, today)
    code = unique_check_code(s)
    key = signing_key(s, vault)
    office, place = office_and_place(vault)
    issuer = owner(s, vault)
    # The printed text keeps the whole subject; the seal carries what fits a version-13 code.
    sealed = shorten_to_fit(SealPayload(
        kind=kind, serial=serial, holder=holder, birth_date=birth_date, issued_on=today,
        office=office, subject=subject[:SUBJECT_CAP], period_from=period_from,
        period_until=period_until))
    subject = sealed.subject
    qr_text = seal(sealed, key.private_der)
    doc = CertificateDocument(serial=serial, kind=kind, title=title, blocks=blocks,
                              holder_name=holder, holder_birth_date=birth_date, facts=facts,
                              issued_on=today, office=office, place=place,
                              issuer_name=issuer.display_name, qr_text=qr_text,
                              check_code=code, key_fingerprint=key.fingerprint,
                              training=training)
    row = Certificate(kind=kind, serial=serial, issued_on=today, issued_by_id=issuer.id,
                      payload=payload_of(doc, subject, period_from, period_until),
                      verification_code=code, signature=qr_text.encode("ascii"),
                      signer_public=key.public, key_id=key.kid, **columns)
    s.add(row)
    s.flush()
    return row, doc
