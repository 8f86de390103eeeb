"""Correcting, ending and deleting cooperation agreements: read back, tombstones, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import NotFound, ValidationFailed
from app.services.directory.read import agreement_detail, agreements
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import (
    add_agreement,
    add_institution,
    delete_agreement,
    end_agreement,
    update_agreement,
)
from app.vault.store import Vault
from db.models import AuditLog, CooperationAgreement, CooperationParty


def _setup(vault: Vault) -> tuple[list[str], str]:
    names = ("Jobcenter Dortmund", "Ausländerbehörde Dortmund", "Jugendamt Dortmund")
    kinds = ("jobcenter", "auslaenderbehoerde", "jugendamt")
    inst = [add_institution(vault, NewInstitution(n, k, "DO")) for n, k in zip(names, kinds,
                                                                             strict=True)]
    uuid = add_agreement(vault, NewAgreement("Fallarbeit", inst[:2], ["residence"],
                                             date(2026, 1, 1)))
    return inst, uuid


def _kinds(vault: Vault, uuid: str) -> list[tuple[str, object]]:
    with vault.session() as s:
        return [(k, d.get("fields")) for k, d in s.execute(
            select(AuditLog.kind, AuditLog.detail).where(AuditLog.object_uuid == uuid)
            .order_by(AuditLog.seq))]


def test_update_agreement_reads_back_with_parties(vault: Vault) -> None:
    inst, uuid = _setup(vault)
    detail = agreement_detail(vault, uuid)
    assert (detail.subject, detail.party_uuids, detail.data_categories) == (
        "Fallarbeit", inst[:2], ["residence"])
    update_agreement(vault, uuid, NewAgreement(
        " Rechtskreisübergreifende Fallarbeit ", [inst[0], inst[2]],
        ["residence", "family_children"], date(2026, 2, 1), date(2027, 12, 31),
        date(2026, 1, 20)))
    entry = agreements(vault)[0]
    assert entry.subject == "Rechtskreisübergreifende Fallarbeit"
    assert entry.parties == ("Jobcenter Dortmund", "Jugendamt Dortmund")
    assert (entry.valid_from, entry.valid_until, entry.signed_on) == (
        date(2026, 2, 1), date(2027, 12, 31), date(2026, 1, 20))
    assert len(entry.data_categories) == 2
    assert agreements(vault, inst[1]) == []  # no longer a party
    with vault.session() as s:  # the dropped party is a tombstone, not gone
        flags = sorted(s.execute(select(CooperationParty.deleted)).scalars())
    assert flags == [False, False, True]
    assert _kinds(vault, uuid)[-1] == ("record.updated", [
        "data_categories", "signed_on", "subject", "valid_from", "valid_until", "parties"])

    for bad, field in ((NewAgreement("", inst[:2]), "subject"),
                       (NewAgreement("X", [inst[0], inst[0]]), "party_uuids"),
                       (NewAgreement("X", inst[:2], ["mars"]), "data_categories"),
                       (NewAgreement("X", inst[:2], [], date(2026, 5, 1), date(2026, 4, 1)),
                        "valid_until"),
                       (NewAgreement("X", [inst[0], "weg"]), "party_uuids")):
        with pytest.raises(ValidationFailed) as caught:
            update_agreement(vault, uuid, bad)
        assert caught.value.field == field
    assert agreements(vault)[0].subject == "Rechtskreisübergreifende Fallarbeit"


def test_end_and_delete_agreement(vault: Vault) -> None:
    inst, uuid = _setup(vault)
    with pytest.raises(ValidationFailed):
        end_agreement(vault, uuid, date(2025, 12, 31))  # before it began
    end_agreement(vault, uuid, date(2026, 11, 25))
    assert agreements(vault)[0].valid_until == date(2026, 11, 25)
    delete_agreement(vault, uuid)
    assert agreements(vault) == [] and agreements(vault, inst[0]) == []
    with vault.session() as s:
        assert s.execute(select(CooperationAgreement.deleted)).scalars().all() == [True]
        assert s.execute(select(CooperationParty.deleted)).scalars().all() == [True, True]
    assert [k for k, _ in _kinds(vault, uuid)] == [
        "record.created", "record.updated", "record.deleted"]
    for call in (lambda: agreement_detail(vault, uuid), lambda: delete_agreement(vault, uuid),
                 lambda: end_agreement(vault, uuid, date(2026, 12, 1)),
                 lambda: update_agreement(vault, uuid, NewAgreement("X", inst[:2]))):
        with pytest.raises(NotFound):
            call()
