"""The phase of a case: its history (an audited read) and what a step would need."""

from __future__ import annotations

from sqlalchemy import select

from app import catalogue_phases, catalogues
from app.services.cases.queries import resolve_case
from app.services.phases.queries import missing_for_step
from app.services.phases.records import Closure, PhaseStep, PhaseView, StepCheck
from app.vault.store import Vault
from db.models import PhaseTransition


def check_step(vault: Vault, case_ref: str | int, target: str) -> StepCheck:
    """What a step to ``target`` would need, without taking it (for the checklist view)."""
    catalogues.phase(target)
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        allowed = catalogue_phases.can_transition(case.phase, target)
        return StepCheck(case.phase, target, allowed,
                         missing_for_step(s, case, target) if allowed else [])


def phase_view(vault: Vault, case_ref: str | int) -> PhaseView:
    """The current phase and every step taken (oldest first)."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        steps = s.execute(select(PhaseTransition).where(PhaseTransition.case_id == case.id)
                          .order_by(PhaseTransition.at, PhaseTransition.id)).scalars()
        history = [PhaseStep(t.from_phase, t.to_phase, t.at, t.reason, t.override_reason,
                             list(t.missing_items or [])) for t in steps]
        closure = None
        if case.phase == "closed":
            labels = {r.code: r.label for r in catalogues.close_reasons()}
            reason = labels.get(case.close_reason, case.close_reason) if case.close_reason \
                else None
            closure = Closure(case.closed_on, reason, case.handover_note)
        return PhaseView(case.phase, history, closure)
