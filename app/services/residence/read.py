"""The residence-status timeline of a case's client (an audited read)."""

from __future__ import annotations

from sqlalchemy import select

from app import catalogues
from app.services.cases.queries import resolve_case
from app.services.residence.records import StatusEntry, StatusView
from app.vault.store import Vault
from db.models import ResidenceStatus


def _status_label(kind: str) -> str:
    return catalogues.label_or_code(catalogues.status_kinds(), kind)


def statuses(vault: Vault, case_ref: str | int) -> StatusView:
    """The residence-status timeline, newest validity first."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == case.person_id, ResidenceStatus.deleted.is_(False))
            .order_by(ResidenceStatus.valid_from.desc(), ResidenceStatus.id.desc())).scalars()
        entries = [StatusEntry(r.uuid, r.kind, _status_label(r.kind), r.legal_basis,
                               r.valid_from, r.valid_until, r.work_permission,
                               r.residence_obligation, r.document_seen_on) for r in rows]
        return StatusView(vault.clock.today(), entries)
