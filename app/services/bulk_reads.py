"""Bulk reads audited as one summary event each: a case list, a search, an export of either.

A person who lists 3,000 cases or searches the journal has read personal data as surely as one
who opened a case, so the data-protection officer finds these in the audit log too; one event per
read (not one per row) keeps the log readable. The event says how many records of which kind were
shown and which filters were set, by name. Never the query text, a filter's value or a name: the
log is evidence for the officer, not a second copy of the caseload (app.audit).

The CLI calls this after ``lotse cases`` and ``lotse search``; the desktop's list and search call
it for what they showed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import fields
from typing import Any

from app import audit
from app.services.cases.records import CaseFilter
from app.vault.store import Vault

LISTINGS = {audit.Kind.CASES_LISTED: audit.Kind.CASES_EXPORTED,
            audit.Kind.SEARCH_RUN: audit.Kind.SEARCH_EXPORTED}
EXPORT_FORMATS = frozenset({"json"})
# What may be counted (records of a kind shown, matches left out) and what may be named as a
# filter: fixed sets, so no caller can put a value where a name belongs.
COUNTS = frozenset({"cases", "journal_entries", "left_out"})
FILTERS = frozenset(f.name for f in fields(CaseFilter))
_NAME = re.compile(r"[a-z_]{1,40}")


def case_filter_names(flt: CaseFilter) -> list[str]:
    """The names of the filters a case list applied (those differing from no filter at all)."""
    unfiltered = CaseFilter()
    return [f.name for f in fields(CaseFilter)
            if getattr(flt, f.name) != getattr(unfiltered, f.name)]


def audit_bulk_read(vault: Vault, kind: str, counts: Mapping[str, int], *,
                    filters: Collection[str] = (), export_format: str | None = None) -> None:
    """Write the one summary event of a bulk read.

    ``kind``: ``CASES_LISTED`` or ``SEARCH_RUN``; with ``export_format`` (the output was handed
    out as a file format, e.g. ``--json``) it is written as the matching export kind.
    ``counts``: records shown per kind (``cases``, ``journal_entries``) and ``left_out``.
    """
    if kind not in LISTINGS:
        raise ValueError(f"not a bulk read: {kind}")
    if not set(counts) <= COUNTS or any(not isinstance(n, int) or n < 0
                                        for n in counts.values()):
        raise ValueError(f"bulk read counts must be whole numbers of {sorted(COUNTS)}")
    if not set(filters) <= FILTERS or not all(_NAME.fullmatch(f) for f in filters):
        raise ValueError(f"bulk read filters are named from {sorted(FILTERS)}")
    detail: dict[str, Any] = {name: counts[name] for name in sorted(counts)}
    detail["filters"] = sorted(set(filters))
    if export_format is not None:
        if export_format not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {export_format}")
        kind, detail["format"] = LISTINGS[kind], export_format
    with vault.session() as s:
        audit.record(s, kind, **detail)
