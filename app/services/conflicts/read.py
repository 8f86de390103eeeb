"""Reading side of the conflicts domain: each open conflict with both values as text, who wrote
which and when, in the words of the forms."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.date_input import format_date
from app.field_labels import field_label
from app.services.audit.read import OBJECT_LABELS
from app.services.conflicts.records import ConflictRow
from app.vault.store import Vault
from db.models import CaseFile, Household, Person, ResidenceStatus
from db.models.sync_state import PeerDevice, SyncConflict
from db.replica_meta import TableMeta, from_json, sync_tables, table_meta

EMPTY = "—"
YOU = "Sie"
SOMEONE = "andere Fallmanager:in"
DELETED_TEXT = "Gelöscht"
# The audit log's names of records, and those it never names (rows that only travel).
RECORD_LABELS = {
    **OBJECT_LABELS,
    "consent_scope": "Umfang einer Schweigepflichtentbindung",
    "conference_distribution": "Verteiler eines Protokolls",
    "system_gap_case": "Fall einer Systemlücke",
    "cooperation_party": "Partner einer Kooperationsvereinbarung",
    "phase_transition": "Phasenwechsel", "catalogue_entry": "Katalogeintrag",
}
# What names a record after its kind: a date ("vom 03.12.2026") or a text ("Jobcenter").
NAMED_BY = ("case_number", "occurred_at", "title", "name", "display_name", "label", "serial",
            "given_on", "assessed_on", "scheduled_at", "recorded_on", "disclosed_at", "module",
            "what", "recipient_name", "data_category", "code", "family_name")
DELETED_LABEL = "Datensatz gelöscht"


def conflicts(vault: Vault, *, case_uuid: str | None = None,
              include_resolved: bool = False) -> list[ConflictRow]:
    """Open conflicts (and resolved ones if asked), oldest first; of one case if given."""
    with vault.read_session() as s:
        query = select(SyncConflict).order_by(SyncConflict.id)
        if not include_resolved:
            query = query.where(SyncConflict.resolved_at.is_(None))
        if case_uuid is not None:
            query = query.where(of_case(s, case_uuid))
        rows = s.execute(query).scalars().all()
        return [row_of(s, vault, c) for c in rows]


def open_count(vault: Vault, *, case_uuid: str | None = None) -> int:
    with vault.read_session() as s:
        query = select(func.count()).select_from(SyncConflict).where(
            SyncConflict.resolved_at.is_(None))
        if case_uuid is not None:
            query = query.where(of_case(s, case_uuid))
        return int(s.execute(query).scalar_one())


def of_case(s: Session, case_uuid: str) -> ColumnElement[bool]:
    """Conflicts of the case: its own rows', and those of its client's person, households and
    residence statuses (a client's record belongs to no single case, so a conflict on it names
    none; it shows in every case of that person)."""
    own = SyncConflict.case_uuid == case_uuid
    case = s.execute(select(CaseFile.person_id, CaseFile.household_id).where(
        CaseFile.uuid == case_uuid)).first()
    if case is None:
        return own
    person = s.execute(select(Person.uuid, Person.household_id).where(
        Person.id == case.person_id)).first()
    households = {h for h in (case.household_id, person.household_id if person else None) if h}
    client = {person.uuid} if person else set()
    client |= set(s.execute(select(Household.uuid).where(Household.id.in_(households))).scalars())
    client |= set(s.execute(select(ResidenceStatus.uuid).where(
        ResidenceStatus.person_id == case.person_id)).scalars())
    return or_(own, and_(SyncConflict.case_uuid.is_(None), SyncConflict.row_uuid.in_(client)))


def row_of(s: Session, vault: Vault, c: SyncConflict) -> ConflictRow:
    meta = table_meta(c.table_name) if c.table_name in sync_tables() else None
    mine, theirs = c.local_value, c.remote_value
    if meta is not None and c.kind == "field":
        mine, theirs = from_json(meta, c.field, mine), from_json(meta, c.field, theirs)
    case_number = None
    if c.case_uuid is not None:
        case_number = s.execute(select(CaseFile.case_number).where(
            CaseFile.uuid == c.case_uuid)).scalar()
    own = vault.info.vault_uuid
    return ConflictRow(
        id=c.id, kind=c.kind, table=c.table_name,
        record_label=record_label(s, c.table_name, c.row_uuid), case_uuid=c.case_uuid,
        case_number=case_number, field=c.field,
        field_label=DELETED_LABEL if c.kind == "deleted" else field_label(c.field),
        mine=mine, theirs=theirs,
        mine_text=_side_text(s, meta, c, mine, mine=True),
        theirs_text=_side_text(s, meta, c, theirs, mine=False),
        mine_by=_author(s, c.local_stamp, own, None, None),
        theirs_by=_author(s, c.remote_stamp, own, c.remote_vault, c.remote_author),
        mine_at=c.local_changed_at, theirs_at=c.remote_changed_at, detected_at=c.detected_at,
        resolved_at=c.resolved_at, resolution=c.resolution)


def _side_text(s: Session, meta: TableMeta | None, c: SyncConflict, value: Any, *,
               mine: bool) -> str:
    if c.kind != "deleted":
        return value_text(s, meta, c.field, value)
    if not isinstance(value, Mapping):  # this side deleted the record
        return DELETED_TEXT
    fields = value.get("fields", {})
    parts = [f"{field_label(k)}: {value_text(s, meta, k, _decoded(meta, k, v))}"
             for k, v in sorted(fields.items())]
    return "; ".join(parts) or EMPTY


def _decoded(meta: TableMeta | None, key: str, value: Any) -> Any:
    return value if meta is None or key not in meta.content else from_json(meta, key, value)


def value_text(s: Session, meta: TableMeta | None, key: str, value: Any) -> str:
    """A value as the forms show it: dates 03.12.2026, Ja/Nein, "—" for nothing, linked
    records by their label."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if meta is not None and key in meta.fks and isinstance(value, str):
        return record_label(s, meta.fks[key], value)
    if isinstance(value, bool):
        return "Ja" if value else "Nein"
    if isinstance(value, datetime):
        local = value.astimezone()
        return f"{format_date(local.date())} {local:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or EMPTY
    if isinstance(value, bytes):
        return f"{len(value)} Bytes"
    return str(value)


