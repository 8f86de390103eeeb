"""A small world for register tests: a client with a case and a job centre, on a real vault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import CERTIFICATE_PURPOSE, IssueRequest
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.vault.store import Vault
from db.models import CaseFile

COURSE = {"massnahme": "Integrationskurs B1", "traeger": "VHS Dortmund",
          "von": "01.03.2026", "bis": "30.09.2026", "umfang": "600"}


@dataclass
class World:
    vault: Vault
    case: str  # case number
    jc: str  # institution uuid


def case_number(vault: Vault, case_id: int) -> str:
    with vault.read_session() as s:
        return s.execute(select(CaseFile.case_number).where(CaseFile.id == case_id)).scalar_one()


@pytest.fixture
def world(vault: Vault) -> World:
    case_id = create_case(vault, NewCase("Mariam", "Haidari", "DO",
                                         date_of_birth=date(1991, 3, 14)))
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    return World(vault, case_number(vault, case_id), jc)


def course(w: World, recipient: str | None = None, **values: str) -> IssueRequest:
    return IssueRequest(w.case, "teilnahme", {**COURSE, **values}, recipient)


def consent(w: World, categories: tuple[str, ...] = ("identity_contact", "education_work"),
            purpose: str = CERTIFICATE_PURPOSE) -> str:
    return record_consent(w.vault, w.case, NewConsent(w.jc, list(categories), purpose,
                                                      date(2026, 10, 1)))
