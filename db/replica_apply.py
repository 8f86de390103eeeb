"""Applying remote images to the store inside the caller's transaction.

Core statements, not the ORM: a bundle of 10,000 cases holds ~100,000 rows, and the flush hook
would stamp every one of them as a local change (``db.sync``). The sync columns of known rows
are read per table first (``db.replica_load``); rows already in the state their image describes
are left alone, the others read whole (``TableMeta.image_select``). Unknown rows are inserted
per table in one statement (``db.replica_bulk``; ids assigned here, so foreign keys of the same
batch resolve in any order; FK checks are deferred to the commit), known rows merged field by
field (``db.replica_merge``) and updated grouped by the columns they change. The derived
columns are then recomputed (``db.derived``), the ORM objects the session holds are expired,
and the changed rows are reported (``db.changes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import attrgetter, methodcaller
from typing import Any

from sqlalchemy import (
    bindparam,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.changes import collected
from db.derived import recompute_after_core
from db.page_cache import bulk_page_cache
from db.replica_bulk import insert_columns, insert_many
from db.replica_conflicts import ConflictWriter
from db.replica_load import load_heads, load_rows
from db.replica_merge import UNLOADED, Side, merge_row
from db.replica_meta import (
    TableMeta,
    alternatives_in,
    sync_tables,
    table_meta,
)
from db.replica_new import NewColumns, NewRows
from db.replica_read import batches
from db.replica_same import SameState
from db.replica_sort import refresh_sort_names, sort_key
from db.row_image import ApplyResult, RowImage
from db.sync import TOMBSTONED_KEY

MISSING_PARENT = "missing_parent"
BAD_IMAGE = "bad_image"
UNKNOWN_TABLE = "unknown_table"
# Tables under immutability triggers (approved minutes 0008, issued certificates 0009): a write
# the trigger refuses must not abort the whole bundle, so each runs in a savepoint.
GUARDED = frozenset({"conference", "conference_participant", "conference_agenda_item",
                     "conference_decision", "conference_distribution", "conference_amendment",
                     "certificate"})
# Where derived values come from: table -> the column naming the person or case they feed.
PERSON_SOURCES = {"residence_status": "person_id", "consent": "person_id"}
CASE_SOURCES = {"task": "case_id", "journal_entry": "case_id", "case_file": "id"}
RESTAT_AFTER_ROWS = 5_000  # inserted rows that make the planner's statistics worth refreshing
BULK_CACHE_FROM_ROWS = 5_000  # rows to write from which the large page cache pays
DERIVED_HOLDERS = frozenset({"case_file", "residence_status", "consent", "person"})
_VALUES = attrgetter("values")


@dataclass
class _Written:
    inserted: dict[str, list[int]] = field(default_factory=dict)
    updated: dict[str, list[int]] = field(default_factory=dict)
    tombstoned: set[str] = field(default_factory=set)
    renamed_persons: set[int] = field(default_factory=set)
    moved_cases: set[int] = field(default_factory=set)  # new cases or a new client


class Applier:
    def __init__(self, session: Session, *, remote_vault: str, author: str | None,
                 changed_at: datetime) -> None:
        self.session = session
        self.conn = session.connection()
        self.result = ApplyResult(conflicts=[], refused=[])
        self.written = _Written()
        self.ids: dict[str, dict[str, int]] = {}
        self.conflicts = ConflictWriter(session, remote_vault=remote_vault, author=author,
                                        changed_at=changed_at)
        self.now = utcnow()
        self.held: dict[int, tuple[Mapping[str, Any], RowImage]] = {}  # id -> (row, image)
        # The persons and cases (uuids) that rows being changed pointed at before the change.
        self.before: dict[str, set[str]] = {"person": set(), "case_file": set()}
        self.lock_after: list[int] = []  # new conferences whose approved minutes lock at the end
        # Per table: uuid -> local id of the rows already in their image's state.
        self.same: dict[str, dict[str, int]] = {}

    # -- entry -----------------------------------------------------------------------------
    def run(self, images: Sequence[RowImage]) -> ApplyResult:
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        order = {name: i for i, name in enumerate(sync_tables())}
        grouped: dict[str, dict[str, RowImage]] = {}
        for image in images:
            if image.table not in order:
                self._refuse(image.uuid, UNKNOWN_TABLE)
                continue
            grouped.setdefault(image.table, {})[image.uuid] = image
        tables = sorted(grouped, key=order.__getitem__)
        self.images = grouped
        local = {name: self._local_rows(table_meta(name), grouped[name]) for name in tables}
        self._assign_ids(grouped, local)
        self._resolve_targets(grouped)
        writes = sum(len(grouped[name]) - len(self.same[name]) for name in tables)
        # A caseload-sized write gets a large page cache (db.page_cache); a daily bundle, or
        # one applied again, does not: filling and shrinking it costs more than it saves.
        with bulk_page_cache(self.conn) if writes >= BULK_CACHE_FROM_ROWS else nullcontext():
            for name in tables:
                self._apply_table(table_meta(name), grouped[name], local[name])
            conference = table_meta("conference").table
            for chunk in batches(self.lock_after):
                self.conn.execute(update(conference).where(conference.c.id.in_(chunk)).values(
                    minutes_locked=True))
            self._finish()
        return self.result

    def _local_rows(self, meta: TableMeta, images: Mapping[str, RowImage]
                    ) -> dict[str, dict[str, Any]]:
        """The whole local rows of these images that may need a change. Of those already in
        the state their image describes (a bundle applied again: nothing to merge) only the
        sync columns are read, and only their ids kept (``self.same``)."""
        same, rest = SameState(meta.content).split(images, load_heads(self.conn, meta,
                                                                       list(images)))
        self.same[meta.name] = same  # left alone from here on: ids only
        return load_rows(self.conn, meta, rest, with_deferred=False)

    def _refuse(self, uuid: str, reason: str) -> None:
        assert self.result.refused is not None
        self.result.refused.append((uuid, reason))

    # -- ids ---------------------------------------------------------------------------------
    def _assign_ids(self, grouped: Mapping[str, Mapping[str, RowImage]],
                    local: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> None:
        for name, images in grouped.items():
            meta = table_meta(name)
            known = {**self.same[name],
                     **{uuid: int(row["id"]) for uuid, row in local[name].items()}}
            new = [uuid for uuid in images if uuid not in known]
            if new:
                top = int(self.conn.execute(select(func.max(meta.table.c.id))).scalar() or 0)
                known.update({uuid: top + i for i, uuid in enumerate(new, 1)})
            self.ids[name] = known

    def _resolve_targets(self, grouped: Mapping[str, Mapping[str, RowImage]]) -> None:
        wanted: dict[str, set[str]] = {}
        for name, images in grouped.items():
            meta = table_meta(name)
            if not meta.fks:
                continue
            same = self.same[name]  # never written: their references need no look-up
            values = [images[uuid].values for uuid in images.keys() - same.keys()] if same \
                else list(map(_VALUES, images.values()))
            for key, ref in meta.fks.items():
                targets = set(map(methodcaller("get", key), values))
                unknown = {t for t in targets if isinstance(t, str)} - self.ids.get(ref, {}).keys()
                if unknown:
                    wanted.setdefault(ref, set()).update(unknown)
        for ref, uuids in wanted.items():
            table = table_meta(ref).table
            found = self.ids.setdefault(ref, {})
            for chunk in batches(sorted(uuids)):
                found.update(self.conn.execute(select(table.c.uuid, table.c.id).where(
                    table.c.uuid.in_(chunk))).tuples().all())

    def _local_ids(self, meta: TableMeta, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The values with FK uuids replaced by local ids; None when a parent is missing."""
        out = dict(values)
        for key, ref in meta.fks.items():
            if key not in out or out[key] is None:
                continue
            target = self.ids.get(ref, {}).get(out[key])
            if target is None:
                return None
            out[key] = target
        return out

    # -- one table ---------------------------------------------------------------------------
    def _apply_table(self, meta: TableMeta, images: Mapping[str, RowImage],
                     local: Mapping[str, Mapping[str, Any]]) -> None:
        news: list[RowImage] = []
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        content = frozenset(meta.content)
        same = self.same[meta.name]
        for uuid, image in images.items():
            if not image.values.keys() >= content:
                self._refuse(uuid, BAD_IMAGE)
                self.ids[meta.name].pop(uuid, None)
                continue
            if uuid in same:
                self.result.unchanged += 1  # what merge_row would find, without its work
                continue
            row = local.get(uuid)
            if row is None:
                news.append(image)
                continue
            change = self._merge(meta, image, row)
            if change is None:
                continue
            updates.setdefault(tuple(sorted(change)), []).append(change)
        if news:
            self._insert_new(meta, news)
        for keys, changes in updates.items():
            self._update(meta, keys, changes, images)

    def _insert_new(self, meta: TableMeta, images: list[RowImage]) -> None:
        """Rows for images the store has no row of: column by column where it can (no guard,
        every parent known), else row by row, refusing each row whose parent is missing."""
        if meta.name not in GUARDED:
            columns = NewColumns(meta, self.ids, self.now).columns(images)
            if columns is not None:
                insert_columns(self.conn, meta.table, columns)
                self._inserted(meta, list(map(int, columns["id"])), any(columns["deleted"]))
                return
        rows: list[dict[str, Any]] = []
        new_row = NewRows(meta, self.ids, self.now)
        for image in images:
            new = new_row(image)
            if new is None:
                self._refuse(image.uuid, MISSING_PARENT)
                self.ids[meta.name].pop(image.uuid, None)
                continue
            rows.append(new)
            if meta.name == "conference" and new.get("minutes_locked") and not new["deleted"]:
                # Approved minutes arrive with their participants, items and decisions: the
                # lock (migration 0008's triggers refuse rows added under it) is set once
                # they are in.
                new["minutes_locked"] = False
                self.lock_after.append(new["id"])
        if rows:
            self._insert(meta, rows)

    def _merge(self, meta: TableMeta, image: RowImage,
               row: Mapping[str, Any]) -> dict[str, Any] | None:
        """The UPDATE values for a known row (None: nothing to write)."""
        local_values = {k: (UNLOADED if k in meta.deferred else row[k]) for k in meta.content}
        local = Side(row["origin_vault"], row["version_vector"] or {}, row["field_stamps"] or {},
                     bool(row["deleted"]), local_values)
        remote = Side(image.origin_vault, image.version_vector, image.field_stamps,
                      bool(image.deleted), image.values, alternatives_in(meta, image))
        merged = merge_row(meta.name, meta.content, meta.clearable, meta.neutral(), local, remote)
        self.conflicts.record(meta, row, merged, self._loader(meta, image.uuid))
        self.held[int(row["id"])] = (row, image)
        if not merged.changed:
            self.result.unchanged += 1
            return None
        changes = self._local_ids(meta, merged.changes)
        if changes is None:
            self._refuse(image.uuid, MISSING_PARENT)
            return None
        if meta.name == "person" and ({"family_name", "given_names", "deleted"} & set(changes)):
            full = {**row, **merged.changes}
            changes["sort_key"] = "" if full["deleted"] else sort_key(full)
            self.written.renamed_persons.add(int(row["id"]))
        source = PERSON_SOURCES.get(meta.name) or CASE_SOURCES.get(meta.name)
        if source is not None:
            old = image.uuid if source == "id" else row.get(source)
            if old is not None:
                self.before["person" if meta.name in PERSON_SOURCES else "case_file"].add(old)
        if meta.name == "case_file" and "person_id" in changes:
            self.written.moved_cases.add(int(row["id"]))
        if changes.get("deleted"):
            self.written.tombstoned.add(meta.name)
        changes.update({"version_vector": merged.vector, "field_stamps": merged.stamps,
                        "updated_at": self.now, "_id": int(row["id"])})
        if merged.changes:
            changes["changed_by_vault"] = image.changed_by_vault
        return changes

    def _loader(self, meta: TableMeta, uuid: str) -> Any:
        def load(key: str) -> Any:
            return self.conn.execute(select(meta.table.c[key]).where(
                meta.table.c.uuid == uuid)).scalar()
        return load

    # -- statements --------------------------------------------------------------------------
    def _insert(self, meta: TableMeta, rows: list[dict[str, Any]]) -> None:
        statement = insert(meta.table)
        if meta.name in GUARDED:
            images = self.images[meta.name]
            rows = [row for row in rows if self._guarded(statement, row, partial(
                self.conflicts.frozen, meta, None, images[row["uuid"]], {}))]
        else:
            insert_many(self.conn, meta.table, rows)
        self._inserted(meta, [int(row["id"]) for row in rows], any(row["deleted"] for row in rows))

    def _inserted(self, meta: TableMeta, ids: list[int], tombstones: bool) -> None:
        self.result.inserted += len(ids)
        self.written.inserted.setdefault(meta.name, []).extend(ids)
        if meta.name == "case_file":
            self.written.moved_cases.update(ids)
        if tombstones:
            self.written.tombstoned.add(meta.name)

    def _update(self, meta: TableMeta, keys: tuple[str, ...], changes: list[dict[str, Any]],
                images: Mapping[str, RowImage]) -> None:
        t = meta.table
        columns = [k for k in keys if k != "_id"]
        statement = update(t).where(t.c.id == bindparam("_id")).values(
            {k: bindparam(f"v_{k}", type_=t.c[k].type) for k in columns})
        params = [{"_id": c["_id"], **{f"v_{k}": c[k] for k in columns}} for c in changes]
        if meta.name in GUARDED:
            params = [p for p, c in zip(params, changes, strict=True) if self._guarded(
                statement, p, partial(self.conflicts.frozen, meta, *self.held[c["_id"]], c))]
        elif params:
            self.conn.execute(statement, params)
        self.result.updated += len(params)
        self.written.updated.setdefault(meta.name, []).extend(p["_id"] for p in params)

    def _guarded(self, statement: Any, params: dict[str, Any],
                 refused: Callable[[], None]) -> bool:
        """Run a write an immutability trigger may refuse; refused, it becomes a conflict."""
        savepoint = self.conn.begin_nested()
        try:
            self.conn.execute(statement, params)
        except DatabaseError:
            savepoint.rollback()
            refused()
            return False
        savepoint.commit()
        return True

    # -- afterwards --------------------------------------------------------------------------
    def _finish(self) -> None:
        touched = {name: set(self.written.inserted.get(name, ())) |
                   set(self.written.updated.get(name, ()))
                   for name in set(self.written.inserted) | set(self.written.updated)}
        if not any(touched.values()):
            self.conflicts.flush(self.result)
            return
        before = self.before
        persons = self._ids_of("person", before["person"])
        cases = self._ids_of("case_file", before["case_file"])
        for name, column in {**PERSON_SOURCES, **CASE_SOURCES}.items():
            ids = sorted(touched.get(name, ()))
            target = persons if name in PERSON_SOURCES else cases
            for chunk in batches(ids):
                target.update(v for v in self.conn.execute(
                    select(table_meta(name).table.c[column]).where(
                        table_meta(name).table.c.id.in_(chunk))).scalars() if v is not None)
        # A new person's cases are new, or moved to it by this bundle: all in ``moved_cases``.
        # Only a renamed person's cases may be found through the person alone.
        refresh_sort_names(self.conn, self.written.moved_cases, self.written.renamed_persons)
        if sum(len(ids) for ids in self.written.inserted.values()) >= RESTAT_AFTER_ROWS:
            # A bulk load (a case transfer into a young vault): the planner's statistics still
            # describe the tables before it (migration 0007 analysed them empty), and the
            # recompute below joined 10,000 new cases to their statuses by scans: 25 s instead
            # of 0.3 s. PRAGMA optimize re-analyses only the tables that grew that much.
            self.conn.exec_driver_sql("PRAGMA optimize")
        recompute_after_core(self.session, persons=persons, cases=cases)
        self._tell_session(touched)
        self.conflicts.flush(self.result)

    def _ids_of(self, table: str, uuids: set[str]) -> set[int]:
        known = self.ids.get(table, {})
        out = {known[u] for u in uuids if u in known}
        missing = sorted(u for u in uuids if u not in known)
        t = table_meta(table).table
        for chunk in batches(missing):
            out.update(self.conn.execute(select(t.c.id).where(t.c.uuid.in_(chunk))).scalars())
        return out

    def _tell_session(self, touched: Mapping[str, set[int]]) -> None:
        changes = collected(self.session)
        for name, ids in touched.items():
            changes.rows.setdefault(name, set()).update(ids)
        changes.cases.update(touched.get("case_file", ()))
        # Rows written by Core, and derived values: what the session holds of them is stale.
        # The session holds few objects, a bundle may bring 360,000 rows: walk the session.
        for obj in list(self.session.identity_map.values()):
            table = getattr(type(obj), "__tablename__", "")
            state = inspect(obj, raiseerr=False)
            identity: tuple[Any, ...] = (state.identity if state is not None else None) or ()
            # (the identity is read without loading the object)
            if table in DERIVED_HOLDERS or (len(identity) == 1 and
                                            identity[0] in touched.get(table, ())):
                self.session.expire(obj)
        if self.written.tombstoned:
            self.session.info.setdefault(TOMBSTONED_KEY, set()).update(self.written.tombstoned)

