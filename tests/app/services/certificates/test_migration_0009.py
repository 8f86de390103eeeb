"""Migration 0009's triggers, by raw SQL past every service: an issued certificate's content
never changes, a revocation is final, Zweitschriften are never uncounted; erasure stays."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import exc, select, text

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.editing import tombstone
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, Certificate

CONTENT = {"kind": "'counselling'", "serial": "'DO-2026-T3ST-B9999'", "person_id": "NULL",
           "staff_id": "1", "case_id": "NULL", "issued_on": "'2026-01-01'",
           "issued_by_id": "NULL", "payload": "'{}'", "verification_code": "'AAAAA-BBBBB'",
           "signature": "x'00'", "signer_public": "x'00'", "template_key": "'beratung'",
           "key_id": "'00'", "recipient_institution_id": "1", "uuid": "'0' || uuid"}


def _certificate(vault: Vault) -> int:
    """A register row as the services store one (content made up: the triggers do not read
    it), with a revocation still open."""
    case_id = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    with vault.session() as s:
        person_id = s.get_one(CaseFile, case_id).person_id
        owner_id = s.execute(select(CaseManager.id).where(CaseManager.is_self)).scalar_one()
        row = Certificate(kind="participation", serial="DO-2026-T3ST-B0001", case_id=case_id,
                          person_id=person_id, issued_by_id=owner_id,
                          issued_on=date(2026, 11, 25), payload={"title": "Teilnahme"},
                          verification_code="K7QM2-XHD9R", signature=b"LT1:ABC",
                          signer_public=b"\x02" * 33, template_key="teilnahme", key_id="ab" * 8)
        s.add(row)
        s.flush()
        return row.id


def _sql(vault: Vault, statement: str, **params: object) -> None:
    with vault.session() as s:
        s.execute(text(statement), params)


@pytest.mark.parametrize("column", sorted(CONTENT))
def test_the_content_of_an_issued_certificate_never_changes(vault: Vault, column: str) -> None:
    cid = _certificate(vault)
    with pytest.raises(exc.IntegrityError, match="issued certificates are immutable"):
        _sql(vault, f"UPDATE certificate SET {column} = {CONTENT[column]} WHERE id = :id",
             id=cid)


def test_a_revocation_is_final_and_copies_only_grow(vault: Vault) -> None:
    cid = _certificate(vault)
    _sql(vault, "UPDATE certificate SET copies = 2, last_copy_on = '2026-11-26' WHERE id = :id",
         id=cid)
    with pytest.raises(exc.IntegrityError, match="reprints are never uncounted"):
        _sql(vault, "UPDATE certificate SET copies = 1 WHERE id = :id", id=cid)
    _sql(vault, "UPDATE certificate SET revoked_on = '2026-11-27', revoke_reason = 'Irrtum' "
         "WHERE id = :id", id=cid)
    for change in ("revoked_on = NULL", "revoke_reason = NULL", "revoke_reason = 'anders'",
                   "revoked_on = '2026-11-28'"):
        with pytest.raises(exc.IntegrityError, match="a revocation is final"):
            _sql(vault, f"UPDATE certificate SET {change} WHERE id = :id", id=cid)
    with vault.read_session() as s:
        row = s.execute(select(Certificate.copies, Certificate.revoked_on,
                               Certificate.revoke_reason)).one()
    assert tuple(row) == (2, date(2026, 11, 27), "Irrtum")


def test_erasure_stays_possible(vault: Vault) -> None:
    cid = _certificate(vault)
    _sql(vault, "UPDATE certificate SET revoked_on = '2026-11-27', revoke_reason = 'Irrtum' "
         "WHERE id = :id", id=cid)
    with vault.session() as s:
        tombstone(s, s.get_one(Certificate, cid))
    with vault.read_session() as s:
        row = s.get_one(Certificate, cid)
        assert (row.deleted, row.serial, row.payload) == (True, "DO-2026-T3ST-B0001", {})
