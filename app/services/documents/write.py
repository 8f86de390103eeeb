"""Add a document; export one to a chosen file or to a private temp copy; remove one filed to
the wrong case.

Viewing happens in memory (the desktop renders the bytes); only two explicit acts put plaintext
on disk, both audited as exports: "save as" to a place the user chose, and a private temp copy
for another program, which ``cleanup_private_temp`` removes at lock, exit and next start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.errors import IntegrityFailure, NotFound, ValidationFailed
from app.private_temp import cleanup_private_temp, private_temp_dir
from app.services.cases.queries import resolve_case
from app.services.documents.records import (
    ALLOWED_TYPES,
    DOCUMENT_GONE,
    MAX_BYTES,
    REMOVAL_REASONS,
    SUFFIXES,
)
from app.services.editing import live, tombstone
from app.vault.store import Vault
from db.models import Attachment, Base, CaseFile, Consent

__all__ = ["cleanup_private_temp", "private_temp_dir"]


def _case_document(s: Session, case: CaseFile, uuid: str, check: bool = True) -> Attachment:
    """The document, only if it belongs to this case or to a consent of its client; its bytes
    checked against their hash unless ``check`` is False (a damaged one can still be removed)."""
    row = live(s, Attachment, uuid, DOCUMENT_GONE)
    consent_owner = row.owner_table == "consent" and s.execute(
        select(Consent.id).where(Consent.uuid == row.owner_uuid,
                                 Consent.person_id == case.person_id)).scalar() is not None
    if not (row.owner_uuid == case.uuid or consent_owner):
        raise NotFound(DOCUMENT_GONE, f"no attachment {uuid} in case")
    if check and hashlib.sha256(row.content).hexdigest() != row.sha256:
        raise IntegrityFailure("Das Dokument ist beschädigt.", f"attachment {uuid} hash")
    return row


def export_document(vault: Vault, case_ref: str | int, attachment_uuid: str,
                    target: Path) -> Path:
    """Write the document where the user chose ("Speichern unter …"); audited as an export of
    the case, so it shows in the case's own history."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = _case_document(s, case, attachment_uuid)
        _write(target, row.content)
        audit.record(s, audit.Kind.EXPORT, "case", case.uuid, attachment=row.uuid,
                     channel="file")
    return target


def _write(path: Path, content: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def write_private_copy(vault: Vault, case_ref: str | int, attachment_uuid: str) -> Path:
    """The plaintext copy for another program, named by uuid only; audited as an export."""
    folder = private_temp_dir()
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = _case_document(s, case, attachment_uuid)
        path = folder / f"{row.uuid}{SUFFIXES.get(row.media_type, '.bin')}"
        _write(path, row.content)
        audit.record(s, audit.Kind.EXPORT, "case", case.uuid, attachment=row.uuid,
                     channel="private_temp")
    return path


def _safe_name(name: str) -> str:
    # Keep the last path part only, no control characters: names come from other systems.
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return cleaned[:120] or "Dokument"


def add_attachment(vault: Vault, owner_table: str, owner_uuid: str, filename: str,
                   media_type: str, content: bytes) -> str:
    if owner_table not in Base.metadata.tables:
        raise ValidationFailed("Unbekannter Bezug des Dokuments.", f"unknown table {owner_table}")
    if media_type not in ALLOWED_TYPES:
        raise ValidationFailed("Dieses Dateiformat wird nicht unterstützt (PDF, JPEG, PNG, TIFF, "
                               "Text).", f"media type {media_type!r} not allowed",
                               field="media_type")
    if not content or len(content) > MAX_BYTES:
        raise ValidationFailed("Das Dokument ist leer oder größer als 50 MB.",
                               "attachment empty or too large", field="content")
    with vault.session() as s:
        row = Attachment(owner_table=owner_table, owner_uuid=owner_uuid,
                         filename=_safe_name(filename), media_type=media_type, size=len(content),
                         sha256=hashlib.sha256(content).hexdigest(), content=content,
                         added_at=vault.clock.now())
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "attachment", row.uuid,
                     owner=owner_table, owner_uuid=owner_uuid, size=len(content))
        return row.uuid


