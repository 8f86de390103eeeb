"""``lotse check``: tombstones that still hold content, documents left behind by their owner.

Reports counts per table and the uuids of a few rows, never what they hold.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Select, Table, func, select

from db.base import Base, SyncMixin
from db.models import Attachment
from db.tombstones import content_predicate

SHOWN = 5  # uuids named per finding: enough to look the rows up, not a dump


def _synced_models() -> list[type[SyncMixin]]:
    models = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)]
    return sorted(models, key=lambda m: _table(m).name)


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _named(conn: Connection, query: Select[tuple[str]], count: int) -> str:
    uuids = list(conn.execute(query.limit(SHOWN)).scalars())
    more = f", +{count - len(uuids)} more" if count > len(uuids) else ""
    return ", ".join(uuids) + more


def tombstone_problems(conn: Connection) -> list[str]:
    problems = []
    for model in _synced_models():
        table = _table(model)
        holding = (table.c.deleted.is_(True)) & content_predicate(model)
        count = conn.execute(select(func.count()).select_from(table).where(holding)).scalar_one()
        if count:
            uuids = _named(conn, select(table.c.uuid).where(holding).order_by(table.c.id), count)
            problems.append(f"{count} deleted rows in {table.name} still hold content: {uuids}")
    problems += _orphaned_documents(conn)
    return problems


def _orphaned_documents(conn: Connection) -> list[str]:
    """Live documents whose owner is a tombstone (deleting the owner deletes its documents)."""
    att = _table(Attachment)
    owners = {_table(m).name: m for m in _synced_models()}
    problems = []
    present = conn.execute(select(att.c.owner_table).where(att.c.deleted.is_(False))
                           .distinct()).scalars()
    for name in sorted(set(present) & set(owners)):
        owner = _table(owners[name])
        orphan = ((att.c.owner_table == name) & att.c.deleted.is_(False)
                  & att.c.owner_uuid.in_(select(owner.c.uuid).where(owner.c.deleted.is_(True))))
        count = conn.execute(select(func.count()).select_from(att).where(orphan)).scalar_one()
        if count:
            uuids = _named(conn, select(att.c.uuid).where(orphan).order_by(att.c.id), count)
            problems.append(f"{count} documents of deleted {name} rows are not deleted: {uuids}")
    return problems
