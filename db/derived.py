"""Derived columns, recomputed on every flush that changes one of their sources.

``CaseFile.__derived__`` names columns the case list and Heute sort and filter on, copied from
other rows so a page of 100,000 cases is read from one index: ``next_deadline`` (the earliest
open follow-up) and ``last_contact_at`` (the newest live journal entry). Kept by hand, every new
writer (a service, a conference decision, a sync import) would have to remember to refresh them;
here the flush itself notices a change of a source row and recomputes the cases it belongs to,
the same way ``db.sync`` stamps every change in one place.

The flush's SQL has run when ``after_flush`` fires, so the rules read the new state of the store;
the attribute histories still say what changed, including the case or person a row left. The
values are written with one Core UPDATE (no second flush, no sync stamp: derived columns are
local, ``db.sync.derived_columns``) and put into the case objects the session holds.

What "today" means does not enter: an overdue follow-up stays the next deadline until it is done,
so the stored value never goes stale while days pass and no clock is read here.

The next-deadline rule reads the follow-up rules of the application (status lead times come from
the catalogue), so ``app`` registers it (``register_rule``); a flush that changes a source of a
rule nobody registered fails instead of leaving a stale value behind. Core statements that bypass
the ORM (the demo generator's bulk inserts) compute the columns themselves.

Statuses and consents carry ``current_until`` (see ``CURRENT_SOURCES``), recomputed per person
the same way before the case rules run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    TextClause,
    bindparam,
    event,
    false,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.orm import InstanceState, Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from db.changes import collected
from db.models import CaseFile, Consent, JournalEntry, ResidenceStatus, Task
from db.replica_bulk import update_live_column
from db.sync import LotseSession

NEXT_DEADLINE = "next_deadline"
LAST_CONTACT = "last_contact_at"
BATCH = 500  # ids per IN list, far below SQLite's bound-parameter limit
BULK_FROM = 50  # cases written at once from which the values go through a staging table

Rule = Callable[[Session, Sequence[int]], Mapping[int, Any]]


@dataclass(frozen=True)
class Source:
    """Rows of ``model`` feed ``derived`` of the cases reached through ``via``.

    ``via``: ``case_id`` (the row belongs to one case), ``person_id`` (to every case of the
    person) or ``id`` (the row is the case). ``columns``: a change to one of these can change the
    derived value; other edits (a task's title) leave it alone.
    """

    model: type[Any]
    columns: frozenset[str]
    via: str
    derived: frozenset[str]


SOURCES = (
    Source(Task, frozenset({"case_id", "due_on", "done_on", "deleted"}), "case_id",
           frozenset({NEXT_DEADLINE})),
    # The newest status (valid_from order, corrected ones left out) of the client of an open
    # case, by its kind's lead.
    Source(ResidenceStatus, frozenset({"person_id", "kind", "valid_from", "valid_until",
                                       "deleted", "superseded_by_id"}), "person_id",
           frozenset({NEXT_DEADLINE})),
    # The newest consent per institution (given_on order), unless withdrawn.
    Source(Consent, frozenset({"person_id", "institution_id", "given_on", "valid_until",
                               "withdrawn_on", "deleted"}), "person_id",
           frozenset({NEXT_DEADLINE})),
    # A closed case keeps only its tasks; another client brings other statuses and consents; a
    # derived value written by hand is put right again.
    Source(CaseFile, frozenset({"phase", "person_id", "deleted", NEXT_DEADLINE}), "id",
           frozenset({NEXT_DEADLINE})),
    Source(CaseFile, frozenset({LAST_CONTACT}), "id", frozenset({LAST_CONTACT})),
    Source(JournalEntry, frozenset({"case_id", "occurred_at", "deleted"}), "case_id",
           frozenset({LAST_CONTACT})),
)


def last_contacts(session: Session, case_ids: Sequence[int]) -> dict[int, Any]:
    """The newest live journal entry per case (None without one), as migration 0003 filled it."""
    found = dict(session.execute(
        select(JournalEntry.case_id, func.max(JournalEntry.occurred_at))
        .where(JournalEntry.case_id.in_(case_ids), JournalEntry.deleted == false())
        .group_by(JournalEntry.case_id)).tuples().all())
    return {cid: found.get(cid) for cid in case_ids}


_RULES: dict[str, Rule] = {LAST_CONTACT: last_contacts}


def register_rule(column: str, rule: Rule) -> None:
    """Install the rule for a derived column (the application's follow-up rules, see above)."""
    if column not in CaseFile.__derived__:
        raise ValueError(f"{column} is not a derived column of case_file")
    _RULES[column] = rule


def _values(obj: Any, state: InstanceState[Any], key: str) -> list[Any]:
    """The attribute's value now and, if it changed, the one before (the case a task left)."""
    history = state.attrs[key].history
    values = list(history.added or ()) + list(history.unchanged or ()) + \
        list(history.deleted or ())
    return values or [getattr(obj, key)]  # not loaded: load it


def _touched(session: Session) -> dict[str, dict[str, set[int]]]:
    """derived column -> via -> the case or person ids whose derived values may have changed."""
    out: dict[str, dict[str, set[int]]] = {}
    # New and removed rows count whole; a changed row only through a source column.
    groups = ((session.new, False), (session.dirty, True), (session.deleted, False))
    for objects, check_columns in groups:
        for obj in objects:
            for source in SOURCES:
                if not isinstance(obj, source.model):
                    continue
                state = cast(InstanceState[Any], inspect(obj))
                if check_columns and not any(
                        state.attrs[c].history.has_changes() for c in source.columns):
                    continue
                ids = {v for v in _values(obj, state, source.via) if v is not None}
                for column in source.derived:
                    out.setdefault(column, {}).setdefault(source.via, set()).update(ids)
    return out


def _batches(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start:start + BATCH]


def _case_ids(session: Session, by_via: Mapping[str, set[int]]) -> set[int]:
    cases = set(by_via.get("id", ())) | set(by_via.get("case_id", ()))
    for persons in _batches(by_via.get("person_id", ())):
        cases.update(session.execute(select(CaseFile.id).where(
            CaseFile.person_id.in_(persons))).scalars())
    return cases


def _write(session: Session, column: str, values: Mapping[int, Any]) -> None:
    table = cast(Table, CaseFile.__table__)
    if len(values) >= BULK_FROM:  # an import: one statement instead of one run per case
        update_live_column(session.connection(), table, column, values)
    else:
        value = bindparam("value", type_=table.c[column].type)
        # Live cases only (a tombstone's content is cleared, db.tombstones), only where it
        # differs, and updated_at kept: a recomputed cache is no edit of the case.
        statement = update(table).where(
            table.c.id == bindparam("case"), table.c.deleted == false(),
            table.c[column].is_distinct_from(value)).values(
            {column: value, "updated_at": table.c.updated_at})
        session.connection().execute(statement, [{"case": cid, "value": v}
                                                 for cid, v in values.items()])
    # The case rows changed behind the ORM's back: say so, or the case list keeps showing the
    # old deadline (db.changes sees only what the unit of work wrote).
    changes = collected(session)
    for cid in values:
        changes.add(CaseFile.__tablename__, cid)
        changes.cases.add(cid)
    # New cases join the identity map only when the flush is finalised.
    fresh = {obj.id: obj for obj in session.new if isinstance(obj, CaseFile)}
    for cid, v in values.items():
        held = session.identity_map.get(identity_key(CaseFile, cid)) or fresh.get(cid)
        if held is not None and not held.deleted:
            set_committed_value(held, column, v)


# ``current_until`` of statuses and consents: valid_until on the row that counts, NULL on every
# other, so Heute's windows are one range of a partial index holding only rows that count. The
# rules are those of app.services.tasks.queries (current_status / current_consent) and need no
# catalogue, so they live here as SQL; migration 0007 backfilled with a frozen copy of them.
CURRENT_UNTIL = "current_until"
_STATUS_COUNTS = (
    "deleted = 0 AND superseded_by_id IS NULL AND NOT EXISTS (SELECT 1 FROM residence_status "
    "AS newer WHERE newer.person_id = residence_status.person_id AND newer.deleted = 0 "
    "AND newer.superseded_by_id IS NULL AND (newer.valid_from > residence_status.valid_from "
    "OR (residence_status.valid_from IS NULL AND newer.valid_from IS NOT NULL) "
    "OR (newer.valid_from IS residence_status.valid_from AND newer.id > residence_status.id)))")
_CONSENT_COUNTS = (
    "deleted = 0 AND withdrawn_on IS NULL AND NOT EXISTS (SELECT 1 FROM consent AS newer "
    "WHERE newer.person_id = consent.person_id AND newer.institution_id = consent.institution_id "
    "AND newer.deleted = 0 AND (newer.given_on > consent.given_on "
    "OR (newer.given_on = consent.given_on AND newer.id > consent.id)))")
# table -> the source columns whose change can move which row counts
CURRENT_SOURCES: dict[str, tuple[type[Any], frozenset[str], str]] = {
    "residence_status": (ResidenceStatus, frozenset({
        "person_id", "valid_from", "valid_until", "deleted", "superseded_by_id",
        CURRENT_UNTIL}), _STATUS_COUNTS),
    "consent": (Consent, frozenset({
        "person_id", "institution_id", "given_on", "valid_until", "withdrawn_on", "deleted",
        CURRENT_UNTIL}), _CONSENT_COUNTS),
}


def _current_sql(table: str) -> TextClause:
    counts = CURRENT_SOURCES[table][2]
    # Only rows whose value changes are written: the others keep their pages clean.
    value = f"CASE WHEN {counts} THEN valid_until END"
    return text(f"UPDATE {table} SET {CURRENT_UNTIL} = {value} "  # table and rule: constants
                f"WHERE person_id IN :persons AND {CURRENT_UNTIL} IS NOT ({value})"
                ).bindparams(bindparam("persons", expanding=True))


def refresh_current_until(conn: Connection, table: str, person_ids: Iterable[int]) -> None:
    """Recompute ``current_until`` of every row of these persons in ``table`` (statuses or
    consents); also called by the demo generator's bulk inserts, which bypass the ORM."""
    statement = _current_sql(table)
    for persons in _batches(set(person_ids)):
        conn.execute(statement, {"persons": persons})


def _current_persons(session: Session) -> dict[str, set[int]]:
    """table -> the persons whose statuses or consents changed in a way that may move which
    row counts (the person a row left included)."""
    out: dict[str, set[int]] = {}
    groups = ((session.new, False), (session.dirty, True), (session.deleted, False))
    for objects, check_columns in groups:
        for obj in objects:
            for table, (model, columns, _sql) in CURRENT_SOURCES.items():
                if not isinstance(obj, model):
                    continue
                state = cast(InstanceState[Any], inspect(obj))
                if check_columns and not any(
                        state.attrs[c].history.has_changes() for c in columns):
                    continue
                out.setdefault(table, set()).update(
                    v for v in _values(obj, state, "person_id") if v is not None)
    return out


def _recompute_current(session: Session) -> None:
    for table, persons in _current_persons(session).items():
        model = CURRENT_SOURCES[table][0]
        refresh_current_until(session.connection(), table, persons)
        # Put the stored values into the objects the session holds (no second flush).
        # Read from the loaded state only: an expired or removed row must not be loaded here.
        held = [obj for obj in list(session.identity_map.values()) + list(session.new)
                if isinstance(obj, model) and obj not in session.deleted
                and inspect(obj).dict.get("person_id") in persons]
        if not held:
            continue
        stored = dict(session.connection().execute(
            select(model.id, model.current_until).where(
                model.id.in_([obj.id for obj in held]))).tuples().all())
        for obj in held:
            set_committed_value(obj, CURRENT_UNTIL, stored.get(obj.id))


@event.listens_for(LotseSession, "after_flush")
def _recompute(session: Session, _ctx: UOWTransaction) -> None:
    _recompute_current(session)
    for column, by_via in _touched(session).items():
        case_ids = _case_ids(session, by_via)
        if not case_ids:
            continue
        rule = _RULES.get(column)
        if rule is None:
            raise RuntimeError(f"no rule registered for the derived column {column}")
        for batch in _batches(case_ids):
            _write(session, column, rule(session, batch))


def recompute_after_core(session: Session, *, persons: Iterable[int] = (),
                         cases: Iterable[int] = ()) -> None:
    """Recompute every derived column after Core statements wrote rows behind the flush's back
    (``db.replica`` applying remote rows): ``current_until`` of these persons' statuses and
    consents, then the case rules for these cases and the open cases of these persons."""
    persons = set(persons)
    for table in CURRENT_SOURCES:
        refresh_current_until(session.connection(), table, persons)
    case_ids = _case_ids(session, {"id": set(cases), "person_id": persons})
    if not case_ids:
        return
    for column in (NEXT_DEADLINE, LAST_CONTACT):
        rule = _RULES.get(column)
        if rule is None:
            raise RuntimeError(f"no rule registered for the derived column {column}")
        for batch in _batches(case_ids):
            _write(session, column, rule(session, batch))
