"""Declarative base and the sync metadata every replicated row carries.

Sync model (see architecture.md): a row's identity across vaults is its ``uuid``; causality is a
version vector per row (``{vault_uuid: counter}``) plus a per-field stamp (``{field: [vault_uuid,
counter]}``) naming which vault's which change last wrote each field. That is enough to tell
"A changed x while B changed y" (merge) from "both changed x" (conflict). ``id`` stays a stable
INTEGER PRIMARY KEY for FTS and foreign keys; it is local and never leaves the vault.
"""

from __future__ import annotations

import uuid as _uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return _uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC, always handed out timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as given
        str: Text,
        int: Integer,
        bool: Boolean,
        date: Date,
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
        list[str]: JSON,
    }


# Columns that describe replication, not content: never stamped per field, never conflict.
SYNC_COLUMNS = frozenset(
    {"id", "uuid", "origin_vault", "changed_by_vault", "version_vector", "field_stamps",
     "created_at", "updated_at"}
)


class SyncMixin:
    """Columns for rows that travel between vaults in bundles."""

    # What a tombstone keeps beyond the sync columns and NOT NULL foreign keys: NOT NULL columns
    # under a UNIQUE or CHECK constraint that no neutral value could satisfy (db.tombstones).
    __tombstone_keeps__: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    origin_vault: Mapped[str] = mapped_column(String(32))
    changed_by_vault: Mapped[str] = mapped_column(String(32))
    version_vector: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_stamps: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Tombstone: deletions must replicate, so rows are marked, not removed.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
