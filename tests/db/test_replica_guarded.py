"""db.replica and the stores' own rules: issued certificates and approved minutes (immutable,
migrations 0008/0009), counters that only grow, stamps of columns that no longer travel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.vault.store import Vault
from db.models import CaseFile, Certificate, Conference, ConferenceParticipant, Person
from db.models.sync_state import SyncConflict
from tests.support.replica import all_images, exchange, make_vault, open_conflicts, snapshot


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, Vault]]:
    folder = tmp_path_factory.mktemp("replica_guarded")
    a = make_vault(folder / "a", "AAAA", "Anna Albers")
    b = make_vault(folder / "b", "BBBB", "Bernd Brandt")
    yield a, b
    a.lock()
    b.lock()


def _by_uuid[R](vault: Vault, model: type[R], uuid: str) -> R:
    with vault.session() as s:
        row = s.execute(select(model).where(getattr(model, "uuid") == uuid)).scalar_one()
        s.expunge(row)
        return row


def _same_row(a: Vault, b: Vault, table: str, uuid: str) -> None:
    key = {(table, uuid)}
    assert snapshot(a, key) == snapshot(b, key)


def _open(vault: Vault, uuid: str) -> list[SyncConflict]:
    return open_conflicts(vault, {uuid})


def _certificate(vault: Vault) -> str:
    with vault.session() as s:
        row = Certificate(kind="participation", serial=f"DO-2026-{vault.info.vault_code}-0001",
                          issued_on=date(2026, 11, 20), payload={"text": "Teilnahme"},
                          verification_code="ABCD-EFGH", signature=b"LT1:seal",
                          signer_public=b"\x02" * 33, copies=0)
        s.add(row)
        s.flush()
        return row.uuid


def _set(vault: Vault, model: type, uuid: str, **values: object) -> None:
    with vault.session() as s:
        row = s.execute(select(model).where(getattr(model, "uuid") == uuid)).scalar_one()
        for key, value in values.items():
            setattr(row, key, value)


def test_a_remote_revocation_and_reprints_apply_to_an_issued_certificate(
        two: tuple[Vault, Vault]) -> None:
    a, b = two
    uuid = _certificate(a)
    exchange(a, b)
    # Both printed a copy while apart; then A revoked it.
    _set(a, Certificate, uuid, copies=1, last_copy_on=date(2026, 11, 28))
    _set(b, Certificate, uuid, copies=2, last_copy_on=date(2026, 11, 27))
    _set(a, Certificate, uuid, revoked_on=date(2026, 12, 1), revoke_reason="Irrtum")
    exchange(a, b)
    exchange(b, a)
    _same_row(a, b, "certificate", uuid)
    for vault in (a, b):
        cert = _by_uuid(vault, Certificate, uuid)
        # Reprints are a counter: both sides' copies count, no conflict; the revocation holds.
        assert (cert.copies, cert.last_copy_on) == (2, date(2026, 11, 28))
        assert (cert.revoked_on, cert.revoke_reason) == (date(2026, 12, 1), "Irrtum")
    assert not _open(a, uuid) and not _open(b, uuid)


def test_an_edit_against_approved_minutes_is_kept_as_a_conflict_not_an_abort(
        two: tuple[Vault, Vault]) -> None:
    a, b = two
    with a.session() as s:
        conf = Conference(title="Fallkonferenz Dezember", scheduled_at=datetime(
            2026, 12, 2, 9, 0, tzinfo=UTC), status="held")
        s.add(conf)
        s.flush()
        uuid = conf.uuid
    exchange(a, b)
    _set(a, Conference, uuid, status="minutes_approved", approved_on=date(2026, 12, 3),
         minutes_locked=True)
    _set(b, Conference, uuid, place="Rathaus, Raum 3")
    exchange(b, a)  # the store refuses to change approved minutes: no abort, a conflict
    conf_a = _by_uuid(a, Conference, uuid)
    assert conf_a.minutes_locked and conf_a.place is None
    [kept] = _open(a, uuid)
    assert (kept.field, kept.remote_value) == ("place", "Rathaus, Raum 3")
    exchange(b, a)  # again: no second conflict
    assert len(_open(a, uuid)) == 1
    exchange(a, b)  # B takes the approval
    assert _by_uuid(b, Conference, uuid).minutes_locked


def test_approved_minutes_arrive_whole_and_locked(two: tuple[Vault, Vault]) -> None:
    a, b = two
    with a.session() as s:
        conf = Conference(title="Fallkonferenz Januar", scheduled_at=datetime(
            2027, 1, 12, 9, 0, tzinfo=UTC), status="held")
        s.add(conf)
        s.flush()
        s.add(ConferenceParticipant(conference_id=conf.id, name="Jobcenter Dortmund"))
        uuid = conf.uuid
    _set(a, Conference, uuid, status="minutes_approved", minutes_locked=True)
    result = exchange(a, b)  # the participant goes in before the lock does
    assert not result.conflicts
    _same_row(a, b, "conference", uuid)
    with b.session() as s:
        conf_b = s.execute(select(Conference).where(Conference.uuid == uuid)).scalar_one()
        assert conf_b.minutes_locked
        names = s.execute(select(ConferenceParticipant.name).where(
            ConferenceParticipant.conference_id == conf_b.id)).scalars().all()
        assert names == ["Jobcenter Dortmund"]


def test_stamps_of_columns_that_no_longer_travel_stay_home(two: tuple[Vault, Vault]) -> None:
    a, b = two
    from app.services.cases.records import NewCase
    from app.services.cases.write import create_case

    cid = create_case(a, NewCase("Ayşe", "Öztürk", "DO"))
    with a.session() as s:  # as a vault stamped sort_key before it became derived
        person = s.get_one(Person, s.get_one(CaseFile, cid).person_id)
        person.field_stamps = {"sort_key": [a.info.vault_uuid, 1], "is_self": ["x", 3]}
        uuid = person.uuid
    [image] = [i for i in all_images(a) if i.uuid == uuid]
    assert image.field_stamps == {}
    exchange(a, b)
    again = exchange(a, b)
    assert again.updated == 0
