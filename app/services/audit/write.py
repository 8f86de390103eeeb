"""Starting a new audit anchor, the one act that ends an alarm.

Two witnesses outside the store can raise the alarm: the audit anchor (``app.anchoring``) and
the failure record (``app.vault.record_alarm``: an unlock found it missing or replaced). Starting
a new anchor is the only way an alarm ends, and only on a person's explicit request (``lotse
audit --reanchor``, the desktop's alarm bar): it keeps the old anchor file, records who
restarted it from which heads and which failure-record alarm it acknowledges, and anchors the
store's chain as it is now.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import fields
from typing import Any

from app import anchoring, audit
from app.errors import Refused
from app.services.audit.read import anchor_status
from app.services.audit.records import AnchorRestart
from app.services.cases.records import CaseFilter
from app.vault.record_alarm import standing_alarm
from app.vault.store import Vault
from db.write_lock import write_locked

NOTHING_TO_RESTART_DE = ("Protokoll und Prüfanker stimmen überein; es gibt keinen Grund, einen "
                         "neuen Prüfanker zu beginnen.")


def restart_anchor(vault: Vault) -> AnchorRestart:
    """Begin a new anchor from the store's chain; refused while no alarm stands."""
    with vault.read_session() as s:
        chain = audit.verify(s, vault.anchor)
        alarm = standing_alarm(anchoring.session_runner(s))
    if chain.ok and alarm is None:
        raise Refused(NOTHING_TO_RESTART_DE, "the audit anchor agrees with the store; "
                      "there is nothing to restart")
    old_head = vault.anchor.last()
    # Recorded first: a crash before the new anchor is written leaves the alarm standing (the
    # frozen anchor does not take this entry) and this entry as the trace of the attempt. The
    # failure record's alarm it acknowledges is read in the same (locked) transaction.
    with vault.session(immediate=True) as s:
        run = anchoring.session_runner(s)
        alarm = standing_alarm(run)
        rows = run("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", ())
        new_head = (int(rows[0][0]), str(rows[0][1])) if rows else None
        audit.record(s, audit.Kind.ANCHOR_RESTARTED, "vault", vault.info.vault_uuid,
                     old_seq=old_head[0] if old_head else None,
                     old_hash=old_head[1] if old_head else None,
                     new_seq=new_head[0] if new_head else None,
                     new_hash=new_head[1] if new_head else None,
                     failure_record_alarm=alarm.seq if alarm else None)
    stamp = vault.clock.now().strftime("%Y%m%dT%H%M%SZ")
    with write_locked(vault.engine) as run:  # no other process appends meanwhile
        records = [(int(seq), str(digest)) for seq, digest in
                   run("SELECT seq, hash FROM audit_log ORDER BY seq", ())]
        kept = vault.anchor.replace(records, stamp)
        anchoring.set_anchored_through(run, records[-1][0] if records else 0)
    return AnchorRestart(old_head, new_head, kept, anchor_status(vault))


# --- Bulk reads -------------------------------------------------------------------------------
# Bulk reads audited as one summary event each: a case list, a search, an export of either.
#
# A person who lists 3,000 cases or searches the journal has read personal data as surely as one
# who opened a case, so the data-protection officer finds these in the audit log too; one event per
# read (not one per row) keeps the log readable. The event says how many records of which kind were
# shown and which filters were set, by name. Never the query text, a filter's value or a name: the
# log is evidence for the officer, not a second copy of the caseload (app.audit).
#
# The CLI calls this after ``lotse cases`` and ``lotse search``; the desktop's list and search call
# it for what they showed.

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