def record_label(s: Session, table: str, uuid: str) -> str:
    """"Verlaufseintrag vom 03.12.2026", "Einrichtung Jobcenter Dortmund"."""
    kind = RECORD_LABELS.get(table, table)
    if table not in sync_tables():
        return kind
    meta = table_meta(table)
    named = [k for k in NAMED_BY if k in meta.content]
    if not named:
        return kind
    t = meta.table
    row = s.execute(select(t.c.deleted, t.c[named[0]]).where(t.c.uuid == uuid)).first()
    if row is None:
        return kind
    if row[0]:
        return f"{kind} (gelöscht)"
    value = row[1]
    if table == "person":
        first = s.execute(select(t.c.given_names).where(t.c.uuid == uuid)).scalar()
        return f"{kind} {first} {value}" if first else kind
    if isinstance(value, datetime | date):
        return f"{kind} vom {value_text(s, meta, named[0], value).split(' ')[0]}"
    return f"{kind} {value}" if value not in (None, "") else kind


def _author(s: Session, stamp: Any, own: str, sender: str | None, sender_name: str | None,
            ) -> str:
    """"Sie" for this vault's own change, else the colleague by name where known."""
    vault = str(stamp[0]) if stamp else sender
    if vault is None or vault == own:
        return YOU
    if vault is not None and vault == sender and sender_name:
        return sender_name
    name = s.execute(select(PeerDevice.holder_name).where(
        PeerDevice.vault_uuid == vault).limit(1)).scalar() if vault else None
    return name or sender_name or SOMEONE
