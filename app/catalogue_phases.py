"""The phase catalogue: the DGCC cycle, the steps it allows, and each phase's minimum documentation.

Kept apart from the plain code lists in :mod:`app.catalogues` because phases carry rules, not
just labels: minimum documentation is declarative (see :class:`Check`), validated here on load
and evaluated by one generic routine (``app.services.phases.queries``) using
:data:`CHECK_ENTITIES`, never by per-item code. :func:`phases` and :func:`phase` stay importable
from :mod:`app.catalogues`, where the many callers that only show a phase's label find them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.catalogue_loading import Coded, Where, load_entries
from app.catalogue_loading import lookup as _lookup
from app.catalogue_loading import require as _require
from db.models import PHASES

CHECK_KINDS = ("field", "count", "all")
DOCUMENTATION_APPLIES = ("leave_forward", "enter")


@dataclass(frozen=True)
class Check:
    """A declarative test of one documentation item against the rows of one case.

    * ``field``: the single row of ``entity`` (only ``case``) has ``field`` non-empty.
    * ``count``: at least ``min`` rows of ``entity`` belong to the case, match every ``where``
      equality (JSON null = IS NULL) and have every column in ``filled`` non-empty.
    * ``all``: at least one row of ``entity`` belongs to the case, and every one has ``field``
      non-empty.

    Non-empty: not NULL, not a blank string, not False, not an empty JSON list/object.
    Tombstoned rows (``deleted``) never count. How rows belong to a case: CHECK_ENTITIES.
    """

    kind: str
    entity: str
    field: str | None = None
    min: int = 1
    where: Where = ()
    filled: tuple[str, ...] = ()

    def columns(self) -> tuple[str, ...]:
        """Every column of ``entity`` this check reads."""
        own = (self.field,) if self.field else ()
        return own + tuple(name for name, _ in self.where) + self.filled


@dataclass(frozen=True)
class DocumentationItem(Coded):
    hint: str  # what to record, shown next to the missing item
    check: Check


@dataclass(frozen=True)
class Phase(Coded):
    short_label: str
    description: str
    next: str | None  # the one forward step
    transitions: tuple[str, ...]  # every allowed target
    documentation_applies: str  # leave_forward / enter
    minimum_documentation: tuple[DocumentationItem, ...]


@dataclass(frozen=True)
class EntityLink:
    """How rows of ``table`` belong to a case, for ``count``/``all`` checks.

    A row belongs to case C if ``row.<column>`` equals ``<parent row>.<parent_column>`` for a
    row of ``parent`` that belongs to C (recursively); ``case`` itself is the case_file row.
    """

    table: str
    column: str
    parent: str | None
    parent_column: str


CHECK_ENTITIES: dict[str, EntityLink] = {
    "case": EntityLink("case_file", "id", None, "id"),
    "assessment": EntityLink("assessment", "case_id", "case", "id"),
    "goal": EntityLink("goal", "case_id", "case", "id"),
    "referral": EntityLink("referral", "case_id", "case", "id"),
    "journal_entry": EntityLink("journal_entry", "case_id", "case", "id"),
    "task": EntityLink("task", "case_id", "case", "id"),
    "legal_basis": EntityLink("legal_basis", "case_id", "case", "id"),
    "disclosure": EntityLink("disclosure", "case_id", "case", "id"),
    # Consents are given by the person, not per case: any consent of the case's client counts.
    "consent": EntityLink("consent", "person_id", "case", "person_id"),
    # Measures hang off goals.
    "measure": EntityLink("measure", "goal_id", "goal", "id"),
}


def _validate_check(check: Check, where: str) -> None:
    _require(check.kind in CHECK_KINDS, f"{where}: unknown check kind {check.kind!r}")
    _require(check.entity in CHECK_ENTITIES, f"{where}: unknown entity {check.entity!r}")
    if check.kind == "field":
        _require(check.entity == "case" and bool(check.field) and not check.where
                 and not check.filled, f"{where}: a field check names one field of the case")
    elif check.kind == "all":
        _require(bool(check.field) and not check.where and not check.filled,
                 f"{where}: an all check names exactly one field")
    else:
        _require(check.field is None and check.min >= 1,
                 f"{where}: a count check has no field and min >= 1")


@cache
def phases() -> tuple[Phase, ...]:
    """The DGCC phases in cycle order."""
    items = load_entries("phases", Phase)
    codes = tuple(p.code for p in items)
    _require(codes == PHASES, f"phases.json: phases must be exactly {PHASES} in this order")
    for i, p in enumerate(items):
        where = f"phases.json[{p.code}]"
        following = codes[i + 1] if i + 1 < len(codes) else None
        _require(p.next == following, f"{where}: next must be {following!r}")
        _require(set(p.transitions) <= set(codes) and p.code not in p.transitions,
                 f"{where}: transitions must name other phases")
        _require(p.next is None or p.next in p.transitions, f"{where}: next not in transitions")
        _require(p.documentation_applies in DOCUMENTATION_APPLIES,
                 f"{where}: documentation_applies must be one of {DOCUMENTATION_APPLIES}")
        item_codes = [d.code for d in p.minimum_documentation]
        _require(len(item_codes) == len(set(item_codes)), f"{where}: duplicate item codes")
        for item in p.minimum_documentation:
            _validate_check(item.check, f"{where}.{item.code}")
    return items


def phase(code: str) -> Phase:
    return _lookup(phases(), code, "phases")


def can_transition(from_code: str, to_code: str) -> bool:
    return to_code in phase(from_code).transitions


def requirements(from_code: str, to_code: str) -> tuple[DocumentationItem, ...]:
    """Minimum documentation for the step: the source's items on its forward step, plus the
    target's items when they apply on entering it (closing). Backward steps need none."""
    source, target = phase(from_code), phase(to_code)
    items: tuple[DocumentationItem, ...] = ()
    if source.next == to_code and source.documentation_applies == "leave_forward":
        items += source.minimum_documentation
    if target.documentation_applies == "enter":
        items += target.minimum_documentation
    return items
