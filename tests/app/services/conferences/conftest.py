"""A small world for conference tests: two clients with cases, a job centre, a youth welfare
office and the foreigners' authority with a contact person each, on a real vault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.conferences.records import (
    CONFERENCE_PURPOSE,
    AgendaInput,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    mark_held,
    set_agenda,
    set_participants,
)
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_contact, add_institution
from app.vault.store import Vault
from db.models import CaseFile

WHEN = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # a week after the test clock's today


@dataclass
class World:
    vault: Vault
    case_a: str  # case numbers
    case_b: str
    jc: str  # institution uuids
    ja: str
    abh: str
    jc_contact: str  # contact uuids
    ja_contact: str
    abh_contact: str


def case_number(vault: Vault, case_id: int) -> str:
    with vault.read_session() as s:
        return s.execute(select(CaseFile.case_number).where(CaseFile.id == case_id)).scalar_one()


@pytest.fixture
def world(vault: Vault) -> World:
    a = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    b = create_case(vault, NewCase("Yusuf", "Öztürk", "DO"))
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    ja = add_institution(vault, NewInstitution("Jugendamt Dortmund", "jugendamt", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                 "auslaenderbehoerde", "DO"))
    return World(vault, case_number(vault, a), case_number(vault, b), jc, ja, abh,
                 add_contact(vault, jc, "Petra Lindner", "Arbeitsvermittlung",
                             email="p.lindner@jobcenter.example"),
                 add_contact(vault, ja, "Jonas Brandt", "ASD", email="j.brandt@ja.example"),
                 add_contact(vault, abh, "Karin Vogt", "Sachbearbeitung"))


def consent(w: World, case: str, institution: str, categories: list[str],
            purpose: str = CONFERENCE_PURPOSE, given_on: date = date(2026, 10, 1),
            valid_until: date | None = None, covers_confided: bool = False) -> str:
    return record_consent(w.vault, case, NewConsent(institution, categories, purpose, given_on,
                                                    valid_until,
                                                    covers_confided=covers_confided))


def planned(w: World, title: str = "Fallkonferenz Übergang Schule–Beruf",
            cases: tuple[str, ...] | None = None, contacts: tuple[str, ...] | None = None,
            categories: tuple[str, ...] = ("education_work",)) -> str:
    """A planned conference with the cases (default both) and contact persons (default the
    job centre's and the youth welfare office's) on it."""
    uuid = create_conference(w.vault, ConferencePlan(title, WHEN, "Rathaus, Raum 112",
                                                     chair_text="Frau Demir",
                                                     minute_taker_text="Herr Klein"))
    set_agenda(w.vault, uuid, [AgendaInput(c, "Übergang in Ausbildung", categories)
                               for c in (cases or (w.case_a, w.case_b))])
    set_participants(w.vault, uuid, [ParticipantInput("", contact_uuid=c)
                                     for c in (contacts or (w.jc_contact, w.ja_contact))])
    return uuid


def covered(w: World, categories: tuple[str, ...] = ("education_work",)) -> str:
    """Both cases on the agenda; the job centre is covered for both (it gets the full minutes),
    the youth welfare office only for case B (pseudonymised, case A withheld)."""
    uuid = planned(w, categories=categories)
    consent(w, w.case_a, w.jc, list(categories))
    consent(w, w.case_b, w.jc, list(categories))
    consent(w, w.case_b, w.ja, list(categories))
    return uuid


def held(w: World) -> str:
    uuid = covered(w)
    mark_held(w.vault, uuid, WHEN)
    return uuid
