"""The ``sync_conflict`` rows an import leaves for a person to decide.

Field conflicts keep both values with both stamps; "deleted" conflicts keep the edits a deletion
had not seen: ``{"fields": {edited field: value}, "record": {every content field: value}}`` on
the live side's value (``local_value`` when the edit was made here), JSON-safe
(``db.replica_meta.to_json``), FKs as uuids. Never written twice for the same remote change: an open
conflict with the same row, field and remote stamp is not repeated (after the first import the
merged vector knows the remote change anyway, so a repeated image classifies as "keep"). A
conflict ends by itself when a later change that knows both sides arrives (the other vault's
resolution): it is then marked ``decided_elsewhere``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.sync_state import SyncConflict
from db.replica_merge import UNLOADED, FieldConflict, Merge, Side, Stamp
from db.replica_meta import TableMeta, table_meta, to_json
from db.row_image import ApplyResult, RowImage

DELETED_FIELD = "deleted"  # the ``field`` of a conflict of kind "deleted"
# Rows that name their case only through a parent: table -> (parent table, FK column).
VIA_PARENT = {"consent_scope": ("consent", "consent_id"), "measure": ("goal", "goal_id"),
              "conference_decision": ("conference_agenda_item", "agenda_item_id")}

Loader = Callable[[str], Any]


class ConflictWriter:
    def __init__(self, session: Session, *, remote_vault: str, author: str | None,
                 changed_at: datetime) -> None:
        self.session = session
        self.remote_vault = remote_vault
        self.author = author
        self.changed_at = changed_at
        self.pending: list[SyncConflict] = []
        self._open: dict[str, list[SyncConflict]] | None = None
        self._ended: dict[str, list[SyncConflict]] = {}  # ended by a merge not yet written

    def open_for(self, row_uuid: str) -> list[SyncConflict]:
        if self._open is None:
            self._open = {}
            for c in self.session.execute(select(SyncConflict).where(
                    SyncConflict.resolved_at.is_(None))).scalars():
                self._open.setdefault(c.row_uuid, []).append(c)
        return self._open.setdefault(row_uuid, [])

    # -- from a merge ------------------------------------------------------------------------
    def record(self, meta: TableMeta, row: Mapping[str, Any], merged: Merge,
               load: Loader) -> None:
        uuid = str(row["uuid"])
        if merged.superseded:
            self._supersede(uuid, merged)
        for fc in merged.conflicts:
            local = load(fc.key) if fc.local is UNLOADED else fc.local
            self._field(meta, row, fc.key, local, fc.remote, fc.local_stamp, fc.remote_stamp)
        if merged.lost_edits is not None:
            edited, mine, stamp, record = merged.lost_edits
            self._deleted(meta, row, kept_values(meta, edited, record, load), mine, stamp)

    def _supersede(self, uuid: str, merged: Merge) -> None:
        for c in self.open_for(uuid):
            if c.kind != "field" or c.field not in merged.superseded or c.resolved_at:
                continue
            stamps = [s for s in (c.local_stamp, c.remote_stamp) if s]
            if all(int(merged.vector.get(str(s[0]), 0)) >= int(s[1]) for s in stamps):
                c.resolved_at = utcnow()
                c.resolution = "decided_elsewhere"
                self._ended.setdefault(uuid, []).append(c)

    def _field(self, meta: TableMeta, row: Mapping[str, Any], key: str, local: Any,
               remote: Any, local_stamp: Stamp, remote_stamp: Stamp) -> None:
        uuid = str(row["uuid"])
        for c in self.open_for(uuid):
            if c.kind == "field" and c.field == key and _same(c.remote_stamp, remote_stamp):
                return
        self._add(meta, row, kind="field", field=key, local_value=to_json(meta, key, local),
                  remote_value=to_json(meta, key, remote), local_stamp=list(local_stamp),
                  remote_stamp=list(remote_stamp))

    def _deleted(self, meta: TableMeta, row: Mapping[str, Any], values: dict[str, Any],
                 mine: bool, stamp: Stamp) -> None:
        uuid = str(row["uuid"])
        for c in self.open_for(uuid):
            if c.kind == "deleted" and _same(c.local_stamp if mine else c.remote_stamp, stamp):
                return
        self._add(meta, row, kind="deleted", field=DELETED_FIELD,
                  local_value=values if mine else None, remote_value=None if mine else values,
                  local_stamp=list(stamp) if mine else None,
                  remote_stamp=None if mine else list(stamp))

    def frozen(self, meta: TableMeta, row: Mapping[str, Any] | None, image: RowImage,
               changes: Mapping[str, Any]) -> None:
        """A write an immutability trigger refused (approved minutes, an issued certificate):
        the remote values stay visible as conflicts instead of aborting the import."""
        for c in self._ended.pop(image.uuid, []):  # the merge did not happen: still open
            c.resolved_at = None
            c.resolution = None
        if row is None:  # a new row under approved minutes
            remote = Side(image.origin_vault, image.version_vector, image.field_stamps,
                          image.deleted, image.values)
            newest = max((remote.stamp(k) for k in meta.content), default=(image.origin_vault, 1))
            values = dict(image.values)
            self._deleted(meta, {"uuid": image.uuid, **image.values, "updated_at": None},
                          kept_values(meta, values, values, lambda k: None), False, newest)
            return
        local = Side(row["origin_vault"], row["version_vector"] or {},
                     row["field_stamps"] or {}, bool(row["deleted"]), row)
        remote = Side(image.origin_vault, image.version_vector, image.field_stamps,
                      image.deleted, image.values)
        for key in changes:
            if key in meta.content:
                self._field(meta, row, key, row.get(key), image.values.get(key),
                            local.stamp(key), remote.stamp(key))

    def _add(self, meta: TableMeta, row: Mapping[str, Any], **values: Any) -> None:
        conflict = SyncConflict(
            table_name=meta.name, row_uuid=str(row["uuid"]), remote_vault=self.remote_vault,
            case_uuid=self._case_uuid(meta, row), remote_author=self.author,
            remote_changed_at=self.changed_at, local_changed_at=row.get("updated_at"),
            detected_at=utcnow(), **values)
        self.pending.append(conflict)
        self.open_for(conflict.row_uuid).append(conflict)

    def _case_uuid(self, meta: TableMeta, row: Mapping[str, Any]) -> str | None:
        if meta.name == "case_file":
            return str(row["uuid"])
        if "case_id" in meta.content:
            value = row.get("case_id")
            return None if value is None else str(value)
        via = VIA_PARENT.get(meta.name)
        if via is None or row.get(via[1]) is None:
            return None
        parent = table_meta(via[0])
        statement = parent.image_select(with_deferred=False).where(
            parent.table.c.uuid == row[via[1]])
        found = self.session.connection().execute(statement).mappings().first()
        return None if found is None else self._case_uuid(parent, dict(found))

    def flush(self, result: ApplyResult) -> None:
        if self.pending:
            self.session.add_all(self.pending)
            self.session.flush()
        result.conflicts = [c.id for c in self.pending]


def kept_values(meta: TableMeta, edited: Mapping[str, Any], record: Mapping[str, Any],
                load: Loader) -> dict[str, Any]:
    """The value of a "deleted" conflict: ``fields`` the deletion had not seen, and the whole
    ``record`` as the live side had it (so it can be entered anew), JSON-safe, FKs as uuids."""
    def encoded(values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: to_json(meta, k, load(k) if v is UNLOADED else v) for k, v in values.items()}
    return {"fields": encoded(edited), "record": encoded(record)}


def _same(stored: Any, stamp: Stamp) -> bool:
    return bool(stored) and str(stored[0]) == stamp[0] and int(stored[1]) == stamp[1]


__all__ = ["DELETED_FIELD", "ConflictWriter", "FieldConflict"]


def open_alternatives(session: Session, meta: TableMeta, rows: Mapping[str, Mapping[str, Any]],
                      ) -> dict[str, dict[str, tuple[tuple[str, int, Any], ...]]]:
    """row uuid -> field -> the other values of its open field conflicts, for the images: only
    while the row still holds the value the conflict kept (a later edit here ends it)."""
    out: dict[str, dict[str, tuple[tuple[str, int, Any], ...]]] = {}
    uuids = sorted(rows)
    for start in range(0, len(uuids), 500):
        found = session.execute(select(
            SyncConflict.row_uuid, SyncConflict.field, SyncConflict.local_stamp,
            SyncConflict.remote_stamp, SyncConflict.remote_value).where(
            SyncConflict.table_name == meta.name, SyncConflict.kind == "field",
            SyncConflict.resolved_at.is_(None),
            SyncConflict.row_uuid.in_(uuids[start:start + 500]))).tuples().all()
        for uuid, key, local_stamp, remote_stamp, remote_value in found:
            row = rows[uuid]
            side = Side(row["origin_vault"], {}, row["field_stamps"] or {}, False, {})
            if row["deleted"] or not local_stamp or not remote_stamp or \
                    side.stamp(key) != (str(local_stamp[0]), int(local_stamp[1])):
                continue
            entry = (str(remote_stamp[0]), int(remote_stamp[1]), remote_value)
            fields = out.setdefault(uuid, {})
            fields[key] = (*fields.get(key, ()), entry)
    return out