def remove_document(vault: Vault, case_ref: str | int, attachment_uuid: str,
                    reason: str) -> None:
    """Take a document out of the case (filed to the wrong case, a duplicate, the wrong
    document): the attachment becomes a tombstone, its bytes are cleared in the same flush
    (db.tombstones), and the audit entry carries the reason's code.

    A consent's signed form may be the one filed wrongly (another person's form is exactly
    what must go), so removing it is allowed: the consent then points at the next remaining
    form of the same consent, or at none, and never at a tombstone. The consent itself stays
    as recorded; the consent list shows that no form is stored.
    """
    if reason not in REMOVAL_REASONS:
        raise ValidationFailed("Bitte einen Grund für das Entfernen wählen.",
                               f"unknown removal reason {reason!r}", field="reason")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = _case_document(s, case, attachment_uuid, check=False)
        if row.owner_table == "consent":
            _unlink_form(s, row)
        tombstone(s, row, reason=reason, case=case.uuid)


def _unlink_form(s: Session, form: Attachment) -> None:
    consent = s.execute(select(Consent).where(Consent.uuid == form.owner_uuid)).scalar()
    if consent is None or consent.form_attachment_id != form.id:
        return
    consent.form_attachment_id = s.execute(select(Attachment.id).where(
        Attachment.owner_table == "consent", Attachment.owner_uuid == consent.uuid,
        Attachment.deleted.is_(False), Attachment.id != form.id)
        .order_by(Attachment.added_at.desc(), Attachment.id.desc()).limit(1)).scalar()
    audit.record(s, audit.Kind.RECORD_UPDATED, "consent", consent.uuid,
                 fields=["form_attachment_id"])


def move_document(vault: Vault, case_ref: str | int, attachment_uuid: str,
                  target_case_number: str) -> str:
    """Move a document of the case to the case it belongs to (given by its Aktenzeichen, the
    number a caseworker reads off the other file); returns the target's case number.

    Audited on the document and on both cases, so each case's Protokoll says that a document
    left or arrived. A consent's signed form is not moved: it belongs to that consent."""
    number = target_case_number.strip()
    if not number:
        raise ValidationFailed("Bitte das Aktenzeichen des richtigen Falls angeben.",
                               "target case number missing", field="target")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = _case_document(s, case, attachment_uuid, check=False)
        if row.owner_table != "case_file":
            raise ValidationFailed(
                "Das ist das unterschriebene Formular einer Einwilligung und gehört zu ihr. "
                "Bitte hier entfernen und im richtigen Fall bei der Einwilligung neu ablegen.",
                "consent form cannot move", field="target")
        target = s.execute(select(CaseFile).where(
            func.upper(CaseFile.case_number) == number.upper(),
            CaseFile.deleted.is_(False))).scalar()
        if target is None:
            raise ValidationFailed(f"Einen Fall mit dem Aktenzeichen „{number[:40]}“ gibt es "
                                   "nicht.", "target case not found", field="target")
        if target.id == case.id:
            raise ValidationFailed("Das Dokument liegt bereits in diesem Fall.",
                                   "target is the same case", field="target")
        row.owner_uuid = target.uuid
        audit.record(s, audit.Kind.RECORD_UPDATED, "attachment", row.uuid, fields=["owner_uuid"],
                     from_case=case.uuid, to_case=target.uuid)
        audit.record(s, audit.Kind.CASE_UPDATED, "case", case.uuid, document_moved="out",
                     attachment=row.uuid, to_case=target.uuid)
        audit.record(s, audit.Kind.CASE_UPDATED, "case", target.uuid, document_moved="in",
                     attachment=row.uuid, from_case=case.uuid)
        return target.case_number
