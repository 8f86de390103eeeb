"""Deputy (Vertretung) between real vaults through a temp folder as the share: the case and its
documents arrive, edits flow both ways and merge per field, the same field edited on both sides
is a visible conflict, the end of the share removes the deputy's copy, and a bundle about a
case not shared between exactly these two vaults is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bundle.records import DEPUTY
from app.errors import NotFound, Refused
from app.services.cases.write import update_case
from app.services.handover import read, write
from app.services.tasks.write import update_task
from app.sync import outbox
from app.sync.case_rows import case_images, select_case
from db.models import Attachment, CaseFile, ShareGrant, SyncConflict, Task
from tests.support.handover_world import (
    Desk,
    case_ref,
    close_desks,
    full_case,
    make_desks,
)


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[dict[str, Desk]]:
    world = make_desks(tmp_path, "AB")
    yield world
    close_desks(world)


def _case(desk: Desk, uuid: str) -> CaseFile | None:
    with desk.vault.read_session() as s:
        return s.execute(select(CaseFile).where(CaseFile.uuid == uuid)).scalar()


def _task(desk: Desk, case_uuid: str) -> Task:
    with desk.vault.read_session() as s:
        return s.execute(select(Task).join(CaseFile, CaseFile.id == Task.case_id).where(
            CaseFile.uuid == case_uuid)).scalar_one()


def _documents(desk: Desk) -> dict[str, bytes]:
    with desk.vault.read_session() as s:
        return {a.uuid: a.content for a in s.execute(select(Attachment).where(
            Attachment.deleted.is_(False))).scalars()}


def _open_conflicts(desk: Desk, case_uuid: str) -> list[SyncConflict]:
    with desk.vault.read_session() as s:
        return list(s.execute(select(SyncConflict).where(
            SyncConflict.case_uuid == case_uuid, SyncConflict.resolved_at.is_(None))).scalars())


def test_deputy_edits_flow_both_ways_merge_and_conflict(desks: dict[str, Desk]) -> None:
    a, b = desks["A"], desks["B"]
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    grant = write.share_case(a.vault, number, b.fingerprint, until=date(2026, 12, 18))
    assert (grant.kind, grant.direction, grant.state) == ("deputy", "out", "active")
    assert read.case_sync_state(a.vault, uuid).label_de == \
        "Vertretung durch Katharina Nowak bis 18.12.2026"
    a.sync()
    b.sync()
    copy = _case(b, uuid)
    assert copy is not None and copy.case_number == number
    assert _documents(b) == _documents(a)  # both documents, byte for byte
    incoming = read.grants(b.vault)
    assert [(g.kind, g.direction, g.state) for g in incoming] == [("deputy", "in", "active")]
    assert read.case_sync_state(b.vault, uuid).label_de == \
        "Vertretung für Anna Albers bis 18.12.2026"
    # What came from A is not echoed back to A.
    assert "deputy" not in [outcome.kind for outcome in b.sync().sent]

    # Different fields on each side: merged, no conflict.
    task_uuid = _task(b, uuid).uuid
    update_task(b.vault, task_uuid, title="Pass beantragen")
    update_case(a.vault, number, indication="Mehrere Stellen beteiligt")
    assert read.case_sync_state(b.vault, uuid).unsent_changes
    b.sync()
    assert not read.case_sync_state(b.vault, uuid).unsent_changes
    a.sync()
    b.sync()
    for desk in (a, b):
        assert _task(desk, uuid).title == "Pass beantragen"
        case = _case(desk, uuid)
        assert case is not None and case.indication == "Mehrere Stellen beteiligt"
        assert _open_conflicts(desk, uuid) == []

    # The same field on both sides: a visible conflict, both values kept.
    update_case(a.vault, number, client_feedback="Sicht A")
    update_case(b.vault, number, client_feedback="Sicht B")
    a.sync()
    b.sync()
    a.sync()
    for desk, mine, theirs in ((a, "Sicht A", "Sicht B"), (b, "Sicht B", "Sicht A")):
        found = _open_conflicts(desk, uuid)
        assert [(c.field, c.local_value, c.remote_value) for c in found] == \
            [("client_feedback", mine, theirs)]
        assert read.case_sync_state(desk.vault, uuid).open_conflicts == 1


def test_end_of_share_removes_the_deputys_copy_after_its_last_changes(
        desks: dict[str, Desk]) -> None:
    a, b = desks["A"], desks["B"]
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    grant = write.share_case(a.vault, number, b.fingerprint)
    a.sync()
    b.sync()
    update_task(b.vault, _task(b, uuid).uuid, title="Noch schnell erledigt")  # not sent yet
    ended = write.end_share(a.vault, grant.id)
    assert ended.state == "ended"
    a.sync()
    b.sync()  # applies the end, sends its last change back, removes its copy
    assert _case(b, uuid) is None
    assert _documents(b) == {}
    with b.vault.read_session() as s:  # removed, not tombstoned: nothing of it travels on
        assert s.execute(select(func.count()).select_from(CaseFile)).scalar_one() == 0
        states = [g.state for g in s.execute(select(ShareGrant)).scalars()]
    assert states == ["ended"]
    assert read.case_sync_state(b.vault, uuid).label_de == "Nur in diesem Tresor"
    b.sync()  # the last changes were sealed on import; they go out with the next run
    a.sync()
    assert _task(a, uuid).title == "Noch schnell erledigt"
    case = _case(a, uuid)
    assert case is not None and not case.deleted
    with pytest.raises(Refused):
        write.end_share(a.vault, grant.id)


def test_a_bundle_about_a_case_not_shared_with_the_sender_is_refused(
        tmp_path: Path) -> None:
    world = make_desks(tmp_path, "ABC")
    try:
        a, b, c = world["A"], world["B"], world["C"]
        number = full_case(a)
        uuid, _ = case_ref(a, number)
        write.share_case(a.vault, number, b.fingerprint)
        a.sync()
        b.sync()
        # C was never given the case: a deputy bundle from C naming it is refused.
        with c.vault.session() as s:
            outbox.enqueue(s, c.vault, DEPUTY, [a.fingerprint],
                           body={"case_uuids": [uuid], "until": None, "state": "active",
                                 "final": False})
        # B is A's deputy for that case, but smuggles in the rows of another case of its own.
        other = full_case(b, family="Fremd")
        other_uuid, _ = case_ref(b, other)
        with b.vault.session() as s:
            case = s.execute(select(CaseFile).where(CaseFile.uuid == other_uuid)).scalar_one()
            images, _ = case_images(s, select_case(s, case.id))
            outbox.enqueue(s, b.vault, DEPUTY, [a.fingerprint], rows=images,
                           body={"case_uuids": [uuid], "until": None, "state": "active",
                                 "final": False})
        c.sync()
        b.sync()
        report = a.sync()
        assert sorted(r.reason or "" for r in report.rejected) == ["not_allowed", "not_allowed"]
        assert _case(a, other_uuid) is None
        with pytest.raises(NotFound):
            write.share_case(a.vault, number, "00" * 32)
    finally:
        close_desks(world)


def test_cover_end_date_makes_the_copy_read_only_and_the_owner_ends_the_share(
        desks: dict[str, Desk]) -> None:
    a, b = desks["A"], desks["B"]
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    write.share_case(a.vault, number, b.fingerprint, until=date(2026, 12, 3))
    a.sync()
    b.sync()
    task_uuid = _task(b, uuid).uuid
    update_task(b.vault, task_uuid, title="Am letzten Tag")  # the last day still counts
    for desk in (a, b):
        desk.clock.advance(timedelta(days=3))
    with pytest.raises(Refused) as refused:
        update_task(b.vault, task_uuid, title="Zu spät")
    assert "Vertretung für Anna Albers ist beendet" in refused.value.message_de
    state = read.case_sync_state(b.vault, uuid)
    assert state.read_only and state.read_only_reason_de == refused.value.message_de
    assert not read.case_sync_state(a.vault, uuid).read_only
    b.sync()  # what was changed before the end still goes out
    a.sync()  # the owner's vault ends the share whose date passed
    assert [g.state for g in read.grants(a.vault)] == ["ended"]
    assert _task(a, uuid).title == "Am letzten Tag"
    b.sync()
    assert _case(b, uuid) is None
