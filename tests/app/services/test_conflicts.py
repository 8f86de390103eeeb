"""The conflicts service between two real vaults: both values shown in German, and a resolution
that syncs to the other vault so both end identical."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import audit
from app.errors import ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case, update_person
from app.services.conflicts.read import conflicts, open_count
from app.services.conflicts.write import resolve
from app.services.handover.read import case_sync_state
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from db.models import AuditLog, CaseFile, JournalEntry
from tests.support.replica import exchange, make_vault, snapshot


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, Vault]]:
    folder = tmp_path_factory.mktemp("conflicts")
    a = make_vault(folder / "a", "AAAA", "Anna Albers")
    b = make_vault(folder / "b", "BBBB", "Bernd Brandt")
    yield a, b
    a.lock()
    b.lock()


def _shared_case(a: Vault, b: Vault) -> tuple[int, int, str]:
    cid = create_case(a, NewCase("Ayşe", "Öztürk", "DO"))
    exchange(a, b)
    with a.session() as s:
        uuid = s.get_one(CaseFile, cid).uuid
    with b.session() as s:
        bid = s.execute(select(CaseFile.id).where(CaseFile.uuid == uuid)).scalar_one()
    return cid, bid, uuid


def _both_edit(a: Vault, b: Vault, **edits: tuple[object, object]) -> str:
    cid, bid, uuid = _shared_case(a, b)
    for key, (on_a, on_b) in edits.items():
        update_case(a, cid, **{key: on_a})
        update_case(b, bid, **{key: on_b})
    exchange(a, b)
    exchange(b, a)
    return uuid


def _case_row(vault: Vault, uuid: str) -> dict[str, object]:
    return snapshot(vault, {("case_file", uuid)})[("case_file", uuid)]


def test_a_conflict_shows_both_values_in_german(vaults: tuple[Vault, Vault]) -> None:
    a, b = vaults
    uuid = _both_edit(a, b, dp_info_given_on=(date(2026, 12, 3), date(2026, 12, 4)),
                      complex_needs=(True, False))
    rows = [r for r in conflicts(a) if r.case_uuid == uuid]
    by_field = {r.field: r for r in rows}
    assert set(by_field) == {"dp_info_given_on"}  # complex_needs: B wrote the old value again
    row = by_field["dp_info_given_on"]
    assert row.field_label == "Datenschutzinformation am"
    assert (row.mine_text, row.theirs_text) == ("03.12.2026", "04.12.2026")
    assert (row.mine_by, row.theirs_by) == ("Sie", "Bernd Brandt")
    assert row.record_label.startswith("Fallakte DO-2026-") and row.case_number
    assert row.kind == "field" and row.resolution is None
    assert open_count(a, case_uuid=uuid) == 1 == open_count(b, case_uuid=uuid)
    [other] = [r for r in conflicts(b) if r.case_uuid == uuid]
    assert (other.mine_text, other.theirs_text, other.theirs_by) == (
        "04.12.2026", "03.12.2026", "Anna Albers")


def test_empty_and_boolean_values_read_as_the_forms_write_them(
        vaults: tuple[Vault, Vault]) -> None:
    a, b = vaults
    uuid = _both_edit(a, b, several_agencies=(True, False), indication=("Sprache", ""))
    rows = {r.field: r for r in conflicts(a) if r.case_uuid == uuid}
    assert (rows["indication"].mine_text, rows["indication"].theirs_text) == ("Sprache", "—")


@pytest.mark.parametrize("take", ["mine", "theirs", "value"])
def test_a_resolution_syncs_and_both_vaults_end_identical(
        vaults: tuple[Vault, Vault], take: str) -> None:
    a, b = vaults
    uuid = _both_edit(a, b, indication=("von A", "von B"))
    [row] = [r for r in conflicts(b) if r.case_uuid == uuid]
    resolved = resolve(b, row.id, take, "neu entschieden" if take == "value" else None)
    assert resolved.resolution == {"mine": "keep_local", "theirs": "take_remote",
                                   "value": "edited"}[take]
    assert open_count(b, case_uuid=uuid) == 0
    assert open_count(a, case_uuid=uuid) == 1  # until the decision arrives
    exchange(b, a)
    assert open_count(a, case_uuid=uuid) == 0
    # A did not choose: its conflict says the decision was made in the other vault.
    assert [r.resolution for r in conflicts(a, case_uuid=uuid, include_resolved=True)] == [
        "decided_elsewhere"]
    exchange(a, b)
    assert _case_row(a, uuid) == _case_row(b, uuid)
    expected = {"mine": "von B", "theirs": "von A", "value": "neu entschieden"}[take]
    assert _case_row(a, uuid)["values"]["indication"] == expected  # type: ignore[index]
    with b.session() as s:
        entry = s.execute(select(AuditLog).where(
            AuditLog.kind == audit.Kind.CONFLICT_RESOLVED).order_by(AuditLog.seq.desc())
            ).scalars().first()
        assert entry is not None and entry.object_uuid == uuid
        assert "von" not in str(entry.detail)  # ids and codes, never the values


def test_a_resolved_conflict_cannot_be_resolved_again(vaults: tuple[Vault, Vault]) -> None:
    a, b = vaults
    uuid = _both_edit(a, b, indication=("eins", "zwei"))
    [row] = [r for r in conflicts(a) if r.case_uuid == uuid]
    resolve(a, row.id, "mine")
    with pytest.raises(ValidationFailed) as refused:
        resolve(a, row.id, "theirs")
    assert refused.value.message_de == "Dieser Konflikt ist nicht (mehr) offen."
    with pytest.raises(ValidationFailed):
        resolve(a, 10**9, "mine")
    assert [r.resolution for r in conflicts(a, include_resolved=True) if r.id == row.id] == [
        "keep_local"]


def _deleted_conflict(a: Vault, b: Vault) -> tuple[str, str]:
    """A deletes a journal entry that B edited meanwhile; B meets the deletion."""
    cid, bid, case_uuid = _shared_case(a, b)
    eid = add_journal_entry(a, cid, NewJournalEntry(
        contact_kind="office", text="Beratung", occurred_at=datetime(
            2026, 12, 3, 10, 0, tzinfo=UTC)))
    exchange(a, b)
    with a.session() as s:
        entry = s.get_one(JournalEntry, eid)
        entry.deleted = True
        uuid = entry.uuid
    with b.session() as s:
        s.execute(select(JournalEntry).where(JournalEntry.uuid == uuid)).scalar_one().text = \
            "Beratung mit Nachtrag"
    exchange(a, b)
    del bid
    return case_uuid, uuid


def test_a_deleted_conflict_keeps_the_deletion_or_enters_the_record_anew(
        vaults: tuple[Vault, Vault]) -> None:
    a, b = vaults
    case_uuid, uuid = _deleted_conflict(a, b)
    [row] = [r for r in conflicts(b) if r.case_uuid == case_uuid]
    assert row.kind == "deleted" and row.theirs_text == "Gelöscht"
    assert row.mine_text == "Text: Beratung mit Nachtrag"
    assert row.record_label == "Verlaufseintrag (gelöscht)"
    with pytest.raises(ValidationFailed):
        resolve(b, row.id, "value", "x")
    resolve(b, row.id, "mine")  # the edit was B's: enter it anew
    exchange(b, a)
    for vault in (a, b):
        with vault.session() as s:
            texts = s.execute(select(JournalEntry.uuid, JournalEntry.text).join(
                CaseFile, CaseFile.id == JournalEntry.case_id).where(
                CaseFile.uuid == case_uuid, JournalEntry.deleted.is_(False))).all()
            assert [t for _u, t in texts] == ["Beratung mit Nachtrag"]
            assert texts[0][0] != uuid  # a new record; the tombstone stays one
            old = s.execute(select(JournalEntry.deleted).where(JournalEntry.uuid == uuid))
            assert old.scalar_one() is True
    case_uuid, uuid = _deleted_conflict(a, b)
    [row] = [r for r in conflicts(b) if r.case_uuid == case_uuid]
    resolve(b, row.id, "theirs")  # the deletion stays
    with b.session() as s:
        assert not s.execute(select(JournalEntry).join(
            CaseFile, CaseFile.id == JournalEntry.case_id).where(
            CaseFile.uuid == case_uuid, JournalEntry.deleted.is_(False))).all()


def test_a_conflict_on_the_client_shows_in_the_case(vaults: tuple[Vault, Vault]) -> None:
    """A person's record belongs to no single case: its conflict names none, and still shows
    in the case of that person (and only there)."""
    a, b = vaults
    cid, bid, uuid = _shared_case(a, b)
    _, _, other = _shared_case(a, b)
    update_person(a, cid, phone="0231 111111")
    update_person(b, bid, phone="0231 222222")
    exchange(a, b)
    exchange(b, a)
    [row] = [r for r in conflicts(a, case_uuid=uuid) if r.field == "phone"]
    assert row.table == "person" and row.case_uuid is None
    assert (row.mine_text, row.theirs_text) == ("0231 111111", "0231 222222")
    assert open_count(a, case_uuid=uuid) >= 1
    # The case file's sync line counts it too.
    assert case_sync_state(a, uuid).open_conflicts == open_count(a, case_uuid=uuid)
    assert [r for r in conflicts(a, case_uuid=other) if r.field == "phone"] == []
