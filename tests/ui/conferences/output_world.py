"""The world of the 'Ausfertigungen' panel tests on the real encrypted store: a conference held
on two cases whose consents give one participant the full copy and another the pseudonymised
one, the panel opened on it, and the keyboard and PDF helpers both test modules use.

A module of its own because the panel's tests are in two modules (``test_output``: the panel
itself; ``test_output_copies``: the copies saved and printed); ``conftest`` offers the
fixtures ``held`` and ``panel`` by name."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.conferences.read import conference_detail
from app.services.conferences.records import (
    CONFERENCE_PURPOSE,
    AgendaInput,
    CaseMinutes,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    mark_held,
    record_case_minutes,
    set_agenda,
    set_participants,
)
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_contact, add_institution
from app.vault.store import Vault
from db.models import Consent, Institution
from tests.ui.settle import settle
from ui.conferences.output import OutputPanel, standalone
from ui.conferences.output_versions import OutputVersion
from ui.context import AppContext

WAIT = 20000


@dataclass(frozen=True)
class Held:
    uuid: str
    first_case: int
    second_case: int
    jobcenter_participant: str  # covered for both cases: the full copy
    school_participant: str  # covered for one case only: the pseudonymised copy


@pytest.fixture
def held(vault: Vault) -> Held:
    """A conference held yesterday on two cases; the job centre has consents for both, the
    school and the foreigners' authority for the first only (the authority's warning was
    acknowledged when it was held). Written before ``ctx`` takes the vault over."""
    first = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                       municipality="DO"))
    second = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                        municipality="DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    school = add_institution(vault, NewInstitution("Gesamtschule Nordstadt", "schule", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    schulz = add_contact(vault, jobcenter, "Frau Schulz", role="Fallmanagerin")
    vogt = add_contact(vault, abh, "Frau Vogt", role="Sachbearbeitung")
    berger = add_contact(vault, school, "Herr Berger", role="Schulsozialarbeit")
    categories = ["identity_contact", "education_work"]
    for case in (first, second):
        record_consent(vault, case, NewConsent(jobcenter, categories, CONFERENCE_PURPOSE,
                                               date(2026, 11, 1)))
    for institution in (school, abh):
        record_consent(vault, first, NewConsent(institution, categories, CONFERENCE_PURPOSE,
                                                date(2026, 11, 1)))
    uuid = create_conference(vault, ConferencePlan(
        "Fallkonferenz Übergang Schule – Beruf", datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        place="Rathaus, Raum 104", chair_text="Test Fallmanagerin",
        minute_taker_text="Herr Weber"))
    set_participants(vault, uuid, [
        ParticipantInput("Frau Schulz", contact_uuid=schulz, role="Fallmanagerin"),
        ParticipantInput("Herr Berger", contact_uuid=berger, role="Schulsozialarbeit"),
        ParticipantInput("Frau Vogt", contact_uuid=vogt, role="Sachbearbeitung")])
    set_agenda(vault, uuid, [
        AgendaInput(first, "Ausbildungsplatz nach dem Abschluss", tuple(categories)),
        AgendaInput(second, "Sprachkurs und Arbeitserlaubnis", tuple(categories))])
    mark_held(vault, uuid, datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
              warnings_acknowledged=True)
    detail = conference_detail(vault, uuid)
    for item in detail.agenda:
        record_case_minutes(vault, item.uuid, CaseMinutes(
            resources_goals=f"{item.client} möchte eine Ausbildung beginnen; Frau Öztürk und "
                            "Frau Haidari kennen sich aus dem Sprachkurs.",
            next_review_on=date(2027, 1, 15)))
    by_name = {p.name: p.uuid for p in detail.participants}
    return Held(uuid, first, second, by_name["Frau Schulz"], by_name["Herr Berger"])


@pytest.fixture
def panel(held: Held, qtbot: QtBot, ctx: AppContext) -> Iterator[OutputPanel]:
    widget = standalone(ctx, held.uuid)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.document.pageCount() > 0, timeout=WAIT)
    yield widget
    settle(ctx)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def alt(qtbot: QtBot, panel: OutputPanel, key: Qt.Key) -> None:
    """A mnemonic, typed where the keyboard focus is (as a person presses Alt+key)."""
    panel.activateWindow()  # again after a message box closed
    qtbot.waitUntil(panel.isActiveWindow, timeout=WAIT)
    target = QApplication.focusWidget() or panel.list
    qtbot.keyClick(target, key, Qt.KeyboardModifier.AltModifier)


def labels(panel: OutputPanel) -> list[str]:
    return [panel.model.item(i).text() for i in range(panel.model.rowCount())]


def choose(qtbot: QtBot, panel: OutputPanel, label_part: str,
           rendered: bool = True) -> OutputVersion:
    """Move through the list with the arrow key, as a keyboard user does, to the copy."""
    panel.list.setFocus()
    for _ in range(panel.model.rowCount()):
        if panel.current is not None and label_part in panel.current.label:
            break
        qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.current is not None and label_part in panel.current.label
    entry = panel.current
    if rendered:
        qtbot.waitUntil(lambda: panel._pdf is not None and panel.current == entry,
                        timeout=WAIT)
    return entry


def consents_of(vault: Vault, case_id: int, institution: str) -> list[str]:
    with vault.read_session() as s:
        return list(s.execute(select(Consent.uuid).join(Institution, Institution.id ==
                                                       Consent.institution_id)
                              .where(Consent.case_id == case_id,
                                     Institution.name == institution)).scalars())

