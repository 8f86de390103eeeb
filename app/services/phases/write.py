"""Take a DGCC phase step, checked against the minimum documentation; history never lost."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit, catalogue_phases, catalogues
from app.errors import PhaseBlocked, ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.phases.queries import missing_for_step
from app.vault.store import Vault
from db.models import CaseManager, PhaseTransition

RETENTION_YEARS = 3  # retention period starts at closing (municipal retention rules)


def _retention_end(closed: date) -> date:
    try:
        return closed.replace(year=closed.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return closed.replace(year=closed.year + RETENTION_YEARS, day=28)


def change_phase(vault: Vault, case_ref: str | int, target: str, *, reason: str | None = None,
                 override_reason: str | None = None, close_reason: str | None = None,
                 handover_note: str | None = None) -> None:
    """Take a phase step. Missing documentation blocks it unless ``override_reason`` is given."""
    target_phase = catalogues.phase(target)
    if close_reason is not None and close_reason not in {c.code for c in
                                                         catalogues.close_reasons()}:
        raise ValidationFailed("Bitte einen gültigen Abschlussgrund wählen.",
                               "unknown close reason", field="close_reason")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        source = case.phase
        if not catalogue_phases.can_transition(source, target):
            raise ValidationFailed(
                f"Von „{catalogues.phase(source).label}“ ist kein Schritt nach "
                f"„{target_phase.label}“ vorgesehen.", f"transition {source}->{target} not allowed",
                field="phase")
        if target == "closed":
            case.close_reason = close_reason or case.close_reason
            case.handover_note = handover_note or case.handover_note
        missing = missing_for_step(s, case, target)
        override = (override_reason or "").strip()
        if missing and not override:
            raise PhaseBlocked([(m.code, m.label) for m in missing], target_phase.label)
        today = vault.clock.today()
        if target == "closed":
            case.closed_on = today
            case.retention_until = _retention_end(today)
        elif source == "closed":
            case.closed_on = None
            case.retention_until = None
        case.phase = target
        staff = s.execute(select(CaseManager.id).where(
            CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
        s.add(PhaseTransition(case_id=case.id, from_phase=source, to_phase=target,
                              at=vault.clock.now(), by_staff_id=staff, reason=reason,
                              override_reason=override if missing else None,
                              missing_items=[m.code for m in missing]))
        s.flush()
        kind = (audit.Kind.CASE_CLOSED if target == "closed" else
                audit.Kind.CASE_REOPENED if source == "closed" else audit.Kind.PHASE_CHANGED)
        audit.record(s, kind, "case", case.uuid, from_phase=source, to_phase=target)
        if missing:
            audit.record(s, audit.Kind.PHASE_OVERRIDE, "case", case.uuid, to_phase=target,
                         missing=[m.code for m in missing])
