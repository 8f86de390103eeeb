"""Counts for the home page: how many cases, in which phase."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.catalogues import phases
from app.vault.store import Vault
from db.models import CaseFile


@dataclass(frozen=True)
class VaultOverview:
    cases: int
    by_phase: list[tuple[str, int]]


def overview(vault: Vault) -> VaultOverview:
    with vault.read_session() as s:
        counts = dict(
            s.execute(select(CaseFile.phase, func.count()).where(CaseFile.deleted.is_(False))
                      .group_by(CaseFile.phase)).tuples().all()
        )
    by_phase = [(p.label, counts.get(p.code, 0)) for p in phases()]
    return VaultOverview(sum(counts.values()), by_phase)
