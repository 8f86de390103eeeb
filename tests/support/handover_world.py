"""Real vaults exchanging bundles through a temp folder as the share, for the handover tests:
each vault publishes its card, learns the others' and trusts them by fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.clock import FixedClock
from app.services.cases.queries import resolve_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import attach_consent_form, record_consent
from app.services.devices.read import own_device
from app.services.devices.write import trust
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.documents.write import add_attachment
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.plan.records import NewGoal
from app.services.plan.write import add_goal, add_measure
from app.services.sync.records import SyncReport
from app.services.sync.write import run_sync, set_share_folder
from app.services.tasks.write import add_task
from app.vault.store import Vault
from tests.support.vault_copy import copied_vault

PASSPHRASE = "korrekt Pferd Batterie Heftklammer"
NAMES = {"A": "Anna Albers", "B": "Katharina Nowak", "C": "Carl Conrad"}
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@dataclass
class Desk:
    name: str
    vault: Vault
    folder: Path
    clock: FixedClock

    @property
    def fingerprint(self) -> str:
        return own_device(self.vault).fingerprint

    def sync(self) -> SyncReport:
        return run_sync(self.vault)


def make_desks(root: Path, names: str = "AB") -> dict[str, Desk]:
    share = root / "share"
    share.mkdir()
    desks: dict[str, Desk] = {}
    for name in names:
        clock = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        folder = root / f"vault{name}"
        vault = copied_vault(folder, PASSPHRASE, owner_name=NAMES[name], municipality="DO",
                             vault_code=f"V{name}00", clock=clock)
        set_share_folder(vault, share)
        desks[name] = Desk(name, vault, folder, clock)
    for desk in desks.values():  # publish cards
        desk.sync()
    for desk in desks.values():  # learn and trust the others'
        desk.sync()
        for other in desks.values():
            if other is not desk:
                trust(desk.vault, other.fingerprint)
    return desks


def close_desks(desks: dict[str, Desk]) -> None:
    for desk in desks.values():
        if not desk.vault.locked:
            desk.vault.lock()


def full_case(desk: Desk, family: str = "Marker") -> str:
    """A case with a client, journal, task, goal with measure, consent with its form and a
    document of the case; returns its case number."""
    vault = desk.vault
    case_id = create_case(vault, NewCase(given_names="Amira", family_name=family,
                                         municipality="DO", date_of_birth=date(1990, 3, 4)))
    add_journal_entry(vault, case_id, NewJournalEntry(
        contact_kind="office", text="Erstgespräch geführt",
        occurred_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC)))
    add_task(vault, case_id, "Unterlagen anfordern", date(2026, 12, 20))
    goal = add_goal(vault, case_id, NewGoal(life_domain="residence", description="Aufenthalt "
                                            "sichern", indicator=None, target_date=None))
    add_measure(vault, goal, "Termin ABH vereinbaren")
    institution = add_institution(vault, NewInstitution(name="Ausländerbehörde Dortmund",
                                                        kind="auslaenderbehoerde"))
    consent = record_consent(vault, case_id, NewConsent(
        institution_uuid=institution, data_categories=["identity_contact"],
        purpose="Klärung Aufenthalt", given_on=date(2026, 11, 30)))
    attach_consent_form(vault, consent, "einwilligung.pdf", "application/pdf", PDF)
    uuid, number = case_ref(desk, case_id)
    add_attachment(vault, "case_file", uuid, "pass.pdf", "application/pdf", PDF[::-1])
    return number


def case_ref(desk: Desk, ref: str | int) -> tuple[str, str]:
    """(uuid, case number) of a case of this desk."""
    with desk.vault.read_session() as s:
        case = resolve_case(s, ref)
        return case.uuid, case.case_number
