"""What replication needs to know about each synced table, derived once from the models.

A row travels as an image in "uuid space": foreign keys hold the referenced row's uuid, local
ids never leave the vault. ``TableMeta.image_select`` reads rows in that shape with one query
(one outer join per foreign key), so imaging and merging compare like with like.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import JSON, Column, Date, LargeBinary, Select, Table, Text, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import class_mapper

from db.base import SYNC_COLUMNS, Base, SyncMixin, UTCDateTime
from db.tombstones import neutral_values

SYNC_JSON = ("version_vector", "field_stamps")
# Replication columns read with every image (beside the content).
META = ("id", "uuid", "origin_vault", "changed_by_vault", "version_vector", "field_stamps",
        "deleted", "updated_at")


@dataclass(frozen=True)
class TableMeta:
    name: str
    model: type[SyncMixin]
    table: Table
    content: tuple[str, ...]  # image value keys: content columns, FKs included
    fks: dict[str, str]  # FK column -> referenced table
    required_fks: frozenset[str]  # NOT NULL foreign keys
    local: frozenset[str]  # derived and vault-local columns: never travel, never taken
    clearable: frozenset[str]  # content a tombstone clears (the rest it keeps)
    deferred: frozenset[str]  # large columns loaded only when a value is really needed

    def neutral(self) -> dict[str, Any]:
        """Tombstone values of the clearable content (fresh copies of mutable ones)."""
        values = neutral_values(self.model)
        return {k: values[k] for k in self.clearable}

    def neutral_local(self) -> dict[str, Any]:
        """What a new row holds in its local columns until they are recomputed here."""
        values = neutral_values(self.model)
        return {k: values[k] for k in self.local if k in values}

    def image_select(self, *, with_deferred: bool = True) -> Select[Any]:
        """Rows of this table with FKs as uuids (filter with ``.where`` on ``self.table``)."""
        return _image_select(self.name, with_deferred)

    def _build_select(self, with_deferred: bool) -> Select[Any]:
        t = self.table
        # The sync JSON comes as text and is decoded by ``sync_json``: most rows share a few
        # vectors and "{}", so decoding each distinct text once saves most of the work.
        columns: list[Any] = [sql_cast(t.c[name], Text).label(name) if name in SYNC_JSON
                              else t.c[name] for name in META]
        joined: Any = t
        for key in self.content:
            if key in self.deferred and not with_deferred:
                continue
            ref = self.fks.get(key)
            if ref is None:
                columns.append(t.c[key])
                continue
            alias = _table(ref).alias(f"fk_{key}")
            joined = joined.outerjoin(alias, t.c[key] == alias.c.id)
            columns.append(alias.c.uuid.label(key))
        return select(*columns).select_from(joined)


@cache
def _image_select(name: str, with_deferred: bool) -> Select[Any]:
    return table_meta(name)._build_select(with_deferred)  # built once: joins cost to build


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _column(col: Any) -> Column[Any]:
    return cast(Column[Any], col)


def local_columns(model: type[SyncMixin]) -> frozenset[str]:
    """Columns recomputed here (``__derived__``) or meaningful only here (``__vault_local__``)."""
    return cast(frozenset[str], getattr(model, "__derived__", frozenset())) | cast(
        frozenset[str], getattr(model, "__vault_local__", frozenset()))


@cache
def _models() -> dict[str, type[SyncMixin]]:
    out: dict[str, type[SyncMixin]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, SyncMixin):
            out[str(mapper.local_table.name)] = cls  # type: ignore[attr-defined]
    return out


@cache
def sync_tables() -> tuple[str, ...]:
    """Every replicated table, parents before children (``sorted_tables`` breaks the one cycle,
    decision <-> task, at the ``use_alter`` side)."""
    import db.models  # noqa: F401 - every model registered before the registry is read

    models = _models()
    return tuple(t.name for t in Base.metadata.sorted_tables if t.name in models)


@cache
def table_meta(name: str) -> TableMeta:
    if name not in sync_tables():
        raise KeyError(name)
    model = _models()[name]
    mapper = class_mapper(model)
    local = local_columns(model)
    content: list[str] = []
    fks: dict[str, str] = {}
    required: set[str] = set()
    deferred: set[str] = set()
    for attr in mapper.column_attrs:
        key = attr.key
        if key in SYNC_COLUMNS or key in local or key == "deleted":
            continue
        column = _column(attr.columns[0])
        if column.name != key:
            raise TypeError(f"{name}.{key}: attribute and column names differ")
        content.append(key)
        if column.foreign_keys:
            fks[key] = next(iter(column.foreign_keys)).column.table.name
            if not column.nullable:
                required.add(key)
        if attr.deferred:
            deferred.add(key)
    clearable = frozenset(neutral_values(model)) & frozenset(content)
    return TableMeta(name=name, model=model, table=cast(Table, model.__table__),  # type: ignore[attr-defined]
                     content=tuple(content), fks=fks, required_fks=frozenset(required),
                     local=local, clearable=clearable, deferred=frozenset(deferred))


def to_json(meta: TableMeta, key: str, value: Any) -> Any:
    """A column value as JSON (for ``sync_conflict`` values): dates ISO, bytes base64."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def from_json(meta: TableMeta, key: str, value: Any) -> Any:
    """Inverse of ``to_json`` by the column's type (FKs stay uuids)."""
    if value is None or key in meta.fks:
        return value
    kind = meta.table.c[key].type
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, JSON):
        return value
    return value


def alternatives_in(meta: TableMeta, image: Any) -> dict[str, list[tuple[tuple[str, int], Any]]]:
    """``RowImage.alternatives`` decoded: field -> [((vault, counter), value), ...]."""
    out: dict[str, list[tuple[tuple[str, int], Any]]] = {}
    for key, entries in (getattr(image, "alternatives", None) or {}).items():
        if key not in meta.content:
            continue
        out[key] = [((str(e[0]), int(e[1])), from_json(meta, key, e[2])) for e in entries]
    return out


@lru_cache(maxsize=4096)
def sync_json(text: str | None) -> Any:
    """A version vector or stamp map from its stored text (shared: never mutate the result)."""
    return {} if text is None else json.loads(text)
