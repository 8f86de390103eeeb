"""Case transfer between real vaults through a temp folder as the share: the offer waits for a
decision, accept moves the full case (documents byte for byte) and leaves the sender a closed,
read-only stub; decline changes nothing; a third vault cannot open the offer; a replay is a
no-op."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import Refused
from app.services.cases.write import update_case
from app.services.devices.write import distrust
from app.services.handover import read, write
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.sync.write import import_file
from db.models import (
    Attachment,
    CaseFile,
    CaseManager,
    InboxBundle,
    JournalEntry,
    OutboxBundle,
    Person,
    ShareGrant,
)
from tests.support.handover_world import Desk, case_ref, close_desks, full_case, make_desks


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[dict[str, Desk]]:
    world = make_desks(tmp_path, "ABC")
    yield world
    close_desks(world)


def _case(desk: Desk, uuid: str) -> CaseFile | None:
    with desk.vault.read_session() as s:
        return s.execute(select(CaseFile).where(CaseFile.uuid == uuid)).scalar()


def _documents(desk: Desk) -> dict[str, bytes]:
    with desk.vault.read_session() as s:
        return {a.uuid: a.content for a in s.execute(select(Attachment)).scalars()}


def _count(desk: Desk, model: type) -> int:
    with desk.vault.read_session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _transfer_copy(sender: Desk, to: Desk, root: Path) -> Path:
    """A copy (another name) of the transfer bundle the sender wrote for ``to``."""
    with sender.vault.read_session() as s:
        row = s.execute(select(OutboxBundle).where(OutboxBundle.kind == "transfer")).scalar_one()
        name = row.file_names[to.fingerprint]
    found = [p for p in (root / "share").rglob(name)]
    assert len(found) == 1
    copy = root / ("0" * 32 + ".lbundle")
    shutil.copyfile(found[0], copy)
    return copy


def test_offer_accept_moves_the_case_and_leaves_a_read_only_stub(
        desks: dict[str, Desk], tmp_path: Path) -> None:
    a, b, c = desks["A"], desks["B"], desks["C"]
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    documents = _documents(a)
    assert len(documents) == 2
    offered = write.transfer_case(a.vault, number, b.fingerprint, note="Umzug nach Bochum")
    assert (offered.kind, offered.direction, offered.state) == ("transfer", "out", "offered")
    assert read.case_sync_state(a.vault, uuid).label_de == \
        "Übergabe an Katharina Nowak angeboten"
    a.sync()
    sent = _transfer_copy(a, b, tmp_path)
    b.sync()
    # Waiting for a decision: nothing of the case is applied yet.
    offers = read.offers(b.vault)
    assert [(o.kind, o.direction, o.state, o.case_uuid, o.case_number) for o in offers] == \
        [("transfer", "in", "offered", uuid, number)]
    assert read.case_sync_state(b.vault, uuid).label_de == "Übergabe von Anna Albers angeboten"
    assert _case(b, uuid) is None
    # The same offer again, under another name: a no-op.
    report = import_file(b.vault, sent)
    assert report.applied == [] and report.rejected == [] and len(report.skipped) == 1
    assert len(read.offers(b.vault)) == 1
    # A third vault cannot open a transfer not addressed to it.
    report = import_file(c.vault, sent)
    assert [r.reason for r in report.rejected] == ["wrong_recipient"]
    assert read.offers(c.vault) == [] and _case(c, uuid) is None

    accepted = write.accept_offer(b.vault, offers[0].id)
    assert accepted.state == "accepted"
    moved = _case(b, uuid)
    assert moved is not None and moved.case_number == number
    with b.vault.read_session() as s:
        manager = s.get(CaseManager, moved.case_manager_id)
        assert manager is not None and manager.is_self and manager.display_name == \
            "Katharina Nowak"
        assert s.execute(select(InboxBundle)).first() is None  # the kept offer is gone
    assert "Übernahme von Anna Albers durch Katharina Nowak: Umzug nach Bochum" in \
        (moved.handover_note or "")
    assert _documents(b) == documents  # byte for byte
    assert read.offers(b.vault) == []
    with pytest.raises(Refused):
        write.accept_offer(b.vault, offers[0].id)
    add_journal_entry(b.vault, number, NewJournalEntry(  # the case is B's now
        contact_kind="office", text="Übernommen", occurred_at=datetime(2026, 12, 2, tzinfo=UTC)))

    b.sync()
    a.sync()
    stub = _case(a, uuid)
    assert stub is not None and not stub.deleted
    assert (stub.case_number, stub.phase) == (number, "closed")
    assert stub.handover_note == ("01.12.2026 Übergeben an Katharina Nowak (DO). Der Fall wird "
                                  "dort weitergeführt.")
    with a.vault.read_session() as s:
        person = s.get(Person, stub.person_id)
        assert person is not None and (person.family_name, person.given_names) == ("", "")
        assert person.date_of_birth is None
    assert _documents(a) == {}  # removed for good, not tombstoned
    assert _count(a, JournalEntry) == 0
    state = read.case_sync_state(a.vault, uuid)
    assert state.read_only and state.read_only_reason_de is not None
    assert state.label_de == "Übergeben an Katharina Nowak am 01.12.2026"
    assert [g.state for g in read.grants(a.vault)] == ["accepted"]
    with pytest.raises(Refused) as refused:
        add_journal_entry(a.vault, number, NewJournalEntry(
            contact_kind="office", text="zu spät", occurred_at=datetime(2026, 12, 3, tzinfo=UTC)))
    assert refused.value.message_de == state.read_only_reason_de
    assert "an Katharina Nowak übergeben" in refused.value.message_de
    with pytest.raises(Refused) as refused:
        update_case(a.vault, number, indication="zu spät")
    assert refused.value.message_de == state.read_only_reason_de
    with pytest.raises(Refused):
        write.share_case(a.vault, number, c.fingerprint)
    # The receiver's case is untouched by all this.
    b.sync()
    assert _count(b, JournalEntry) == 2

    # Later the case comes back to A, whose stub gives way to the whole case again.
    write.transfer_case(b.vault, number, a.fingerprint, note="Rückkehr")
    b.sync()
    a.sync()
    back = read.offers(a.vault)
    assert [o.case_number for o in back] == [number]
    write.accept_offer(a.vault, back[0].id)
    returned = _case(a, uuid)
    assert returned is not None and returned.phase != "closed"
    with a.vault.read_session() as s:
        person = s.get(Person, returned.person_id)
        assert person is not None and person.family_name == "Marker"
    assert _documents(a) == documents and _count(a, JournalEntry) == 2
    assert not read.case_sync_state(a.vault, uuid).read_only
    update_case(a.vault, number, indication="wieder bei mir")


def test_decline_keeps_the_case_with_the_sender(tmp_path: Path) -> None:
    desks = make_desks(tmp_path, "AB")
    try:
        _decline(desks["A"], desks["B"])
    finally:
        close_desks(desks)


def _decline(a: Desk, b: Desk) -> None:
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    write.transfer_case(a.vault, number, b.fingerprint)
    with pytest.raises(Refused):  # one offer at a time
        write.transfer_case(a.vault, number, b.fingerprint)
    a.sync()
    b.sync()
    offer = read.offers(b.vault)[0]
    declined = write.decline_offer(b.vault, offer.id, "Keine Kapazität")
    assert declined.state == "declined"
    assert _case(b, uuid) is None and _documents(b) == {}
    with b.vault.read_session() as s:
        assert s.execute(select(InboxBundle)).first() is None
    b.sync()
    a.sync()
    with a.vault.read_session() as s:
        assert [g.state for g in s.execute(select(ShareGrant)).scalars()] == ["declined"]
    case = _case(a, uuid)
    assert case is not None and case.phase == "intake"
    assert not read.case_sync_state(a.vault, uuid).read_only
    update_case(a.vault, number, indication="weiter bei mir")  # still writable
    assert len(_documents(a)) == 2
    # Offered again; a colleague who no longer trusts the sender can still decline (no answer
    # can go to an untrusted vault, so none is sealed).
    write.transfer_case(a.vault, number, b.fingerprint)
    a.sync()
    b.sync()
    distrust(b.vault, a.fingerprint)
    offer = read.offers(b.vault)[0]
    assert write.decline_offer(b.vault, offer.id).state == "declined"
    with b.vault.read_session() as s:
        kinds = [o.kind for o in s.execute(select(OutboxBundle)).scalars()]
    assert "transfer_answer" not in kinds
