"""One Zugangsweg catalogue: the services accept its codes only (an older free text may stay
while it is unchanged), and a case update audits the fields that really changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import audit
from app.errors import ValidationFailed
from app.services.cases.read import case_documentation
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.vault.store import Vault
from db.models import AuditLog, CaseFile


def last_fields(vault: Vault) -> list[str]:
    with vault.read_session() as s:
        row = s.execute(select(AuditLog).where(AuditLog.kind == audit.Kind.CASE_UPDATED)
                        .order_by(AuditLog.seq.desc())).scalars().first()
        assert row is not None
        return list(row.detail["fields"])


def test_access_routes_come_from_the_catalogue(vault: Vault) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_case(vault, NewCase("Ayse", "Kaya", "DO", access_route="irgendwie"))
    assert refused.value.field == "access_route"
    case_id = create_case(vault, NewCase("Ayse", "Kaya", "DO", access_route="jobcenter"))
    with pytest.raises(ValidationFailed):
        update_case(vault, case_id, access_route="Hinweis der Schule")
    update_case(vault, case_id, access_route="school", indication="Mehrere Stellen")
    assert last_fields(vault) == ["access_route", "indication"]

    # A free text written before the catalogue existed is kept while it is not changed.
    with vault.session() as s:
        s.get_one(CaseFile, case_id).access_route = "Hinweis der Schule"
    update_case(vault, case_id, access_route="Hinweis der Schule", indication="Neu")
    assert last_fields(vault) == ["indication"]  # only what changed is named
    assert case_documentation(vault, case_id).values["access_route"] == "Hinweis der Schule"
