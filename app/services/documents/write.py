"""Documents of a case: the list, export to a chosen file, and private temp copies.

Viewing happens in memory (the desktop renders the bytes); only two explicit acts put plaintext
on disk, both audited as exports: "save as" to a place the user chose, and a private temp copy
for another program, which ``cleanup_private_temp`` removes at lock, exit and next start.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import audit
from app.errors import IntegrityFailure, NotFound
from app.private_temp import cleanup_private_temp, private_temp_dir
from app.services.cases.queries import resolve_case
from app.services.documents.read import DOCUMENT_GONE
from app.services.editing import live
from app.vault.store import Vault
from db.models import Attachment, CaseFile, Consent

__all__ = ["cleanup_private_temp", "private_temp_dir"]

SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
            "image/tiff": ".tif", "text/plain": ".txt"}
OWNER_LABELS = {"case_file": "Fall", "consent": "Einwilligung"}


@dataclass(frozen=True)
class DocumentRow:
    uuid: str
    filename: str
    media_type: str
    size: int
    added_at: datetime
    owner_label: str  # what the document belongs to, in German


@dataclass(frozen=True)
class CaseDocuments:
    case_uuid: str
    documents: tuple[DocumentRow, ...]


def case_documents(vault: Vault, case_ref: str | int) -> CaseDocuments:
    """The case's own documents and the signed forms of its client's consents (audited read)."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        consent_uuids = list(s.execute(select(Consent.uuid).where(
            Consent.person_id == case.person_id, Consent.deleted.is_(False))).scalars())
        owners = or_(Attachment.owner_uuid == case.uuid,
                     (Attachment.owner_table == "consent")
                     & Attachment.owner_uuid.in_(consent_uuids))
        rows = s.execute(select(Attachment).where(owners, Attachment.deleted.is_(False))
                         .order_by(Attachment.added_at, Attachment.id)).scalars().all()
        docs = tuple(DocumentRow(r.uuid, r.filename, r.media_type, r.size, r.added_at,
                                 OWNER_LABELS.get(r.owner_table, r.owner_table)) for r in rows)
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section="documents")
        return CaseDocuments(case.uuid, docs)


def _case_document(s: Session, case: CaseFile, uuid: str) -> Attachment:
    """The document, only if it belongs to this case or to a consent of its client."""
    row = live(s, Attachment, uuid, DOCUMENT_GONE)
    consent_owner = row.owner_table == "consent" and s.execute(
        select(Consent.id).where(Consent.uuid == row.owner_uuid,
                                 Consent.person_id == case.person_id)).scalar() is not None
    if not (row.owner_uuid == case.uuid or consent_owner):
        raise NotFound(DOCUMENT_GONE, f"no attachment {uuid} in case")
    if hashlib.sha256(row.content).hexdigest() != row.sha256:
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
