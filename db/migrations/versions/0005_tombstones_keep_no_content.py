"""Deleted means deleted: tombstones lose their content, the search indexes forget for real.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Tombstones kept every column, so deleted journal text, names and attachment bytes stayed in the
store and in every backup. From now on the ORM clears a row when it becomes a tombstone
(db.tombstones); this revision clears the tombstones already stored, by the same rule (frozen
here: sync columns, ``deleted``, NOT NULL foreign keys and the listed UNIQUE/CHECK columns stay,
everything else becomes NULL or its type's neutral value). The clearing is not stamped for sync:
every vault clears its own old tombstones identically, so no field needs to travel.

The FTS5 tables were ``contentless_delete=1``: a deleted row was only masked, its folded terms
stayed in the index pages until a merge happened to rewrite them. They are rebuilt as plain
contentless tables in ``secure-delete`` mode, whose triggers hand the old terms to FTS5's
'delete' command, which takes them out of the index pages at once. The terms are recomputed
from the old row with the same expression the insert used (``lotse_fold`` is deterministic).

Frozen like every revision. The downgrade restores the previous index definitions; the cleared
content of tombstones cannot come back.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection, text

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- Tombstone rule as of this revision ---------------------------------------------------------
SYNC_COLUMNS = ("id", "uuid", "origin_vault", "changed_by_vault", "version_vector",
                "field_stamps", "deleted", "created_at", "updated_at")
KEEPS = {
    "attachment": ("owner_table", "owner_uuid"),
    "case_file": ("case_number", "phase"),
    "catalogue_entry": ("catalogue", "code"),
    "certificate": ("serial",),
    "conference": ("status",),
    "conference_amendment": ("number",),
    "phase_transition": ("to_phase",),
}
JSON_OBJECTS = {("catalogue_entry", "data"), ("certificate", "payload"),
                ("conference_agenda_item", "state_of_affairs")}  # other JSON columns are lists
NEUTRAL_BY_TYPE = {
    "DATE": "'1970-01-01'",
    "DATETIME": "'1970-01-01 00:00:00.000000'",  # SQLAlchemy's storage format for SQLite
    "BOOLEAN": "0",
    "INTEGER": "0",
    "BLOB": "x''",
}


def _synced_tables(conn: Connection) -> list[str]:
    names = [str(r[0]) for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))]
    return [t for t in names if "deleted" in _columns(conn, t)
            and not t.startswith(("case_search", "journal_search"))]


def _columns(conn: Connection, table: str) -> dict[str, tuple[str, bool]]:
    """name -> (declared type, NOT NULL)."""
    rows = conn.execute(text(f"PRAGMA table_info('{table}')"))
    return {r[1]: (str(r[2]).upper(), bool(r[3])) for r in rows}


def _neutral(table: str, column: str, declared: str) -> str:
    if declared == "JSON":
        return "'{}'" if (table, column) in JSON_OBJECTS else "'[]'"
    if declared.startswith(("VARCHAR", "TEXT")):
        return "''"
    return NEUTRAL_BY_TYPE[declared]


def clear_tombstones(conn: Connection) -> None:
    for table in _synced_tables(conn):
        foreign = {r[3] for r in conn.execute(text(f"PRAGMA foreign_key_list('{table}')"))}
        assignments = []
        for column, (declared, not_null) in _columns(conn, table).items():
            if column in SYNC_COLUMNS or column in KEEPS.get(table, ()):
                continue
            if not_null and column in foreign:
                continue
            value = _neutral(table, column, declared) if not_null else "NULL"
            assignments.append(f'"{column}" = {value}')
        if assignments:
            op.execute(f'UPDATE "{table}" SET {", ".join(assignments)} WHERE deleted = 1')


# --- Full-text search ---------------------------------------------------------------------------
_CASE_TERMS = (
    "lotse_fold(p.family_name || ' ' || p.given_names || ' ' || coalesce(p.birth_name, ''))"
    " || ' ' || lower(c.case_number)"
)
_KEY_NEW = "(CAST(strftime('%s', new.occurred_at) AS INTEGER) / 86400) * 4294967296 + new.id"
_TEXT_NEW = "lotse_fold(new.text || ' ' || coalesce(new.place, ''))"


def _as(expr: str, old: str, new: str) -> str:
    return expr.replace(old, new)


CASE_TABLE = ("CREATE VIRTUAL TABLE case_search USING fts5(terms, content='', {delete}"
              "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')")
JOURNAL_TABLE = ("CREATE VIRTUAL TABLE journal_search USING fts5(text, content='', {delete}"
                 "tokenize='unicode61 remove_diacritics 0')")
# The insert triggers keep their shape (app/demo/search_index.py re-runs them in bulk).
INSERT_TRIGGERS = (
    f"""CREATE TRIGGER case_search_ai AFTER INSERT ON case_file WHEN new.deleted = 0 BEGIN
        INSERT INTO case_search(rowid, terms)
        SELECT new.id, {_as(_CASE_TERMS, "c.", "new.")} FROM person AS p WHERE p.id = new.person_id;
    END""",
    f"""CREATE TRIGGER journal_search_ai AFTER INSERT ON journal_entry WHEN new.deleted = 0 BEGIN
        INSERT INTO journal_search(rowid, text) VALUES ({_KEY_NEW}, {_TEXT_NEW});
    END""",
)
# Removal hands FTS5 the terms the row was indexed with, and only for rows that were indexed
# (live ones): secure-delete then erases them from the index pages.
SECURE_TRIGGERS = (
    f"""CREATE TRIGGER case_search_au AFTER UPDATE OF case_number, person_id, deleted
    ON case_file BEGIN
        INSERT INTO case_search(case_search, rowid, terms)
        SELECT 'delete', old.id, {_as(_CASE_TERMS, "c.", "old.")} FROM person AS p
        WHERE p.id = old.person_id AND old.deleted = 0;
        INSERT INTO case_search(rowid, terms)
        SELECT new.id, {_as(_CASE_TERMS, "c.", "new.")} FROM person AS p
        WHERE p.id = new.person_id AND new.deleted = 0;
    END""",
    f"""CREATE TRIGGER case_search_ad AFTER DELETE ON case_file WHEN old.deleted = 0 BEGIN
        INSERT INTO case_search(case_search, rowid, terms)
        SELECT 'delete', old.id, {_as(_CASE_TERMS, "c.", "old.")} FROM person AS p
        WHERE p.id = old.person_id;
    END""",
    f"""CREATE TRIGGER case_search_person_au AFTER UPDATE OF family_name, given_names, birth_name
    ON person BEGIN
        INSERT INTO case_search(case_search, rowid, terms)
        SELECT 'delete', c.id, {_as(_CASE_TERMS, "p.", "old.")} FROM case_file AS c
        WHERE c.person_id = old.id AND c.deleted = 0;
        INSERT INTO case_search(rowid, terms)
        SELECT c.id, {_as(_CASE_TERMS, "p.", "new.")} FROM case_file AS c
        WHERE c.person_id = new.id AND c.deleted = 0;
    END""",
    f"""CREATE TRIGGER journal_search_au AFTER UPDATE OF text, place, occurred_at, deleted
    ON journal_entry BEGIN
        INSERT INTO journal_search(journal_search, rowid, text)
        SELECT 'delete', {_as(_KEY_NEW, "new.", "old.")}, {_as(_TEXT_NEW, "new.", "old.")}
        WHERE old.deleted = 0;
        INSERT INTO journal_search(rowid, text) SELECT {_KEY_NEW}, {_TEXT_NEW}
        WHERE new.deleted = 0;
    END""",
    f"""CREATE TRIGGER journal_search_ad AFTER DELETE ON journal_entry WHEN old.deleted = 0 BEGIN
        INSERT INTO journal_search(journal_search, rowid, text)
        VALUES ('delete', {_as(_KEY_NEW, "new.", "old.")}, {_as(_TEXT_NEW, "new.", "old.")});
    END""",
)
# Revision 0001's removal triggers, for the downgrade (contentless_delete=1 tables).
MASKING_TRIGGERS = (
    f"""CREATE TRIGGER case_search_au AFTER UPDATE OF case_number, person_id, deleted
    ON case_file BEGIN
        DELETE FROM case_search WHERE rowid = old.id;
        INSERT INTO case_search(rowid, terms)
        SELECT new.id, {_as(_CASE_TERMS, "c.", "new.")} FROM person AS p
        WHERE p.id = new.person_id AND new.deleted = 0;
    END""",
    """CREATE TRIGGER case_search_ad AFTER DELETE ON case_file BEGIN
        DELETE FROM case_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER case_search_person_au AFTER UPDATE OF family_name, given_names, birth_name
    ON person BEGIN
        DELETE FROM case_search WHERE rowid IN (SELECT id FROM case_file WHERE person_id = new.id);
        INSERT INTO case_search(rowid, terms)
        SELECT c.id, {_as(_CASE_TERMS, "p.", "new.")} FROM case_file AS c
        WHERE c.person_id = new.id AND c.deleted = 0;
    END""",
    f"""CREATE TRIGGER journal_search_au AFTER UPDATE OF text, place, occurred_at, deleted
    ON journal_entry BEGIN
        DELETE FROM journal_search WHERE rowid = {_as(_KEY_NEW, "new.", "old.")};
        INSERT INTO journal_search(rowid, text)
        SELECT {_KEY_NEW}, {_TEXT_NEW} WHERE new.deleted = 0;
    END""",
    f"""CREATE TRIGGER journal_search_ad AFTER DELETE ON journal_entry BEGIN
        DELETE FROM journal_search WHERE rowid = {_as(_KEY_NEW, "new.", "old.")};
    END""",
)
TRIGGERS = ("case_search_ai", "case_search_au", "case_search_ad", "case_search_person_au",
            "journal_search_ai", "journal_search_au", "journal_search_ad")
# Every live row indexed again, in rowid order (FTS5 builds its segments fastest that way).
REFILL = (
    f"INSERT INTO case_search(rowid, terms) SELECT c.id, {_CASE_TERMS} FROM case_file AS c "
    "JOIN person AS p ON p.id = c.person_id WHERE c.deleted = 0 ORDER BY c.id",
    f"INSERT INTO journal_search(rowid, text) SELECT {_as(_KEY_NEW, 'new.', 'j.')}, "
    f"{_as(_TEXT_NEW, 'new.', 'j.')} FROM journal_entry AS j WHERE j.deleted = 0 ORDER BY 1",
)


def _drop_search() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS case_search")
    op.execute("DROP TABLE IF EXISTS journal_search")


def _create_search(*, secure: bool) -> None:
    delete_option = "" if secure else "contentless_delete=1, "
    op.execute(CASE_TABLE.format(delete=delete_option))
    op.execute(JOURNAL_TABLE.format(delete=delete_option))
    if secure:
        for table in ("case_search", "journal_search"):
            op.execute(f"INSERT INTO {table}({table}, rank) VALUES('secure-delete', 1)")
    for statement in REFILL:
        op.execute(statement)
    for statement in (*INSERT_TRIGGERS, *(SECURE_TRIGGERS if secure else MASKING_TRIGGERS)):
        op.execute(statement)


def upgrade() -> None:
    _drop_search()  # first: clearing must not run the old triggers
    clear_tombstones(op.get_bind())
    _create_search(secure=True)


def downgrade() -> None:
    _drop_search()
    _create_search(secure=False)
