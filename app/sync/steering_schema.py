"""The steering report's declared schema (its field allowlist) and the suppression of small cells.

A report body is exactly this and nothing else::

    {"schema": 1, "period_from": "2026-01-01", "period_to": "2026-06-30", "as_of": "2026-07-01",
     "threshold": 5,
     "totals": {"cases": 812, "open_at_end": 640, "new": 133, "closed": 172, "conferences": 41},
     "tables": {"phase": {"intake": 12, "assessment": None, …}, "target_group": {…}, …}}

Every key is named below (``BODY_KEYS``, ``TOTALS``, ``TABLES``); table keys are catalogue codes
(the exporter maps anything the shipped catalogue does not know to "other", so no free text can
ride in as a key); every count counts people (cases) except ``gap_category`` (gaps of the
register, which name no one) and is either ≥ ``THRESHOLD`` or None (suppressed). Zero cells are
left out. ``check_body`` enforces the whole shape on both sides: the exporter runs it before
sealing, the steering vault before storing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

SCHEMA_VERSION = 1
THRESHOLD = 5  # cells under 5 people are suppressed
BODY_KEYS = frozenset({"schema", "period_from", "period_to", "as_of", "threshold", "totals",
                       "tables"})
# Totals, each a count of cases (conferences: cases discussed in a conference held in the period).
TOTALS = ("cases", "open_at_end", "new", "closed", "conferences")
# Tables: the total each one partitions (its cells add up to that total, so a suppressed cell
# could be worked out from the total and the visible cells: secondary suppression), or None
# where a case may count in several cells (no total to subtract from).
TABLES: dict[str, str | None] = {
    "phase": "cases",  # phase at the end of the period
    "target_group": "cases",
    "municipality": "cases",
    "residence_status": "cases",  # the person's current status kind at the end of the period
    "status_group": "cases",  # the kind's group (asylum, toleration, residence_permit, …)
    "close_reason": "closed",
    "duration": "closed",  # months from opening to closing, in bands
    "referral_institution_kind": None,  # cases referred in the period, per institution kind
    "referral_legal_domain": None,  # … per legal domain of that kind
    "goal_attainment": None,  # cases with a goal evaluated in the period, per degree
    "gap_category": None,  # system gaps noticed in the period, per category
}
DURATION_BANDS = ("under_3_months", "3_to_6_months", "6_to_12_months", "over_12_months")
DIMENSION_LABELS = {
    "phase": "Phase", "target_group": "Zielgruppe", "municipality": "Kommune",
    "residence_status": "Aufenthaltsstatus", "status_group": "Statusgruppe",
    "close_reason": "Abschlussgrund", "duration": "Dauer bis zum Abschluss",
    "referral_institution_kind": "Vermittlungen nach Art der Stelle",
    "referral_legal_domain": "Vermittlungen nach Rechtskreis",
    "goal_attainment": "Zielerreichung", "gap_category": "Lücken im System",
}
TOTAL_LABELS = {"cases": "Fälle im Zeitraum", "open_at_end": "offen am Ende des Zeitraums",
                "new": "neu aufgenommen", "closed": "abgeschlossen",
                "conferences": "in Fallkonferenzen besprochen"}
# Catalogue codes and legal domains ("SGB XII / AsylbLG"): short, no digits runs of a date,
# no "@": a key that looks like anything else is refused.
_CODE = re.compile(r"^[A-Za-z0-9_§ ./()-]{1,48}$")
MAX_CELLS = 500  # per table: far more than any catalogue


class BodyInvalid(ValueError):
    """A body outside the declared schema (English, technical)."""


def suppress(count: int) -> int | None:
    return count if count >= THRESHOLD else None


def suppress_table(cells: Mapping[str, int], total: int | None) -> dict[str, int | None] | None:
    """Primary suppression (1–4 → None; zero cells left out), then secondary suppression
    against ``total`` (None: the table partitions no published total).

    Someone who knows the total and the visible cells knows the sum R of the suppressed ones;
    each primary cell is known to be 1–4, each secondarily suppressed one ≥ 5. A cell is
    revealed when those bounds and R leave it one value, so the smallest visible cell is
    suppressed too until no suppressed cell is pinned. If even suppressing every cell cannot
    help (e.g. two cells of 4 adding up to a visible 8), the whole table is withheld (None):
    without its codes nobody can subtract anything."""
    table: dict[str, int | None] = {}
    for code, n in sorted(cells.items()):
        if n > 0:
            table[code] = suppress(n)
    if total is None or total < THRESHOLD or all(v is not None for v in table.values()):
        return table
    secondary: set[str] = set()
    while _pinned(cells, table, total, secondary):
        visible = sorted((n, code) for code, n in table.items() if n is not None)
        if not visible:
            return None
        code = visible[0][1]
        table[code] = None
        secondary.add(code)
    return table


def _pinned(cells: Mapping[str, int], table: Mapping[str, int | None], total: int,
            secondary: set[str]) -> bool:
    hidden = [c for c, v in table.items() if v is None]
    if not hidden:
        return False
    rest = total - sum(v for v in table.values() if v is not None)
    bounds = {c: ((THRESHOLD, None) if c in secondary else (1, THRESHOLD - 1)) for c in hidden}
    for c in hidden:
        others = [bounds[o] for o in hidden if o != c]
        lo_others = sum(b[0] for b in others)
        hi_others = (None if any(b[1] is None for b in others)
                     else sum(b[1] for b in others if b[1] is not None))
        lo = max(bounds[c][0], rest - hi_others) if hi_others is not None else bounds[c][0]
        hi_c = bounds[c][1]
        hi = rest - lo_others if hi_c is None else min(hi_c, rest - lo_others)
        if lo >= hi:
            return True
    return False


def check_body(body: Mapping[str, Any]) -> None:
    """Raise ``BodyInvalid`` unless ``body`` is exactly a report of the declared schema."""
    if not isinstance(body, Mapping) or set(body) != BODY_KEYS:
        raise BodyInvalid("report body keys differ from the schema")
    if body["schema"] != SCHEMA_VERSION or body["threshold"] != THRESHOLD:
        raise BodyInvalid("unknown report schema or threshold")
    for key in ("period_from", "period_to", "as_of"):
        value = body[key]
        if not isinstance(value, str) or len(value) != 10:
            raise BodyInvalid(f"{key} is not a date")
        try:
            date.fromisoformat(value)
        except ValueError as e:
            raise BodyInvalid(f"{key} is not a date") from e
    totals = body["totals"]
    if not isinstance(totals, Mapping) or set(totals) != set(TOTALS):
        raise BodyInvalid("totals differ from the schema")
    for value in totals.values():
        _count(value)
    tables = body["tables"]
    if not isinstance(tables, Mapping) or set(tables) != set(TABLES):
        raise BodyInvalid("tables differ from the schema")
    for table in tables.values():
        if table is None:
            continue
        if not isinstance(table, Mapping) or len(table) > MAX_CELLS:
            raise BodyInvalid("a table is not a mapping of codes")
        for code, value in table.items():
            if not isinstance(code, str) or not _CODE.match(code):
                raise BodyInvalid("a table key is not a catalogue code")
            _count(value)


def _count(value: Any) -> None:
    if value is None:
        return
    if type(value) is not int or value < THRESHOLD:
        raise BodyInvalid("a count is neither suppressed nor at least the threshold")
