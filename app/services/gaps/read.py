"""The system-gap register as the page shows it, and the legal domains to choose from."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from app import catalogues
from app.services.gaps.queries import gap_entry
from app.services.gaps.records import GapEntry
from app.vault.store import Vault
from db.models import SystemGap


def system_gaps(vault: Vault, statuses: Collection[str] | None = None) -> list[GapEntry]:
    """The register, newest first; only the given statuses if any are named."""
    query = select(SystemGap).where(SystemGap.deleted.is_(False))
    if statuses is not None:
        query = query.where(SystemGap.status.in_(list(statuses)))
    with vault.read_session() as s:
        rows = s.execute(query.order_by(SystemGap.noticed_on.desc(), SystemGap.id.desc()))
        return [gap_entry(g) for g in rows.scalars()]


def legal_domains() -> list[str]:
    """Legal domains to choose from: those the institution kinds name."""
    seen = dict.fromkeys(k.legal_domain for k in catalogues.institution_kinds() if k.legal_domain)
    return list(seen)
