"""Record a residence status of the client of a case, correct or remove a wrong one.

A correction is a new entry; the wrong one stays in the timeline, pointing at it
(``superseded_by_id``) with the reason, and no longer counts as the client's status nor drives
follow-ups (``app.services.tasks.queries.current_status``). A removal (an entry that should
never have been made) tombstones the entry; the reason is a code, so the audit log can keep it
without free text that might name a person.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.editing import live, required, tombstone
from app.services.residence.records import REMOVAL_REASONS, NewStatus
from app.vault.store import Vault
from db.models import CaseFile, ResidenceStatus

GONE = "Dieser Aufenthaltsstatus ist nicht mehr vorhanden."


def validated_kind(new: NewStatus) -> catalogues.ResidenceStatusKind:
    """Check a status before it is stored (a new one or a correction); returns its kind."""
    kind = next((k for k in catalogues.status_kinds() if k.code == new.kind), None)
    if kind is None:
        raise ValidationFailed("Bitte die Art des Aufenthaltsstatus wählen.", "unknown status",
                               field="kind")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise ValidationFailed("„Gültig bis“ liegt vor „Gültig ab“.", "valid_until < valid_from",
                               field="valid_until")
    # A missing end date of a paper that runs out silently meant "no follow-up ever": the
    # caseworker must either type it or say that it is not known.
    if kind.expires and new.valid_until is None and not new.end_unknown:
        raise ValidationFailed(
            f"„{kind.label}“ ist befristet: bitte „Gültig bis“ eintragen oder „Ende unbekannt“ "
            "ankreuzen.", "expiring status without end date", field="valid_until")
    if new.end_unknown and new.valid_until is not None:
        raise ValidationFailed("Bitte entweder „Gültig bis“ eintragen oder „Ende unbekannt“ "
                               "ankreuzen, nicht beides.", "end date and end unknown",
                               field="valid_until")
    if new.work_permission not in (None, "allowed", "with_consent", "forbidden"):
        raise ValidationFailed("Unbekannte Angabe zur Erwerbstätigkeit.", "bad work permission",
                               field="work_permission")
    return kind


def status_row(person_id: int, new: NewStatus,
               kind: catalogues.ResidenceStatusKind) -> ResidenceStatus:
    return ResidenceStatus(person_id=person_id, kind=new.kind,
                           legal_basis=new.legal_basis or kind.legal_basis,
                           valid_from=new.valid_from, valid_until=new.valid_until,
                           work_permission=new.work_permission,
                           residence_obligation=new.residence_obligation,
                           document_seen_on=new.document_seen_on, note=new.note)


def add_status(vault: Vault, case_ref: str | int, new: NewStatus) -> str:
    kind = validated_kind(new)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        row = status_row(case.person_id, new, kind)
        s.add(row)
        s.flush()  # every case of the client gets its next deadline (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "residence_status", row.uuid, case=case.uuid)
        return row.uuid


def _entry_of(s: Session, case: CaseFile, status_uuid: str) -> ResidenceStatus:
    row = live(s, ResidenceStatus, status_uuid, GONE)
    if row.person_id != case.person_id:  # a uuid from another client's timeline
        raise ValidationFailed(GONE, f"status {status_uuid} is not of case {case.uuid}")
    return row


def correct_status(vault: Vault, case_ref: str | int, status_uuid: str, new: NewStatus,
                   reason: str) -> str:
    """Replace a wrong entry by ``new``, in one transaction; returns the new entry's uuid."""
    kind = validated_kind(new)
    why = required(reason, "Bitte angeben, warum der Eintrag korrigiert wird.",
                   "correction_reason")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        old = _entry_of(s, case, status_uuid)
        if old.superseded_by_id is not None:
            raise ValidationFailed("Dieser Eintrag wurde bereits korrigiert; bitte die "
                                   "Korrektur korrigieren.", "status already superseded")
        row = status_row(old.person_id, new, kind)
        s.add(row)
        s.flush()
        old.superseded_by_id = row.id
        old.correction_reason = why
        s.flush()  # the next deadline follows the corrected entry (db.derived)
        audit.record(s, audit.Kind.RECORD_CREATED, "residence_status", row.uuid, case=case.uuid,
                     corrects=old.uuid)
        audit.record(s, audit.Kind.RECORD_CORRECTED, "residence_status", old.uuid,
                     case=case.uuid, superseded_by=row.uuid)
        return row.uuid


def remove_status(vault: Vault, case_ref: str | int, status_uuid: str, reason: str) -> None:
    """Tombstone an entry recorded in error; ``reason`` is a key of REMOVAL_REASONS."""
    if reason not in REMOVAL_REASONS:
        raise ValidationFailed("Bitte angeben, warum der Eintrag entfernt wird.",
                               "unknown removal reason", field="reason")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        tombstone(s, _entry_of(s, case, status_uuid), case=case.uuid, reason=reason)
