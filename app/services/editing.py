"""Shared steps of every correcting service: find a live record, apply what differs with an
audit of the changed field names (never their values), tombstone a record with its documents."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.errors import NotFound, ValidationFailed
from db.base import SyncMixin
from db.models import Attachment

Row = TypeVar("Row", bound=SyncMixin)


def live[Row: SyncMixin](s: Session, model: type[Row], uuid: str, message_de: str) -> Row:
    """The record with this uuid unless it is unknown or tombstoned: the one lookup of every
    service that changes or links a record (a tombstone is never changed again)."""
    row = s.execute(select(model).where(model.uuid == uuid, model.deleted.is_(False))).scalar()
    if row is None:
        raise NotFound(message_de, f"no {_kind(model)} {uuid}")
    return row


def live_id[Row: SyncMixin](s: Session, model: type[Row], row_id: int, message_de: str) -> Row:
    """``live`` for a local integer id (a foreign key followed to its row)."""
    row = s.get(model, row_id)
    if row is None or row.deleted:
        raise NotFound(message_de, f"no {_kind(model)} with id {row_id}")
    return row


def apply_changes(s: Session, row: SyncMixin, values: dict[str, Any]) -> list[str]:
    """Set what differs and audit the names of the changed fields; returns them (sorted)."""
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        audit.record(s, audit.Kind.RECORD_UPDATED, _kind(type(row)), row.uuid, fields=changed)
    return changed


def tombstone(s: Session, row: SyncMixin, **detail: Any) -> None:
    """Mark the record deleted (the flush clears its content, see db.tombstones), together with
    the documents it owns: an attachment means nothing without its owner."""
    row.deleted = True
    audit.record(s, audit.Kind.RECORD_DELETED, _kind(type(row)), row.uuid, **detail)
    if isinstance(row, Attachment):
        return
    owned = s.execute(select(Attachment).where(
        Attachment.owner_table == _kind(type(row)), Attachment.owner_uuid == row.uuid,
        Attachment.deleted.is_(False))).scalars().all()
    for document in owned:
        document.deleted = True
        audit.record(s, audit.Kind.RECORD_DELETED, "attachment", document.uuid,
                     owner=_kind(type(row)), owner_uuid=row.uuid)


def required(value: object, message_de: str, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message_de, f"{field} missing", field=field)
    return text


def _kind(model: type[Any]) -> str:
    return str(model.__tablename__)  # the audit log names records by their table
