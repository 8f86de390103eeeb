"""Typed change records: what a unit of work changed, by kind of record and id.

The idea of Anki's ``OpChanges``: a write reports what it touched, and each view refreshes only
when a change concerns it. Nobody assembles these records by hand: every committed write session
of the vault publishes the rows its flushes touched (``db.changes``), so a new service, a
conference decision or a bundle import that changes many kinds and ids at once is reported
exactly like a single edit. ``recording()`` gathers what a piece of work committed (the desktop
wraps every job in it, see ``ui.context``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from db.changes import WHOLE_TABLE, RowChanges


class Kind(StrEnum):
    """Kinds of record a view may show. Tables map onto them in ``TABLE_KINDS``."""

    CASE = "case"  # the case file itself: number, phase, target group, derived columns
    PERSON = "person"
    STATUS = "status"  # residence statuses
    JOURNAL = "journal"
    TASK = "task"
    CONSENT = "consent"  # consents, legal bases, disclosures
    PLAN = "plan"  # assessment, goals, measures, referrals
    DOCUMENT = "document"
    DIRECTORY = "directory"  # institutions, contacts, cooperation agreements
    GAP = "gap"
    STAFF = "staff"
    SETTINGS = "settings"  # vault_meta: settings, backup bookkeeping
    CONFERENCE = "conference"
    CERTIFICATE = "certificate"
    SYNC = "sync"
    CATALOGUE = "catalogue"


TABLE_KINDS: Mapping[str, Kind] = {
    "case_file": Kind.CASE, "phase_transition": Kind.CASE,
    "person": Kind.PERSON, "household": Kind.PERSON,
    "residence_status": Kind.STATUS,
    "journal_entry": Kind.JOURNAL,
    "task": Kind.TASK,
    "consent": Kind.CONSENT, "consent_scope": Kind.CONSENT, "legal_basis": Kind.CONSENT,
    "disclosure": Kind.CONSENT,
    "assessment": Kind.PLAN, "goal": Kind.PLAN, "measure": Kind.PLAN, "referral": Kind.PLAN,
    "attachment": Kind.DOCUMENT,
    "institution": Kind.DIRECTORY, "contact": Kind.DIRECTORY,
    "cooperation_agreement": Kind.DIRECTORY, "cooperation_party": Kind.DIRECTORY,
    "system_gap": Kind.GAP, "system_gap_case": Kind.GAP,
    "case_manager": Kind.STAFF, "training_record": Kind.STAFF,
    "vault_meta": Kind.SETTINGS,
    "conference": Kind.CONFERENCE, "conference_participant": Kind.CONFERENCE,
    "conference_agenda_item": Kind.CONFERENCE, "conference_decision": Kind.CONFERENCE,
    "conference_amendment": Kind.CONFERENCE, "conference_distribution": Kind.CONFERENCE,
    "certificate": Kind.CERTIFICATE,
    "bundle_receipt": Kind.SYNC, "sync_conflict": Kind.SYNC,
    "peer_device": Kind.SYNC, "outbox_bundle": Kind.SYNC, "inbox_bundle": Kind.SYNC,
    "share_grant": Kind.SYNC, "sync_key": Kind.SYNC,
    "catalogue_entry": Kind.CATALOGUE,
}

# Kinds whose records appear inside every case file (names of institutions, staff, catalogues).
SHARED_KINDS = frozenset({Kind.DIRECTORY, Kind.STAFF, Kind.CATALOGUE})


@dataclass(frozen=True)
class Changes:
    """What committed: ids per kind (``None`` = some records of that kind, ids unknown) and the
    case files any of them belongs to."""

    ids: Mapping[Kind, frozenset[int] | None] = field(default_factory=dict)
    cases: frozenset[int] = frozenset()

    @classmethod
    def of(cls, rows: RowChanges) -> Changes:
        ids: dict[Kind, frozenset[int] | None] = {}
        for table, row_ids in rows.rows.items():
            kind = TABLE_KINDS.get(table)
            if kind is None:
                continue
            if WHOLE_TABLE in row_ids or ids.get(kind, frozenset()) is None:
                ids[kind] = None
            else:
                ids[kind] = (ids.get(kind) or frozenset()) | frozenset(row_ids)
        return cls(ids, frozenset(rows.cases))

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def touches(self, *kinds: Kind) -> bool:
        return any(k in self.ids for k in kinds)

    def touches_case(self, case_id: int) -> bool:
        """Anything shown in this case's file: its own records, or a kind every file shows.
        A bulk change of a case-bound kind (ids unknown) may concern any case."""
        if case_id in self.cases or self.touches(*SHARED_KINDS):
            return True
        return any(ids is None and kind not in _CASELESS for kind, ids in self.ids.items())

    def ids_of(self, kind: Kind) -> frozenset[int] | None:
        """The ids of ``kind`` that changed; ``None`` when unknown (treat all as changed)."""
        return self.ids.get(kind, frozenset())

    def __or__(self, other: Changes) -> Changes:
        ids: dict[Kind, frozenset[int] | None] = dict(self.ids)
        for kind, more in other.ids.items():
            mine = ids.get(kind, frozenset())
            ids[kind] = None if mine is None or more is None else mine | more
        return Changes(ids, self.cases | other.cases)


_CASELESS = frozenset({Kind.GAP, Kind.SETTINGS, Kind.CONFERENCE, Kind.SYNC,
                       *SHARED_KINDS})
NOTHING = Changes()


class Recorder:
    """What the work inside one ``recording()`` block committed."""

    def __init__(self) -> None:
        self.changes = NOTHING

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes


_recorders: ContextVar[tuple[Recorder, ...]] = ContextVar("lotse_change_recorders", default=())


@contextmanager
def recording() -> Iterator[Recorder]:
    """Collect the change records committed inside the block (this thread/context only)."""
    recorder = Recorder()
    token = _recorders.set((*_recorders.get(), recorder))
    try:
        yield recorder
    finally:
        _recorders.reset(token)


def publish(rows: RowChanges) -> None:
    """Called by the vault after a write session committed."""
    if not rows:
        return
    changes = Changes.of(rows)
    if changes:
        for recorder in _recorders.get():
            recorder.add(changes)

