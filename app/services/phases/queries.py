"""Evaluate the catalogue's declarative minimum-documentation checks against one case.

The rules live in ``resources/catalogues/phases.json``; this module only knows the three check
kinds (field / count / all) and how entities hang off a case (``catalogue_phases.CHECK_ENTITIES``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.catalogue_phases import CHECK_ENTITIES, Check, DocumentationItem, requirements
from app.services.phases.records import MissingItem
from db.base import Base
from db.models import CaseFile


def _filled(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return True


def _table(entity: str) -> Table:
    return Base.metadata.tables[CHECK_ENTITIES[entity].table]


def _rows(session: Session, case: CaseFile, entity: str) -> list[dict[str, Any]]:
    """Live (not tombstoned) rows of ``entity`` that belong to ``case``."""
    if entity == "case":
        return [{c.name: getattr(case, c.key) for c in CaseFile.__table__.columns}]
    link = CHECK_ENTITIES[entity]
    assert link.parent is not None
    parent_values = {r[link.parent_column] for r in _rows(session, case, link.parent)}
    if not parent_values:
        return []
    table = _table(entity)
    query = select(table).where(table.c[link.column].in_(parent_values))
    if "deleted" in table.c:
        query = query.where(table.c.deleted.is_(False))
    return [dict(r._mapping) for r in session.execute(query)]


def check_passes(session: Session, case: CaseFile, check: Check) -> bool:
    rows = _rows(session, case, check.entity)
    if check.kind == "field":
        assert check.field is not None
        return _filled(rows[0][check.field])
    if check.kind == "all":
        assert check.field is not None
        return bool(rows) and all(_filled(r[check.field]) for r in rows)
    matching = [
        r for r in rows
        if all(r[name] == value if value is not None else r[name] is None
               for name, value in check.where)
        and all(_filled(r[name]) for name in check.filled)
    ]
    return len(matching) >= check.min


def missing_items(session: Session, case: CaseFile,
                  items: tuple[DocumentationItem, ...]) -> list[DocumentationItem]:
    return [item for item in items if not check_passes(session, case, item.check)]


def missing_for_step(s: Session, case: CaseFile, target: str) -> list[MissingItem]:
    items = requirements(case.phase, target)
    return [MissingItem(i.code, i.label, i.hint)
            for i in missing_items(s, case, items)]
