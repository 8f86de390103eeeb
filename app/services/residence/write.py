"""Record a residence status of the client of a case."""

from __future__ import annotations

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.residence.records import NewStatus
from app.vault.store import Vault
from db.models import ResidenceStatus


def add_status(vault: Vault, case_ref: str | int, new: NewStatus) -> str:
    kind = next((k for k in catalogues.status_kinds() if k.code == new.kind), None)
    if kind is None:
        raise ValidationFailed("Bitte die Art des Aufenthaltsstatus wählen.", "unknown status",
                               field="kind")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise ValidationFailed("„Gültig bis“ liegt vor „Gültig ab“.", "valid_until < valid_from",
                               field="valid_until")
    if new.work_permission not in (None, "allowed", "with_consent", "forbidden"):
        raise ValidationFailed("Unbekannte Angabe zur Erwerbstätigkeit.", "bad work permission",
                               field="work_permission")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = ResidenceStatus(person_id=case.person_id, kind=new.kind,
                              legal_basis=new.legal_basis or kind.legal_basis,
                              valid_from=new.valid_from, valid_until=new.valid_until,
                              work_permission=new.work_permission,
                              residence_obligation=new.residence_obligation,
                              document_seen_on=new.document_seen_on, note=new.note)
        s.add(row)
        s.flush()  # every case of the client gets its next deadline (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "residence_status", row.uuid, case=case.uuid)
        return row.uuid
