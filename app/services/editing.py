"""Shared steps of every correcting service: find a live record, apply what differs with an
audit of the changed field names (never their values), tombstone a record with its documents,
make a record's list of child rows what a form lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.errors import NotFound, ValidationFailed
from db.base import SyncMixin
from db.models import Attachment

Row = TypeVar("Row", bound=SyncMixin)
# A child row as a form lists it: its uuid (None = new), its values, the ids its creation is
# audited with.
Listed = tuple[str | None, dict[str, Any], dict[str, str]]


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


def sync_rows(s: Session, model: type[SyncMixin], current: Mapping[str, SyncMixin],
              rows: list[Listed], parent: dict[str, Any], gone_de: str, field: str,
              **detail: str) -> None:
    """Make a record's child rows of ``model`` (``current``, by uuid) the list ``rows``: new
    ones are created under ``parent`` (its foreign key), listed ones updated, the rest
    tombstoned; each step audited, with ``detail`` (the parent's uuid). A listed uuid that is
    no longer there (removed meanwhile) refuses with ``gone_de``."""
    keep: set[str] = set()
    for uuid, values, audit_ids in rows:
        if uuid is None:
            row = model(**parent, **values)
            s.add(row)
            s.flush()
            audit.record(s, audit.Kind.RECORD_CREATED, _kind(model), row.uuid, **detail,
                         **audit_ids)
            continue
        if uuid not in current:
            raise ValidationFailed(gone_de, f"no {_kind(model)} {uuid}", field=field)
        keep.add(uuid)
        apply_changes(s, current[uuid], values)
    for gone_uuid, row in current.items():
        if gone_uuid not in keep:
            tombstone(s, row, **detail)


def required(value: object, message_de: str, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message_de, f"{field} missing", field=field)
    return text


def _kind(model: type[Any]) -> str:
    return str(model.__tablename__)  # the audit log names records by their table
