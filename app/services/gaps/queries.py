"""Lookups shared by the register's reads and writes."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.services.editing import live
from app.services.gaps.records import CATEGORIES, SEVERITIES, STATUSES, GapEntry
from db.folding import SORT_SEPARATOR
from db.models import Person, SystemGap

WORDS_PER_QUERY = 100  # SQLite limits the depth of an OR chain


def gap_entry(g: SystemGap) -> GapEntry:
    return GapEntry(g.uuid, g.category, CATEGORIES.get(g.category, g.category), g.title,
                    g.description, g.severity, SEVERITIES.get(g.severity, g.severity),
                    g.status, STATUSES.get(g.status, g.status), g.noticed_on,
                    tuple(g.legal_domains or []), g.resolved_on)


def live_gap(s: Session, uuid: str) -> SystemGap:
    return live(s, SystemGap, uuid, "Die Lücke wurde nicht gefunden.")


def persons_named(s: Session, words: Iterable[str]) -> list[tuple[str, str]]:
    """(family, given) of living persons whose sort key starts with one of ``words`` as its
    first word: a range scan on the sort-key index per word, no name list loaded."""
    keys = sorted(set(words))
    found: list[tuple[str, str]] = []
    for start in range(0, len(keys), WORDS_PER_QUERY):
        ranges = [or_(and_(Person.sort_key >= f"{w} ", Person.sort_key < f"{w}!"),
                      and_(Person.sort_key >= f"{w}{SORT_SEPARATOR}",
                           Person.sort_key < f"{w}\x02"))
                  for w in keys[start:start + WORDS_PER_QUERY]]
        rows = s.execute(select(Person.family_name, Person.given_names)
                         .where(Person.deleted.is_(False), or_(*ranges)))
        found.extend((family, given) for family, given in rows)
    return found
