"""Writing side of the conflicts domain: a resolution is a local edit, so it syncs too.

A field conflict is resolved by writing the chosen value as a change of this vault: it gets a
new stamp whose vector already holds the other vault's change (merged at import), so the other
vault *takes* it at its next import and its own conflict ends there (``db.replica_conflicts``).
The value is written even when it is the one already in the row ("mine"): the new stamp is
what tells the other side that somebody decided.

A "deleted" conflict (one side deleted the record, the other had edited it): choosing the
deletion's side keeps the deletion and drops the edit; choosing the edited side enters the kept
record anew, as a new record with its own identity (a tombstone is never brought back: other
vaults may still hold it, and a revived row would not replicate as such).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Integer, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app import audit
from app.date_input import DateInputError, parse_date
from app.errors import ValidationFailed
from app.services.conflicts.read import row_of
from app.services.conflicts.records import ConflictRow
from app.vault.store import Vault
from db.base import SyncMixin, UTCDateTime
from db.folding import fold_sort
from db.models import CaseFile, Person
from db.models.sync_state import SyncConflict
from db.replica_meta import TableMeta, from_json, sync_tables, table_meta
from db.sync import stamp

MINE, THEIRS, VALUE = "mine", "theirs", "value"
RESOLUTIONS = {MINE: "keep_local", THEIRS: "take_remote", VALUE: "edited"}
NOT_OPEN = "Dieser Konflikt ist nicht (mehr) offen."


def resolve(vault: Vault, conflict_id: int, take: str, value: Any = None) -> ConflictRow:
    """``take`` "mine", "theirs" or "value" (then ``value`` is written, validated like an edit).
    German ``ValidationFailed`` for an unknown or already resolved conflict."""
    if take not in RESOLUTIONS:
        raise ValidationFailed("Bitte wählen Sie Ihren Wert, den anderen Wert oder einen neuen.",
                               f"take must be mine, theirs or value, not {take!r}", field="take")
    with vault.session() as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None or c.resolved_at is not None or c.table_name not in sync_tables():
            raise ValidationFailed(NOT_OPEN, f"conflict {conflict_id} is not open")
        meta = table_meta(c.table_name)
        detail: dict[str, Any] = {}
        try:
            with s.begin_nested():
                if c.kind == "deleted":
                    restored = _resolve_deleted(s, vault, meta, c, take)
                    if restored is not None:
                        detail["restored"] = restored
                else:
                    _resolve_field(s, vault, meta, c, take, value)
                s.flush()
        except DatabaseError as exc:
            raise ValidationFailed(
                "Dieser Wert kann nicht gespeichert werden: der Datensatz ist unveränderlich "
                "(freigegebenes Protokoll, ausgestellte Bescheinigung) oder der Wert verletzt "
                "eine Regel.", f"resolution refused by the store: {type(exc).__name__}") from exc
        now = vault.clock.now()
        ended = [c] if c.kind == "deleted" else s.execute(select(SyncConflict).where(
            SyncConflict.row_uuid == c.row_uuid, SyncConflict.field == c.field,
            SyncConflict.kind == "field", SyncConflict.resolved_at.is_(None))).scalars().all()
        for other in ended:  # the chosen value answers every open conflict of the field
            other.resolved_at = now
            other.resolution = RESOLUTIONS[take]
            other.resolved_by = vault.info.owner_uuid
        audit.record(s, audit.Kind.CONFLICT_RESOLVED, c.table_name, c.row_uuid,
                     conflict=c.id, field=c.field, conflict_kind=c.kind,
                     resolution=RESOLUTIONS[take],
                     **detail)
        s.flush()
        return row_of(s, vault, c)


def _row(s: Session, meta: TableMeta, uuid: str) -> SyncMixin | None:
    model: Any = meta.model
    row: SyncMixin | None = s.execute(select(model).where(model.uuid == uuid)).scalar()
    return row


def _resolve_field(s: Session, vault: Vault, meta: TableMeta, c: SyncConflict, take: str,
                   value: Any) -> None:
    row = _row(s, meta, c.row_uuid)
    if row is None or row.deleted:
        raise ValidationFailed("Der Datensatz wurde inzwischen gelöscht.",
                               f"{c.table_name} {c.row_uuid} is gone")
    if take == VALUE:
        chosen = coerce(meta, c.field, value, vault.clock.today())
    else:
        chosen = from_json(meta, c.field, c.local_value if take == MINE else c.remote_value)
    local = _local_id(s, meta, c.field, chosen)
    before = getattr(row, c.field)
    setattr(row, c.field, local)
    if before == local:  # unchanged: the flush would not stamp it, but the decision must travel
        stamp(row, vault.info.vault_uuid, [c.field])
    if isinstance(row, Person) and c.field in ("family_name", "given_names"):
        _refold(s, row)


def _refold(s: Session, person: Person) -> None:
    """The derived sort keys follow a name (as the case service does on an edit)."""
    person.sort_key = fold_sort(f"{person.family_name} {person.given_names}")
    for case in s.execute(select(CaseFile).where(CaseFile.person_id == person.id,
                                                 CaseFile.deleted.is_(False))).scalars():
        case.sort_name = person.sort_key


def _local_id(s: Session, meta: TableMeta, key: str, value: Any) -> Any:
    """A foreign key's uuid as this vault's id; a missing or deleted target is refused."""
    ref = meta.fks.get(key)
    if ref is None or value is None:
        return value
    t = table_meta(ref).table
    found = s.execute(select(t.c.id).where(t.c.uuid == value, t.c.deleted.is_(False))).scalar()
    if found is None:
        raise ValidationFailed("Der verknüpfte Datensatz fehlt oder wurde gelöscht.",
                               f"{key} target {value} is gone", field=key)
    return found


def _resolve_deleted(s: Session, vault: Vault, meta: TableMeta, c: SyncConflict,
                     take: str) -> str | None:
    """Keep the deletion (nothing written) or enter the kept record anew; the new uuid."""
    if take == VALUE:
        raise ValidationFailed("Bei einem gelöschten Datensatz wählen Sie eine der beiden "
                               "Seiten.", "a deleted conflict takes mine or theirs")
    edited_here = c.local_value is not None
    if (take == MINE) != edited_here:
        return None  # the deletion stays; the edit is dropped with the conflict
    kept = c.local_value if edited_here else c.remote_value
    record = dict((kept or {}).get("record") or {})
    values = {k: _local_id(s, meta, k, from_json(meta, k, v))
              for k, v in record.items() if k in meta.content}
    model: Any = meta.model
    row = model(**{**meta.neutral_local(), **values})
    if isinstance(row, Person):
        row.sort_key = fold_sort(f"{row.family_name} {row.given_names}")
    if isinstance(row, CaseFile):
        row.sort_name = s.execute(select(Person.sort_key).where(
            Person.id == row.person_id)).scalar() or ""
    s.add(row)
    s.flush()
    return str(row.uuid)


def coerce(meta: TableMeta, key: str, value: Any, today: date) -> Any:
    """A typed value (from the CLI: text) as the column holds it, checked like an edit."""
    if key in meta.fks:
        raise ValidationFailed("Verknüpfungen wählen Sie als eigenen oder anderen Wert.",
                               "a foreign key takes mine or theirs", field=key)
    column = meta.table.c[key]
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        if not column.nullable:
            raise ValidationFailed("Dieses Feld darf nicht leer sein.", f"{key} is required",
                                   field=key)
        return None
    kind = column.type
    try:
        if isinstance(kind, UTCDateTime):
            return datetime.fromisoformat(text)
        if isinstance(kind, Date):
            return _date(text, today)
        if isinstance(kind, Boolean):
            return {"ja": True, "nein": False, "true": True, "false": False}[text.lower()]
        if isinstance(kind, Integer):
            return int(text)
    except (ValueError, KeyError, DateInputError) as exc:
        raise ValidationFailed("Dieser Wert passt nicht zum Feld.", f"bad value for {key}",
                               field=key) from exc
    return text


def _date(text: str, today: date) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        parsed = parse_date(text, today)
        if parsed is None:
            raise
        return parsed
