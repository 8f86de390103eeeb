"""db.replica between real vaults: rows travel as images and merge per field by their stamps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case, update_person
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.tasks.write import add_task
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, JournalEntry, Person, Task
from db.models.sync_state import SyncConflict
from db.replica import SYNC_TABLES, apply_images, images_of
from db.row_image import RowImage
from tests.support.replica import (
    SENT_AT,
    all_images,
    apply,
    exchange,
    make_vault,
    open_conflicts,
    row_keys,
    snapshot,
)


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, Vault]]:
    """Two vaults for the module (making one costs a second); each test works on rows of its
    own and compares only those (``_same``, ``_open``)."""
    folder = tmp_path_factory.mktemp("replica")
    a = make_vault(folder / "a", "AAAA", "Anna Albers")
    b = make_vault(folder / "b", "BBBB", "Bernd Brandt")
    yield a, b
    a.lock()
    b.lock()


_BEFORE: set[tuple[str, str]] = set()


@pytest.fixture
def two(vaults: tuple[Vault, Vault]) -> tuple[Vault, Vault]:
    _BEFORE.clear()
    _BEFORE.update(k for k in row_keys(*vaults) if k[0] != "case_manager")
    return vaults


def _mine(*vaults: Vault) -> set[tuple[str, str]]:
    """The rows this test made."""
    return row_keys(*vaults) - _BEFORE


def _open(vault: Vault) -> list[SyncConflict]:
    return open_conflicts(vault, {u for _t, u in _mine(vault)})


def _case(vault: Vault) -> tuple[int, str]:
    cid = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    with vault.session() as s:
        return cid, s.get_one(CaseFile, cid).uuid


def _by_uuid[R](vault: Vault, model: type[R], uuid: str) -> R:
    with vault.session() as s:
        row = s.execute(select(model).where(getattr(model, "uuid") == uuid)).scalar_one()
        s.expunge(row)
        return row


def _same(a: Vault, b: Vault, *, one_way: bool = False) -> None:
    """Every row of ``a`` this test made is on ``b`` as it is on ``a`` (and the other way)."""
    left = snapshot(a, _mine(a))
    right = snapshot(b, _mine(b) if not one_way else set(left))
    assert left.keys() == right.keys()
    for key in left:
        assert left[key] == right[key], key


def test_sync_tables_are_every_replicated_table_parents_first() -> None:
    from db.base import Base, SyncMixin

    synced = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)}
    assert set(SYNC_TABLES) == synced
    position = {name: i for i, name in enumerate(SYNC_TABLES)}
    for name in SYNC_TABLES:
        for fk in Base.metadata.tables[name].foreign_keys:
            parent = fk.column.table.name
            if parent != name and not fk.use_alter:
                assert position[parent] < position[name], (parent, name)


def test_a_new_case_arrives_identical_with_derived_columns_recomputed(
        two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, case_uuid = _case(a)
    add_task(a, cid, "Termin Jobcenter", date(2026, 12, 10))
    add_journal_entry(a, cid, NewJournalEntry(
        contact_kind="office", text="Erstgespräch", occurred_at=datetime(
            2026, 11, 20, 10, 0, tzinfo=UTC)))
    result = exchange(a, b)
    assert result.inserted > 4 and not result.conflicts
    _same(a, b, one_way=True)
    case = _by_uuid(b, CaseFile, case_uuid)
    # Derived and folded columns are recomputed here, not carried.
    assert case.next_deadline == date(2026, 12, 10)
    assert case.last_contact_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert case.sort_name.startswith("ozturk")
    with b.session() as s:
        hits = s.execute(text("SELECT rowid FROM case_search WHERE case_search MATCH 'ozturk'")
                         ).scalars().all()
        assert case.id in hits
        # Only A's owner is A's "self"; B's own owner stays the only self here.
        selves = s.execute(select(CaseManager.display_name).where(CaseManager.is_self)).all()
        assert selves == [("Bernd Brandt",)]


def test_images_leave_out_local_and_derived_columns(two: tuple[Vault, Vault]) -> None:
    a, _b = two
    cid, case_uuid = _case(a)
    images = all_images(a)
    for image in images:
        assert "id" not in image.values
        assert not {"is_self", "sort_key", "sort_name", "next_deadline", "last_contact_at",
                    "current_until", "version_vector", "uuid"} & image.values.keys()
    case = next(i for i in images if i.uuid == case_uuid)
    with a.session() as s:
        person = s.get_one(Person, s.get_one(CaseFile, cid).person_id).uuid
    assert case.values["person_id"] == person  # FKs as uuids


def test_same_images_twice_are_a_no_op(two: tuple[Vault, Vault]) -> None:
    a, b = two
    _case(a)
    images = all_images(a)
    apply(b, images, a)
    before = snapshot(b)
    again = apply(b, images, a)
    assert again.inserted == again.updated == 0 and not again.conflicts
    assert snapshot(b) == before


def test_edits_of_different_fields_merge_without_conflict(two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, case_uuid = _case(a)
    exchange(a, b)
    bid = _by_uuid(b, CaseFile, case_uuid).id
    update_case(a, cid, indication="Sprachkurs fehlt")
    update_case(b, bid, client_feedback="zufrieden")
    exchange(a, b)
    exchange(b, a)
    _same(a, b)
    case = _by_uuid(a, CaseFile, case_uuid)
    assert (case.indication, case.client_feedback) == (
        "Sprachkurs fehlt", "zufrieden")
    assert not _open(a) and not _open(b)


def test_names_edited_on_both_sides_merge_and_refold_the_sort_key(
        two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, case_uuid = _case(a)
    exchange(a, b)
    update_person(a, cid, family_name="Yilmaz")
    update_person(b, _by_uuid(b, CaseFile, case_uuid).id,
                  given_names="Zeynep")
    exchange(a, b)
    exchange(b, a)
    _same(a, b)
    assert not _open(a) and not _open(b)
    for vault in (a, b):
        assert _by_uuid(vault, CaseFile, case_uuid).sort_name.startswith(
            "yilmaz zeynep")


def test_edits_of_the_same_field_become_a_visible_conflict(two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, case_uuid = _case(a)
    exchange(a, b)
    update_case(a, cid, indication="von A")
    update_case(b, _by_uuid(b, CaseFile, case_uuid).id,
                indication="von B")
    result = exchange(b, a)
    assert result.conflicts and len(result.conflicts) == 1
    exchange(a, b)
    [on_a], [on_b] = _open(a), _open(b)
    assert (on_a.kind, on_a.field, on_a.local_value, on_a.remote_value) == (
        "field", "indication", "von A", "von B")
    assert (on_b.local_value, on_b.remote_value) == ("von B", "von A")
    assert on_a.case_uuid == on_b.case_uuid == case_uuid
    assert on_a.remote_author == "Bernd Brandt" and on_a.remote_changed_at == SENT_AT
    assert on_a.local_stamp == on_b.remote_stamp and on_a.remote_stamp == on_b.local_stamp
    # Each side keeps its value until a person decides; nothing else differs.
    assert _by_uuid(a, CaseFile, case_uuid).indication == "von A"
    assert _by_uuid(b, CaseFile, case_uuid).indication == "von B"
    # Repeated exchanges add no conflict.
    exchange(b, a)
    exchange(a, b)
    assert len(_open(a)) == len(_open(b)) == 1


def _delete(vault: Vault, model: type, uuid: str) -> None:
    with vault.session() as s:
        s.execute(select(model).where(model.uuid == uuid)).scalar_one().deleted = True


def _entry(vault: Vault, cid: int) -> str:
    eid = add_journal_entry(vault, cid, NewJournalEntry(
        contact_kind="office", text="Beratung zur Anerkennung",
        occurred_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC)))
    with vault.session() as s:
        return s.get_one(JournalEntry, eid).uuid


def _edit_entry(vault: Vault, uuid: str, **values: object) -> None:
    with vault.session() as s:
        row = s.execute(select(JournalEntry).where(JournalEntry.uuid == uuid)).scalar_one()
        for key, value in values.items():
            setattr(row, key, value)


@pytest.mark.parametrize("deletion_arrives_first", [True, False])
def test_delete_against_edit_keeps_the_edit_as_a_conflict(
        two: tuple[Vault, Vault], deletion_arrives_first: bool) -> None:
    a, b = two
    cid, case_uuid = _case(a)
    uuid = _entry(a, cid)
    exchange(a, b)
    _delete(a, JournalEntry, uuid)
    _edit_entry(b, uuid, place="Rathaus Zimmer 12")
    if deletion_arrives_first:
        exchange(a, b)  # B meets the deletion with its own edit in hand
        exchange(b, a)
    else:
        exchange(b, a)  # A meets B's edit on its tombstone
        exchange(a, b)
    _same(a, b)
    for vault in (a, b):
        entry = _by_uuid(vault, JournalEntry, uuid)
        assert entry.deleted and entry.text == "" and entry.place is None
        assert _by_uuid(vault, CaseFile, case_uuid).last_contact_at is None
    kept = _open(b) + _open(a)
    assert [c.kind for c in kept] == ["deleted"]
    values = kept[0].local_value if deletion_arrives_first else kept[0].remote_value
    assert values["fields"] == {"place": "Rathaus Zimmer 12"}
    assert values["record"]["text"] == "Beratung zur Anerkennung"
    assert kept[0].case_uuid == case_uuid
    with b.session() as s:  # the search index forgot the entry on both sides
        assert not s.execute(text("SELECT rowid FROM journal_search WHERE journal_search "
                                  "MATCH 'anerkennung'")).all()


def test_an_old_image_never_revives_a_deleted_row(two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, _case_uuid = _case(a)
    uuid = _entry(a, cid)
    old = all_images(a)
    exchange(a, b)
    _delete(b, JournalEntry, uuid)
    apply(b, old, a)
    exchange(a, b)
    entry = _by_uuid(b, JournalEntry, uuid)
    assert entry.deleted and entry.text == ""
    assert not _open(b)  # A's old content was known to the deletion: nothing lost
    exchange(b, a)
    assert _by_uuid(a, JournalEntry, uuid).deleted
    _same(a, b)


def test_a_row_without_its_parent_is_refused(two: tuple[Vault, Vault]) -> None:
    a, b = two
    cid, _case_uuid = _case(a)
    add_task(a, cid, "Termin", None)
    tasks = [i for i in all_images(a) if i.table == "task" and ("task", i.uuid) not in _BEFORE]
    with b.session() as s:
        result = apply_images(s, tasks, remote_vault=a.info.vault_uuid, author=None,
                              changed_at=SENT_AT)
        assert result.refused == [(tasks[0].uuid, "missing_parent")]
        s.rollback()
    with b.session() as s:
        assert not s.execute(select(Task).where(Task.uuid == tasks[0].uuid)).all()


def test_images_of_reads_in_bulk_and_skips_unknown_uuids(two: tuple[Vault, Vault]) -> None:
    a, _b = two
    cid, case_uuid = _case(a)
    with a.session() as s:
        images = images_of(s, "case_file", [case_uuid, "0" * 32, case_uuid])
        person = s.get_one(Person, s.get_one(CaseFile, cid).person_id)
        assert [i.uuid for i in images] == [case_uuid]
        assert images[0].values["person_id"] == person.uuid
        assert isinstance(images[0], RowImage) and images[0].version_vector == {
            a.info.vault_uuid: 1}


def test_rows_the_applying_session_holds_read_back_as_applied(two: tuple[Vault, Vault]) -> None:
    """A journal entry and its case that the applying session had loaded (Core writes bypass
    the ORM) read back with the remote edit and the recomputed last contact."""
    a, b = two
    cid, case_uuid = _case(a)
    entry = _entry(a, cid)
    exchange(a, b)
    later = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    _edit_entry(a, entry, text="Anerkennung beantragt", occurred_at=later)
    images = all_images(a)
    with b.session() as s:
        held = s.execute(select(JournalEntry).where(JournalEntry.uuid == entry)).scalar_one()
        case = s.execute(select(CaseFile).where(CaseFile.uuid == case_uuid)).scalar_one()
        assert held.text == "Beratung zur Anerkennung"
        assert case.last_contact_at is not None and case.last_contact_at < later
        result = apply_images(s, images, remote_vault=a.info.vault_uuid,
                              author=a.info.owner_name, changed_at=SENT_AT)
        assert result.updated and not result.refused
        assert (held.text, held.occurred_at) == ("Anerkennung beantragt", later)
        assert case.last_contact_at == later
