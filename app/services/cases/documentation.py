"""The case-level documentation the DGCC phases ask for (intake, plan, evaluation, closing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app import audit
from app.services.cases.write import resolve_case
from app.vault.store import Vault

# The case fields a caseworker documents directly; update them with cases.update_case.
DOCUMENTATION_FIELDS = (
    "access_route", "indication", "complex_needs", "several_agencies",
    "regular_services_insufficient", "dp_info_given_on", "dp_info_language",
    "working_agreement_on", "plan_signed_on", "client_feedback", "handover_note",
)


@dataclass(frozen=True)
class CaseDocumentation:
    case_id: int
    values: dict[str, str | bool | date | None]


def case_documentation(vault: Vault, case_ref: str | int) -> CaseDocumentation:
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        values = {name: getattr(case, name) for name in DOCUMENTATION_FIELDS}
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section="documentation")
        return CaseDocumentation(case.id, values)
