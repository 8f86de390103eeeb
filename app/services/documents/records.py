"""Records of the documents domain: stored documents and a case's document list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
            "image/tiff": ".tif", "text/plain": ".txt"}


OWNER_LABELS = {"case_file": "Fall", "consent": "Einwilligung"}

# Why a document was removed from a case: the code goes into the audit log (never free text,
# which could carry personal data); the label is what the dialog and the Protokoll say.
REMOVAL_REASONS = {"wrong_case": "falschem Fall zugeordnet", "duplicate": "doppelt",
                   "wrong_document": "falsches Dokument", "other": "Sonstiges"}


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
