"""The residence-status timeline of a case's client (an audited read)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app import audit, catalogues
from app.services.cases.queries import resolve_case
from app.services.residence.records import StatusEntry, StatusView
from app.vault.store import Vault
from db.models import AuditLog, ResidenceStatus


def _status_label(kind: str) -> str:
    return catalogues.label_or_code(catalogues.status_kinds(), kind)


def _expires(kind: str) -> bool:
    found = next((k for k in catalogues.status_kinds() if k.code == kind), None)
    return found is None or found.expires  # an unknown kind: rather ask than assume unlimited


def statuses(vault: Vault, case_ref: str | int) -> StatusView:
    """The residence-status timeline, newest validity first; corrected entries stay in it,
    marked with the day of their correction and its reason."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == case.person_id, ResidenceStatus.deleted.is_(False))
            .order_by(ResidenceStatus.valid_from.desc(), ResidenceStatus.id.desc())).scalars().all()
        # The day of a correction as the audit log holds it (the vault's clock, not the row's
        # wall-clock stamps).
        superseded = [r.uuid for r in rows if r.superseded_by_id is not None]
        stamps = dict(s.execute(select(AuditLog.object_uuid, func.max(AuditLog.at)).where(
            AuditLog.kind == audit.Kind.RECORD_CORRECTED, AuditLog.object_uuid.in_(superseded))
            .group_by(AuditLog.object_uuid)).tuples().all()) if superseded else {}

        def corrected_on(r: ResidenceStatus) -> date | None:
            if r.superseded_by_id is None:
                return None
            stamp = stamps.get(r.uuid) or r.updated_at
            return stamp.astimezone().date()

        entries = [StatusEntry(r.uuid, r.kind, _status_label(r.kind), r.legal_basis,
                               r.valid_from, r.valid_until, r.work_permission,
                               r.residence_obligation, r.document_seen_on, _expires(r.kind),
                               corrected_on(r), r.correction_reason) for r in rows]
        return StatusView(vault.clock.today(), entries)
