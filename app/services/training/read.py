"""Reading side of the training domain: the DGCC criteria and each staff member's status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from app.services.training.queries import assess, live_staff, status_of
from app.services.training.records import Criterion, TrainingModule, TrainingStatus
from app.vault.store import Vault
from db.models import CaseManager


def dgcc_criteria(modules: Sequence[TrainingModule], practice_case_on: date | None,
                  colloquium_on: date | None) -> tuple[Criterion, ...]:
    """The five criteria, always in this order: units, presence, institute, practice case,
    colloquium; each with a plain German detail."""
    return tuple(a.criterion for a in assess(modules, practice_case_on, colloquium_on))


def missing_sentences(modules: Sequence[TrainingModule], practice_case_on: date | None,
                      colloquium_on: date | None) -> tuple[str, ...]:
    """What is still missing, as sentences (empty when every criterion is met)."""
    return tuple(a.sentence for a in assess(modules, practice_case_on, colloquium_on)
                 if not a.criterion.met)


def training_overview(vault: Vault) -> list[TrainingStatus]:
    """Every active case manager of the team, by name."""
    with vault.read_session() as s:
        staff = s.execute(select(CaseManager).where(
            CaseManager.deleted.is_(False), CaseManager.active.is_(True))
            .order_by(CaseManager.display_name, CaseManager.id)).scalars().all()
        return [status_of(s, m) for m in staff]


def training_status(vault: Vault, staff_uuid: str) -> TrainingStatus:
    with vault.read_session() as s:
        return status_of(s, live_staff(s, staff_uuid))
