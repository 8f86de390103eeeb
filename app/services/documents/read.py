"""Documents (scanned consent forms, certificates, letters) inside the encrypted store: the
lists and the audited read of one document's bytes.

Nothing is written to disk in plaintext here; exporting a document is the caller's explicit act.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import or_, select

from app import audit
from app.errors import IntegrityFailure
from app.services.cases.queries import resolve_case
from app.services.documents.records import (
    DOCUMENT_GONE,
    OWNER_LABELS,
    AttachmentInfo,
    CaseDocuments,
    DocumentRow,
)
from app.services.editing import live
from app.vault.store import Vault
from db.models import Attachment, Consent


def list_attachments(vault: Vault, owner_uuid: str) -> list[AttachmentInfo]:
    with vault.read_session() as s:
        rows = s.execute(select(Attachment).where(
            Attachment.owner_uuid == owner_uuid, Attachment.deleted.is_(False))
            .order_by(Attachment.added_at)).scalars().all()
        return [AttachmentInfo(r.uuid, r.owner_table, r.owner_uuid, r.filename, r.media_type,
                               r.size, r.sha256, r.added_at) for r in rows]


def read_attachment(vault: Vault, uuid: str) -> tuple[AttachmentInfo, bytes]:
    """The document's bytes, checked against their hash; every read is audited."""
    with vault.session() as s:
        row = live(s, Attachment, uuid, DOCUMENT_GONE)
        content = row.content
        if hashlib.sha256(content).hexdigest() != row.sha256:
            raise IntegrityFailure("Das Dokument ist beschädigt.", f"attachment {uuid} hash")
        audit.record(s, audit.Kind.RECORD_READ, "attachment", row.uuid)
        info = AttachmentInfo(row.uuid, row.owner_table, row.owner_uuid, row.filename,
                              row.media_type, row.size, row.sha256, row.added_at)
    return info, content


def case_documents(vault: Vault, case_ref: str | int) -> CaseDocuments:
    """The case's own documents and the signed forms of its client's consents."""
    with vault.read_session() as s:
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
        return CaseDocuments(case.uuid, docs)
