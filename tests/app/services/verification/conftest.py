"""A client with a case on a real vault, certificates issued through the register, and
colleagues' vaults."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import IssuedCertificate, IssueRequest
from app.services.certificates.write import issue_certificate
from app.vault.store import Vault
from tests.support.seal_world import colleague_vault  # noqa: F401 - a fixture

COURSE = {"massnahme": "Integrationskurs B1", "traeger": "VHS Dortmund",
          "von": "01.03.2026", "bis": "30.09.2026", "umfang": "600"}


def issue(vault: Vault, case_id: int) -> IssuedCertificate:
    return issue_certificate(vault, IssueRequest(case_id, "teilnahme", dict(COURSE)))


@pytest.fixture
def case_id(vault: Vault) -> int:
    return create_case(vault, NewCase("Mariam", "Haidari", "DO", date_of_birth=date(1991, 3, 14)))
