"""Cases for steering report tests, written straight into a real vault (ORM rows, so the sync
hooks stamp them as in the app), with a marker in every free-text and personal field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.sync.steering import STEERING_PURPOSE
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Consent,
    Goal,
    Institution,
    JournalEntry,
    LegalBasis,
    Person,
    PhaseTransition,
    Referral,
    ResidenceStatus,
)

MARKER = "ZQXSTEER7731"
# consent: the steering consent; basis: § 75 SGB X; other: a consent for another purpose;
# withdrawn: a steering consent withdrawn before the report; none: nothing
COVER = ("consent", "basis", "other", "withdrawn", "none")
COVERING = ("consent", "basis")


@dataclass(frozen=True)
class CaseSpec:
    target_group: str | None
    municipality: str
    opened_on: date
    closed_on: date | None
    close_reason: str | None
    phase: str  # today's phase (closed when closed_on is set)
    status_kind: str | None
    cover: str
    referral_kind: str | None = None
    attainment: str | None = None


def clear(vault: Vault) -> None:
    """Remove every case and what hangs off it (between examples of a property test)."""
    with vault.session() as s:
        for model in (Referral, Goal, JournalEntry, PhaseTransition, LegalBasis, Consent,
                      CaseFile, ResidenceStatus, Person, Institution):
            s.execute(delete(model))


def add_cases(vault: Vault, specs: Sequence[CaseSpec], *, as_of: date, first: int = 0) -> None:
    """Write ``specs`` as cases numbered from ``first`` (numbers and names are unique)."""
    with vault.session() as s:
        owner = s.execute(select(CaseManager).where(CaseManager.is_self.is_(True))).scalar_one()
        insts: dict[str, Institution] = {}

        def inst(kind: str) -> Institution:
            if kind not in insts:
                insts[kind] = Institution(name=f"{MARKER} Stelle {kind}", kind=kind,
                                          legal_domain=f"{MARKER} Rechtskreis",
                                          note=f"{MARKER} Notiz")
                s.add(insts[kind])
                s.flush()
            return insts[kind]

        for i, spec in enumerate(specs, start=first):
            person = Person(given_names=f"{MARKER}Vorname{i}", family_name=f"{MARKER}Name",
                            date_of_birth=date(1990, 1, 1), address_street=f"{MARKER}str. 1",
                            phone=f"{MARKER}0231", sort_key=f"{MARKER}{i:05d}",
                            abh_file_number=f"{MARKER}-ABH-{i}")
            s.add(person)
            s.flush()
            case = CaseFile(case_number=f"DO-2026-T3ST-{i:05d}", person_id=person.id,
                            target_group=spec.target_group, municipality=spec.municipality,
                            case_manager_id=owner.id, phase=spec.phase,
                            opened_on=spec.opened_on, closed_on=spec.closed_on,
                            close_reason=spec.close_reason, sort_name=f"{MARKER}{i:05d}",
                            handover_note=f"{MARKER} Übergabe", indication=f"{MARKER} Indikation",
                            client_feedback=f"{MARKER} Rückmeldung")
            s.add(case)
            s.flush()
            s.add(PhaseTransition(case_id=case.id, from_phase=None, to_phase="intake",
                                  at=_at(spec.opened_on), by_staff_id=owner.id,
                                  reason=f"{MARKER} Grund"))
            if spec.closed_on is not None:
                s.add(PhaseTransition(case_id=case.id, from_phase="intake", to_phase="closed",
                                      at=_at(spec.closed_on), by_staff_id=owner.id))
            elif spec.phase != "intake":
                s.add(PhaseTransition(case_id=case.id, from_phase="intake", to_phase=spec.phase,
                                      at=_at(spec.opened_on), by_staff_id=owner.id))
            s.add(JournalEntry(case_id=case.id, occurred_at=_at(spec.opened_on),
                               contact_kind="home_visit", text=f"{MARKER} Vermerk",
                               author_id=owner.id, place=f"{MARKER} Ort"))
            if spec.status_kind is not None:
                s.add(ResidenceStatus(person_id=person.id, kind=spec.status_kind,
                                      valid_from=spec.opened_on, note=f"{MARKER} Status"))
            if spec.referral_kind is not None:
                s.add(Referral(case_id=case.id, institution_id=inst(spec.referral_kind).id,
                               referred_on=spec.opened_on, purpose=f"{MARKER} Zweck",
                               outcome=f"{MARKER} Ergebnis"))
            if spec.attainment is not None:
                s.add(Goal(case_id=case.id, life_domain="language",
                           description=f"{MARKER} Ziel", attainment=spec.attainment,
                           evaluated_on=spec.closed_on or spec.opened_on))
            _cover(s, spec.cover, person, case, inst("other"), as_of)


def _cover(s: Session, cover: str, person: Person, case: CaseFile, institution: Institution,
           as_of: date) -> None:
    given = date(2020, 1, 1)
    if cover in ("consent", "other", "withdrawn"):
        s.add(Consent(person_id=person.id, case_id=case.id, institution_id=institution.id,
                      purpose=STEERING_PURPOSE if cover != "other" else "Fallkonferenz",
                      given_on=given,
                      withdrawn_on=as_of if cover == "withdrawn" else None))
    elif cover == "basis":
        s.add(LegalBasis(case_id=case.id, institution_id=institution.id,
                         data_category="residence",
                         basis="§ 75 SGB X", reason=f"{MARKER} Begründung", recorded_on=given))


def _at(d: date) -> datetime:
    return datetime.combine(d, time(10), tzinfo=UTC)
