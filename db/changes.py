"""Which rows a unit of work changed, collected on flush so no writer can forget to say so.

Every flush adds the tables and row ids it inserted, updated or deleted, plus the case files
those rows belong to, to ``session.info[CHANGES_KEY]``. The vault hands the collection on once
the transaction committed (``app.changes``); views use it to refresh only what a change touched.
ORM bulk statements (``session.execute(update(...))``) name no rows: their table is recorded as
changed as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from db.sync import LotseSession

CHANGES_KEY = "changes"
WHOLE_TABLE = -1  # an id that stands for "some rows of this table, which ones unknown"

# Tables whose rows are bookkeeping, not content anybody looks at: never reported.
_IGNORED = frozenset({"audit_log", "number_sequence", "device_identity"})
# Rows that name their case only through a parent row: child table -> (parent table, column).
_VIA = {"consent_scope": ("consent", "consent_id"), "measure": ("goal", "goal_id")}


@dataclass
class RowChanges:
    """Accumulates over the flushes of one transaction."""

    rows: dict[str, set[int]] = field(default_factory=dict)
    cases: set[int] = field(default_factory=set)

    def add(self, table: str, row_id: int) -> None:
        self.rows.setdefault(table, set()).add(row_id)

    def __bool__(self) -> bool:
        return bool(self.rows)


def collected(session: Session) -> RowChanges:
    changes = session.info.get(CHANGES_KEY)
    if changes is None:
        changes = session.info[CHANGES_KEY] = RowChanges()
    return changes


def take(session: Session) -> RowChanges:
    """The committed transaction's changes; the session starts a fresh collection."""
    changes: RowChanges = session.info.pop(CHANGES_KEY, None) or RowChanges()
    return changes


@event.listens_for(LotseSession, "after_flush")
def _collect(session: Session, _ctx: UOWTransaction) -> None:
    changes = collected(session)
    pending: dict[str, list[tuple[int, Any]]] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        table = getattr(type(obj), "__tablename__", None)
        if table is None or table in _IGNORED:
            continue
        # New rows get their identity key only after this hook: read the primary key itself.
        key = inspect(obj).mapper.primary_key_from_instance(obj)
        row_id = key[0] if len(key) == 1 and isinstance(key[0], int) else None
        if row_id is None:
            changes.add(table, WHOLE_TABLE)
            continue
        changes.add(table, row_id)
        pending.setdefault(table, []).append((row_id, obj))
    _resolve_cases(session.connection(), changes, pending)


@event.listens_for(LotseSession, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    """Bulk UPDATE/DELETE through the ORM: the rows are unknown, the table is not."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = getattr(mapper.class_, "__tablename__", None) if mapper is not None else None
    if table is not None and table not in _IGNORED:
        collected(state.session).add(table, WHOLE_TABLE)


def _resolve_cases(conn: Connection, changes: RowChanges,
                   pending: dict[str, list[tuple[int, Any]]]) -> None:
    """The case files the changed rows belong to: the views of those cases must refresh.
    One query per kind of link, however many rows the flush wrote."""
    by_person: set[int] = set()
    by_household: set[int] = set()
    by_parent: dict[str, set[int]] = {}
    owners: dict[str, set[str]] = {}  # documents name their owner by table and uuid
    for table, items in pending.items():
        for row_id, obj in items:
            if table == "attachment":  # a moved document concerns its old owner as well
                moved = inspect(obj).attrs.owner_uuid.history.deleted or ()
                owners.setdefault(str(obj.owner_table), set()).update(
                    str(u) for u in (obj.owner_uuid, *moved) if u)
            elif table == "case_file":
                changes.cases.add(row_id)
            elif table == "person":
                by_person.add(row_id)
            elif table == "household":
                by_household.add(row_id)
            elif (case_id := getattr(obj, "case_id", None)) is not None:
                changes.cases.add(int(case_id))
            elif table in _VIA:
                parent, column = _VIA[table]
                if (parent_id := getattr(obj, column, None)) is not None:
                    by_parent.setdefault(parent, set()).add(int(parent_id))
            elif (person_id := getattr(obj, "person_id", None)) is not None:
                by_person.add(int(person_id))  # e.g. a consent given by the person, no case
    for parent, ids in by_parent.items():
        # consent -> its case, else its person's cases; goal -> its case
        person = "person_id" if parent == "consent" else "NULL"
        for chunk in _chunks(ids):
            for case_id, person_id in conn.execute(text(
                    f"SELECT case_id, {person} FROM {parent} "
                    f"WHERE id IN ({', '.join(str(i) for i in chunk)})")):
                if case_id is not None:
                    changes.cases.add(int(case_id))
                elif person_id is not None:
                    by_person.add(int(person_id))
    changes.cases.update(_cases_of_documents(conn, owners, by_person))
    changes.cases.update(_cases_where(conn, "person_id", by_person))
    changes.cases.update(_cases_where(conn, "household_id", by_household))


def _cases_of_documents(conn: Connection, owners: dict[str, set[str]],
                        by_person: set[int]) -> set[int]:
    """A case's own documents, and a consent's signed form (its case, else its person's)."""
    from db.models import CaseFile, Consent  # the models import this module's neighbours

    found: set[int] = set()
    wanted = sorted(owners.get("case_file", ()))
    for start in range(0, len(wanted), 500):
        found.update(conn.execute(select(CaseFile.id).where(
            CaseFile.uuid.in_(wanted[start:start + 500]))).scalars())
    wanted = sorted(owners.get("consent", ()))
    for start in range(0, len(wanted), 500):
        for case_id, person_id in conn.execute(select(Consent.case_id, Consent.person_id).where(
                Consent.uuid.in_(wanted[start:start + 500]))):
            if case_id is not None:
                found.add(int(case_id))
            else:
                by_person.add(int(person_id))
    return found


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):  # far below SQLite's variable limit
        yield wanted[start:start + 500]


def _cases_where(conn: Connection, column: str, ids: Iterable[int]) -> set[int]:
    from db.models import CaseFile  # the models import this module's neighbours

    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(conn.execute(select(CaseFile.id).where(
            getattr(CaseFile, column).in_(chunk))).scalars())
    return found
