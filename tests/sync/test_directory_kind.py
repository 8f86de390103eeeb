"""The team directory between three real vaults: relayed A → B → C, concurrent edits of the
same field conflict on both sides, of different fields merge."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import add_agreement, add_contact, update_institution
from app.services.gaps.records import NewSystemGap
from app.services.gaps.write import record_gap
from db.models import (
    Contact,
    CooperationAgreement,
    CooperationParty,
    Institution,
    SyncConflict,
    SystemGap,
)
from tests.support.sync_world import (
    Office,
    add_place,
    befriend,
    colleagues,
    confirm,
    institution,
    institution_kind,
    meet,
    sync,
)


@pytest.fixture
def trio(tmp_path: Path) -> Iterator[tuple[Office, Office, Office]]:
    with colleagues(tmp_path, 3) as (_, (a, b, c)):
        yield a, b, c


def _edit(office: Office, uuid: str, **changes: str | None) -> None:
    row = institution(office, uuid)
    assert row is not None
    new = NewInstitution(name=row.name, kind=row.kind, municipality=row.municipality,
                         legal_domain=row.legal_domain, address_street=row.address_street,
                         address_postcode=row.address_postcode, address_city=row.address_city,
                         phone=row.phone, email=row.email)
    update_institution(office.vault, uuid, NewInstitution(**{**new.__dict__, **changes}))


def _conflicts(office: Office) -> list[SyncConflict]:
    with office.vault.read_session() as s:
        return list(s.execute(select(SyncConflict).where(
            SyncConflict.resolved_at.is_(None))).scalars())


def test_directory_travels_a_to_b_to_c(trio: tuple[Office, Office, Office]) -> None:
    a, b, c = trio
    meet(a, b, c)
    confirm(a, b)
    confirm(b, a)
    confirm(b, c)
    confirm(c, b)  # A and C never trust each other: B carries A's directory on
    place = add_place(a, "Jobcenter Dortmund", phone="0231 1")
    contact = add_contact(a.vault, place, "Frau Petersen", role="Fallmanagement")
    partner = add_place(a, "Ausländerbehörde Dortmund")
    agreement = add_agreement(a.vault, NewAgreement(subject="Datenaustausch Jobcenter/ABH",
                                                   party_uuids=[place, partner]))
    gap = record_gap(a.vault, NewSystemGap(
        category=_gap_category(), title="Keine Sprachkurse am Abend",
        description="Abendkurse fehlen.", noticed_on=a.clock.today()))
    sync(a)
    assert len(sync(b).applied) == 1
    sync(b)  # B's exporter sends what it learnt on to C
    report = sync(c)
    assert len(report.applied) == 1
    row = institution(c, place)
    assert row is not None and (row.name, row.phone) == ("Jobcenter Dortmund", "0231 1")
    with c.vault.read_session() as s:
        assert s.execute(select(Contact.name).where(Contact.uuid == contact)).scalar() \
            == "Frau Petersen"
        assert s.execute(select(SystemGap.title).where(SystemGap.uuid == gap)).scalar() \
            == "Keine Sprachkurse am Abend"
        parties = s.execute(select(Institution.uuid)
                            .join(CooperationParty, CooperationParty.institution_id
                                  == Institution.id)
                            .join(CooperationAgreement, CooperationParty.agreement_id
                                  == CooperationAgreement.id)
                            .where(CooperationAgreement.uuid == agreement)).scalars().all()
        assert sorted(parties) == sorted([place, partner])
    assert sync(c).applied == [] and sync(a).rejected == []


def _gap_category() -> str:
    from app.services.gaps.records import CATEGORIES

    return sorted(CATEGORIES)[0]


def test_same_field_conflicts_on_both_sides_other_fields_merge(
        trio: tuple[Office, Office, Office]) -> None:
    a, b, _ = trio
    befriend(a, b)
    place = add_place(a, "Caritas Dortmund", phone="0231 100")
    sync(a)
    sync(b)
    assert institution(b, place) is not None
    # Different fields: both changes survive everywhere, no conflict.
    _edit(a, place, phone="0231 200")
    _edit(b, place, email="info@caritas.example")
    sync(a)
    sync(b)
    sync(a)
    for office in (a, b):
        row = institution(office, place)
        assert row is not None and (row.phone, row.email) == ("0231 200", "info@caritas.example")
        assert _conflicts(office) == []
    # The same field: a visible conflict on both sides, each keeping its own value for now.
    _edit(a, place, phone="0231 300")
    _edit(b, place, phone="0231 400")
    sync(a)
    sync(b)
    sync(a)
    for office, mine, theirs in ((a, "0231 300", "0231 400"), (b, "0231 400", "0231 300")):
        [conflict] = _conflicts(office)
        assert (conflict.field, conflict.local_value, conflict.remote_value) == (
            "phone", mine, theirs)
        row = institution(office, place)
        assert row is not None and row.phone == mine


def test_directory_bundle_carrying_other_tables_is_refused(
        trio: tuple[Office, Office, Office]) -> None:
    from app.bundle.records import BundleRejected
    from app.sync.directory import DirectoryHandler

    a, b, _ = trio
    befriend(a, b)
    from db.row_image import RowImage

    stray = RowImage(table="person", uuid="0" * 32, deleted=False, origin_vault="x" * 32,
                     changed_by_vault="x" * 32, version_vector={}, field_stamps={}, values={})
    from app.bundle.records import AuditHead, BundleContent, Sender

    content = BundleContent(kind="directory", bundle_uuid="1" * 32, created_at=a.clock.now(),
                            sender=Sender("x" * 32, "BBBB", "Lotse BBBB", "Jonas Brandt", "BI",
                                          b.fingerprint), audit_head=AuditHead(0, "0" * 64),
                            rows=(stray,))
    with pytest.raises(BundleRejected) as caught, a.vault.session() as s:
        from db.models import PeerDevice

        peer = s.execute(select(PeerDevice)).scalar_one()
        DirectoryHandler().apply(s, a.vault, content, peer)
    assert caught.value.reason == "not_allowed"
    # A trusted peer naming another vault as itself (to write that vault's stamps): refused.
    posing = dataclasses.replace(content, rows=())
    with pytest.raises(BundleRejected) as caught, a.vault.session() as s:
        peer = s.execute(select(PeerDevice)).scalar_one()
        DirectoryHandler().apply(s, a.vault, posing, peer)
    assert caught.value.reason == "not_allowed"
    assert institution_kind()  # the catalogue the helpers rely on is there
