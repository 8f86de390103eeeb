"""Documents (scanned consent forms, certificates, letters) stored inside the encrypted store.

Nothing is written to disk in plaintext here; exporting a document is the caller's explicit act.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select

from app import audit
from app.errors import IntegrityFailure, ValidationFailed
from app.services.editing import live
from app.vault.store import Vault
from db.base import Base
from db.models import Attachment

DOCUMENT_GONE = "Das Dokument wurde nicht gefunden."

MAX_BYTES = 50 * 1024 * 1024
ALLOWED_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/tiff", "text/plain"}


@dataclass(frozen=True)
class AttachmentInfo:
    uuid: str
    owner_table: str
    owner_uuid: str
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime


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
