"""Which rows make "a full case": the one selection that deputy shares and case transfers send,
check incoming bundles against and remove from a vault that no longer holds the case.

Own content of a case: the case file, its client (person, household, residence statuses), every
row hanging off the case (journal, tasks, consents with their scopes, legal bases, disclosures,
assessment, goals with measures, referrals, phase transitions, gap-case links, the case's
certificates) and the attachments owned by any of them. Support rows: what those rows reference
and the receiver must have for its foreign keys (case managers, institutions, contacts, gaps of
the register); they are shared by other records too, so they are never removed with a case.

Left out on purpose: conferences (and their agenda items, decisions, participants): one
conference concerns several cases, so it cannot travel with one of them. A task made from a
conference decision or a disclosure logged at a conference travels without that reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from app.bundle.records import BundleRejected
from app.bundle.rows_write import EncodedRows, Run, encode_runs, vector_cbor
from db import replica
from db.base import Base, SyncMixin
from db.models import (
    Attachment,
    CaseFile,
    Consent,
    ConsentScope,
    Measure,
    Person,
    ResidenceStatus,
)
from db.replica_read import (
    Known,
    TableRows,
    all_ids,
    bulk,
    read_by_ids,
    uuids_by_ids,
    vector,
)
from db.row_image import RowImage

# Rows whose ``case_id`` names the case they belong to.
CASE_CHILDREN = ("phase_transition", "journal_entry", "task", "legal_basis", "disclosure",
                 "assessment", "goal", "referral", "system_gap_case", "certificate")
# Referenced rows the receiver needs; shared with other records, so never removed with a case.
SUPPORT_TABLES = ("case_manager", "institution", "contact", "system_gap")
# Rows with a case_id that do not travel with one case (see the module docstring).
LEFT_OUT = ("conference_agenda_item",)
CLIENT_TABLES = ("person", "household", "residence_status")
CONTENT_TABLES = ("case_file", *CLIENT_TABLES, *CASE_CHILDREN, "measure", "consent",
                  "consent_scope", "attachment")


def model_of(table: str) -> type[SyncMixin]:
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == table and issubclass(cls, SyncMixin):
            return cls
    raise KeyError(table)


def table_order() -> tuple[str, ...]:
    """Parents before children: the replica's order, else the schema's dependency order."""
    if replica.SYNC_TABLES:
        return replica.SYNC_TABLES
    synced = {getattr(m.class_, "__tablename__", "") for m in Base.registry.mappers
              if issubclass(m.class_, SyncMixin)}
    return tuple(t.name for t in Base.metadata.sorted_tables if t.name in synced)


@dataclass
class CaseRows:
    """Local ids per table: the case's own content and the support rows it references."""

    case_id: int
    case_uuid: str
    content: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    support: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def all(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = defaultdict(set)
        for part in (self.content, self.support):
            for table, ids in part.items():
                out[table] |= ids
        return out


def select_case(s: Session, case_id: int) -> CaseRows:
    """Every row of the case, tombstones included (a deletion is a change to pass on)."""
    case = s.get(CaseFile, case_id)
    if case is None:
        raise KeyError(case_id)
    rows = CaseRows(case.id, case.uuid)
    rows.content["case_file"].add(case.id)
    person = s.get(Person, case.person_id)
    rows.content["person"].add(case.person_id)
    for household in (case.household_id, person.household_id if person else None):
        if household is not None:
            rows.content["household"].add(household)
    rows.content["residence_status"] |= _ids(s, select(ResidenceStatus.id).where(
        ResidenceStatus.person_id == case.person_id))
    for table in CASE_CHILDREN:
        model: Any = model_of(table)
        rows.content[table] |= _ids(s, select(model.id).where(model.case_id == case.id))
    rows.content["measure"] |= _ids(s, select(Measure.id).where(
        Measure.goal_id.in_(rows.content["goal"])))
    # A consent is given by the person: the ones of this case and the person's general ones
    # (no case), never those of another case of the same person.
    rows.content["consent"] |= _ids(s, select(Consent.id).where(
        (Consent.case_id == case.id)
        | ((Consent.person_id == case.person_id) & Consent.case_id.is_(None))))
    rows.content["consent_scope"] |= _ids(s, select(ConsentScope.id).where(
        ConsentScope.consent_id.in_(rows.content["consent"])))
    owners = {table: uuids_of(s, table, ids) for table, ids in rows.content.items()}
    for table, uuids in owners.items():
        rows.content["attachment"] |= _ids(s, select(Attachment.id).where(
            Attachment.owner_table == table, Attachment.owner_uuid.in_(uuids)))
    _follow_references(s, rows)
    return rows


def every_case(s: Session) -> CaseRows:
    """Every case of the vault as one selection (a bundle of all cases): every row of the
    content and support tables, tombstones included."""
    rows = CaseRows(case_id=0, case_uuid="")
    for table in (*CONTENT_TABLES, *SUPPORT_TABLES):
        (rows.support if table in SUPPORT_TABLES else rows.content)[table] = all_ids(s, table)
    return rows


def _follow_references(s: Session, rows: CaseRows) -> None:
    """Add the support rows (and attachments such as a consent form) the content points at."""
    for _ in range(3):  # contact -> institution, attachment -> nothing: a fixpoint in 2 steps
        grew = False
        for table, ids in list(rows.all().items()):
            if not ids:
                continue
            source = Base.metadata.tables[table]
            for column, target in _references(source):
                if target not in SUPPORT_TABLES and target != "attachment":
                    continue
                found = _ids(s, select(source.c[column]).where(
                    source.c.id.in_(ids), source.c[column].is_not(None)))
                part = rows.content if target == "attachment" else rows.support
                new = found - part[target]
                if new:
                    part[target] |= new
                    grew = True
        if not grew:
            return


def _references(table: Table) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for column in table.columns:
        for fk in column.foreign_keys:
            out.append((column.key, fk.column.table.name))
    return out


def _ids(s: Session, query: Any) -> set[int]:
    return {int(v) for v in s.execute(query).scalars().all()}


def uuids_of(s: Session, table: str, ids: Iterable[int]) -> set[str]:
    return set(uuids_by_ids(s, table, set(ids)).values())


def case_images(s: Session, rows: CaseRows, *, changed_after: datetime | None = None,
                skip_changed_by: str | None = None) -> tuple[list[RowImage], datetime | None]:
    """Images of the case's rows in table order, and the newest ``updated_at`` among them
    (``_case_tables`` says which rows)."""
    with bulk():
        tables, newest = _case_tables(s, rows, changed_after, skip_changed_by)
        return [image for read in tables for image in read.images()], newest


def case_encoded(s: Session, rows: CaseRows, *, changed_after: datetime | None = None,
                 skip_changed_by: str | None = None) -> tuple[EncodedRows, datetime | None]:
    """The same rows as ``case_images`` gives, encoded for a bundle straight from their
    columns (no image per row): for bundles of many cases (``seal_bundle(rows=…)``)."""
    with bulk():
        tables, newest = _case_tables(s, rows, changed_after, skip_changed_by)
        vectors: dict[str | None, bytes] = {}  # stored text -> CBOR; most rows share a few

        def vector_of(text: str | None) -> bytes:
            out = vectors.get(text)
            if out is None:
                out = vectors[text] = vector_cbor(vector(text))
            return out

        runs = (Run(read.table, read.columns, read.uuids, read.deleted, read.origin,
                    read.changed, list(map(vector_of, read.vectors)), read.stamps,
                    read.alternatives(), read.values) for read in tables)
        return encode_runs(runs), newest


def _case_tables(s: Session, rows: CaseRows, changed_after: datetime | None,
                 skip_changed_by: str | None) -> tuple[list[TableRows], datetime | None]:
    """The case's rows as columns, one ``TableRows`` per table in table order (rows by uuid),
    and the newest ``updated_at`` among them.

    ``changed_after``: only content rows written since (plus the support rows, which are few,
    whenever anything is sent); ``skip_changed_by``: leave out rows whose last change came from
    that vault (the peer itself: it has them). References to rows that do not travel with a
    case (a conference) are left empty. Content rows are read once (``db.replica_read``) and
    chosen from what was read.
    """
    chosen: dict[str, TableRows] = {}
    known: Known = {}  # id -> uuid of what was read: references resolved without a query
    newest: datetime | None = None  # naive UTC
    after = None if changed_after is None else _aware(changed_after).astimezone(
        UTC).replace(tzinfo=None)
    for table, ids in rows.content.items():
        if not ids:
            continue
        read = read_by_ids(s, table, ids, by_uuid=True, known=known)
        if after is not None:
            read = read.take([i for i, at in enumerate(read.updated_at()) if at > after])
        top = read.newest()
        if top is not None and (newest is None or top > newest):
            newest = top
        if skip_changed_by is not None:
            read = read.take([i for i, by in enumerate(read.changed) if by != skip_changed_by])
        if len(read):
            chosen[table] = read
    if newest is not None:
        newest = newest.replace(tzinfo=UTC)
    if not chosen:
        return [], newest
    for table, ids in rows.support.items():
        if ids:
            read = read_by_ids(s, table, ids, by_uuid=True, known=known)
            mine = chosen.get(table)
            if mine is None:
                chosen[table] = read
            else:
                have = set(mine.uuids)
                mine.extend(read.take([i for i, u in enumerate(read.uuids) if u not in have]))
    travelling = {t: set(read.uuids) for t, read in chosen.items()}
    if changed_after is not None:  # a delta may refer to rows the peer got before
        for table, ids in rows.all().items():
            travelling.setdefault(table, set()).update(uuids_by_ids(s, table, ids).values())
    out: list[TableRows] = []
    for table in table_order():
        found = chosen.get(table)
        if found is not None and len(found):
            uuids = found.uuids
            if uuids != sorted(uuids):  # read in uuid order; support rows added after
                found = found.take(sorted(range(len(uuids)), key=uuids.__getitem__))
            out.append(_stripped(found, travelling))
    return out, newest


def _stripped(read: TableRows, travelling: dict[str, set[str]]) -> TableRows:
    """``read`` with nullable references to rows that do not travel with the case emptied:
    each column checked as a whole first (in a bundle of every case, only conference
    references are ever emptied)."""
    source = Base.metadata.tables[read.table]
    where = {column: i for i, column in enumerate(read.columns)}
    for column, target in _references(source):
        at = where.get(column)
        if at is None or not source.c[column].nullable:
            continue
        kept = travelling.get(target, set())
        values = read.values[at]
        if set(values) - kept - {None}:
            read.values[at] = [v if v is None or v in kept else None for v in values]
    return read


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def check_images(s: Session, images: Sequence[RowImage], case_uuids: Sequence[str]) -> None:
    """Refuse ("not_allowed") a bundle with a row that belongs to none of ``case_uuids``.

    A row belongs when it is the case file, hangs off it (by its ``case_id``, its goal, its
    consent, its client or its owner), or is a support row. Known cases contribute their local
    rows; the bundle's own rows anchor the new ones (parents come first).
    """
    cases = set(case_uuids)
    known: dict[str, set[str]] = defaultdict(set)
    for uuid in cases:
        case_id = s.execute(select(CaseFile.id).where(CaseFile.uuid == uuid)).scalar()
        if case_id is not None:
            for table, ids in select_case(s, case_id).content.items():
                known[table] |= uuids_of(s, table, ids)
    known["case_file"] |= cases
    for image in images:  # the client is anchored by the case file, whatever the order
        if image.table == "case_file":
            if image.uuid not in cases:
                raise _refused(image, "case not shared")
            for column, table in (("person_id", "person"), ("household_id", "household")):
                if image.values.get(column):
                    known[table].add(str(image.values[column]))
    for image in images:
        if image.table == "person" and image.uuid in known["person"] and \
                image.values.get("household_id"):
            known["household"].add(str(image.values["household_id"]))
    pending = list(images)
    while pending:  # an attachment comes before its owner in table order: until nothing moves
        left = [image for image in pending if not _belongs(image, known)]
        if len(left) == len(pending):
            raise _refused(left[0], "row outside the shared case")
        for image in pending:
            if image not in left:
                known[image.table].add(image.uuid)
        pending = left


def _belongs(image: RowImage, known: dict[str, set[str]]) -> bool:
    table, values = image.table, image.values
    if image.uuid in known[table] or table in SUPPORT_TABLES:
        return True
    parent = {"measure": ("goal_id", "goal"), "consent_scope": ("consent_id", "consent"),
              "residence_status": ("person_id", "person")}
    if table in CASE_CHILDREN:
        return values.get("case_id") in known["case_file"]
    if table in parent:
        column, ptable = parent[table]
        return values.get(column) in known[ptable]
    if table == "consent":
        return (values.get("case_id") in known["case_file"]
                or values.get("person_id") in known["person"])
    if table == "attachment":
        owner = values.get("owner_table")
        return owner in CONTENT_TABLES and values.get("owner_uuid") in known[str(owner)]
    return False


def _refused(image: RowImage, why: str) -> BundleRejected:
    return BundleRejected("not_allowed", f"{why}: {image.table} {image.uuid}")


def remove_content(s: Session, rows: CaseRows, *, keep: Iterable[str] = ()) -> int:
    """Delete the case's content rows from this vault for good, children first: not tombstones,
    so nothing of it travels on as a deletion to anyone. Support rows stay; the client's rows
    stay while another case here still refers to them; ``keep``: tables left alone (the stub's
    own row). Returns how many rows went."""
    kept = set(keep)
    person_shared = s.execute(select(CaseFile.id).where(
        CaseFile.person_id.in_(rows.content["person"]),
        CaseFile.id != rows.case_id)).first() is not None
    content = {table: set(ids) for table, ids in rows.content.items()}
    if person_shared:  # the client stays with the other case, and so do general consents
        kept |= set(CLIENT_TABLES)
        general = _ids(s, select(Consent.id).where(
            Consent.id.in_(content.get("consent", set())), Consent.case_id.is_(None)))
        content["consent"] = content.get("consent", set()) - general
        content["consent_scope"] = content.get("consent_scope", set()) - _ids(s, select(
            ConsentScope.id).where(ConsentScope.consent_id.in_(general)))
        kept_owners = {table: uuids_of(s, table, rows.content.get(table, set()))
                       for table in (*CLIENT_TABLES, "consent")}
        kept_owners["consent"] = uuids_of(s, "consent", general)
        for table, uuids in kept_owners.items():
            content["attachment"] = content.get("attachment", set()) - _ids(s, select(
                Attachment.id).where(Attachment.owner_table == table,
                                     Attachment.owner_uuid.in_(uuids)))
    removed = 0
    for table in reversed(table_order()):
        ids = content.get(table)
        if not ids or table in kept:
            continue
        source = Base.metadata.tables[table]
        result: Any = s.execute(delete(source).where(source.c.id.in_(ids)))
        removed += int(result.rowcount or 0)
    return removed


def changed_uuids_since(s: Session, rows: CaseRows, since: datetime | None,
                        skip_changed_by: str | None) -> set[str]:
    """The uuids of the content rows written after ``since`` by anyone but
    ``skip_changed_by`` (tombstones included)."""
    found: set[str] = set()
    for table, ids in rows.content.items():
        if not ids:
            continue
        source = Base.metadata.tables[table]
        query = select(source.c.uuid).where(source.c.id.in_(ids))
        if since is not None:
            query = query.where(source.c.updated_at > _aware(since))
        if skip_changed_by is not None:
            query = query.where(source.c.changed_by_vault != skip_changed_by)
        found |= {str(u) for u in s.execute(query).scalars()}
    return found
