"""Cases shared with a deputy or handed over to a colleague, as people see them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class GrantRow:
    id: int
    case_uuid: str
    case_number: str
    client_name: str | None  # only in this vault's own views, never on the share
    peer_fingerprint: str
    peer_name: str  # "Katharina Nowak (Stadt Dortmund)"
    kind: str  # deputy / transfer
    direction: str  # out / in
    state: str  # active / ended / offered / accepted / declined
    since: date
    until: date | None
    last_sent_at: datetime | None


@dataclass(frozen=True)
class CaseSyncState:
    """The per-case line in the case file: who else has it and what is pending."""

    case_uuid: str
    label_de: str  # "Nur in diesem Tresor", "Geteilt mit … (Vertretung bis 18.12.2026)", …
    grants: tuple[GrantRow, ...]
    open_conflicts: int
    unsent_changes: bool
    read_only: bool  # handed over: closed stub
    read_only_reason_de: str | None


@dataclass(frozen=True)
class RecordMarks:
    """The sync state of single records of one case, by record uuid, for the case file's rows.

    A record that hangs off another in the case file's lists (a consent's scope) is also
    listed under the record whose row shows it (the consent)."""

    case_uuid: str
    # German field labels with an open conflict ("Datum", "Datensatz gelöscht").
    conflicts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Colleagues (by name) a record changed here has not been sent to yet.
    unsent: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
