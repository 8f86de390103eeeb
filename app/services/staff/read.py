"""Case managers known to this vault, e.g. for the case list's "Fallmanager:in" filter."""

from __future__ import annotations

from sqlalchemy import select

from app.services.staff.records import StaffMember
from app.vault.store import Vault
from db.folding import fold_sort
from db.models import CaseManager


def case_managers(vault: Vault, include_inactive: bool = False) -> list[StaffMember]:
    """Staff in German alphabetical order (Ö among O); tombstoned rows never appear."""
    query = select(CaseManager.uuid, CaseManager.display_name, CaseManager.role,
                   CaseManager.is_self, CaseManager.active).where(
        CaseManager.deleted.is_(False))
    if not include_inactive:
        query = query.where(CaseManager.active.is_(True))
    with vault.read_session() as s:
        members = [StaffMember(*r) for r in s.execute(query).all()]
    return sorted(members, key=lambda m: fold_sort(m.display_name))
