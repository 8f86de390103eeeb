"""Edit institutions, contacts and cooperation agreements of the directory; end or delete an
agreement (adding lives in app.services.directory.write)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed
from app.services.directory.read import ContactEntry
from app.services.directory.write import NewAgreement, NewInstitution
from app.services.editing import apply_changes, live, tombstone
from app.vault.store import Vault
from db.models import Contact, CooperationAgreement, CooperationParty, Institution

INSTITUTION_GONE = "Die Institution wurde nicht gefunden."
CONTACT_GONE = "Der Kontakt wurde nicht gefunden."
PARTNER_GONE = "Ein gewählter Partner steht nicht mehr im Verzeichnis."


def institution_detail(vault: Vault, uuid: str) -> NewInstitution:
    """The editable fields of one institution, shaped like the add form."""
    with vault.read_session() as s:
        row = live(s, Institution, uuid, INSTITUTION_GONE)
        return NewInstitution(**{f.name: getattr(row, f.name) for f in fields(NewInstitution)})


def update_institution(vault: Vault, uuid: str, new: NewInstitution) -> str:
    if not new.name.strip():
        raise ValidationFailed("Bitte den Namen der Institution angeben.", "name missing",
                               field="name")
    if new.kind not in {k.code for k in catalogues.institution_kinds()}:
        raise ValidationFailed("Bitte die Art der Institution wählen.", "unknown institution kind",
                               field="kind")
    with vault.session() as s:
        row = live(s, Institution, uuid, INSTITUTION_GONE)
        values = {f.name: getattr(new, f.name) for f in fields(NewInstitution)}
        values["name"] = new.name.strip()
        apply_changes(s, row, values)
        return row.uuid


def contact_detail(vault: Vault, uuid: str) -> ContactEntry:
    with vault.read_session() as s:
        row = live(s, Contact, uuid, CONTACT_GONE)
        return ContactEntry(row.uuid, row.name, row.role, row.phone, row.email)


def update_contact(vault: Vault, uuid: str, name: str, role: str | None = None,
                   phone: str | None = None, email: str | None = None) -> str:
    if not name.strip():
        raise ValidationFailed("Bitte den Namen angeben.", "name missing", field="name")
    with vault.session() as s:
        row = live(s, Contact, uuid, CONTACT_GONE)
        apply_changes(s, row, {"name": name.strip(), "role": role, "phone": phone,
                               "email": email})
        return row.uuid


# --- cooperation agreements ------------------------------------------------------------------


def _agreement(s: Session, uuid: str) -> CooperationAgreement:
    return live(s, CooperationAgreement, uuid,
                "Die Kooperationsvereinbarung wurde nicht gefunden.")


def _parties(s: Session, agreement_id: int) -> list[tuple[CooperationParty, str]]:
    """The agreement's live party rows with their institution's uuid."""
    return [(party, inst_uuid) for party, inst_uuid in s.execute(
        select(CooperationParty, Institution.uuid)
        .join(Institution, Institution.id == CooperationParty.institution_id)
        .where(CooperationParty.agreement_id == agreement_id,
               CooperationParty.deleted.is_(False)).order_by(CooperationParty.id)).tuples()]


def agreement_detail(vault: Vault, uuid: str) -> NewAgreement:
    """The editable fields of one agreement, shaped like the add form."""
    with vault.read_session() as s:
        row = _agreement(s, uuid)
        parties = list(dict.fromkeys(inst_uuid for _, inst_uuid in _parties(s, row.id)))
        return NewAgreement(row.subject, parties, list(row.data_categories or []),
                            row.valid_from, row.valid_until, row.signed_on)


def _check_agreement(new: NewAgreement) -> None:
    if not new.subject.strip():
        raise ValidationFailed("Bitte den Gegenstand der Vereinbarung angeben.",
                               "subject missing", field="subject")
    if len(set(new.party_uuids)) < 2:
        raise ValidationFailed("Eine Kooperationsvereinbarung braucht mindestens zwei Partner.",
                               "agreement needs 2 parties", field="party_uuids")
    known = {c.code for c in catalogues.data_categories()}
    if set(new.data_categories) - known:
        raise ValidationFailed("Unbekannte Datenkategorie.", "unknown data category",
                               field="data_categories")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise ValidationFailed("„Gültig bis“ liegt vor „Gültig ab“.",
                               "valid_until before valid_from", field="valid_until")


def update_agreement(vault: Vault, uuid: str, new: NewAgreement) -> str:
    """Replace subject, validity, data categories, signature date and parties."""
    _check_agreement(new)
    with vault.session() as s:
        row = _agreement(s, uuid)
        values: dict[str, object] = {
            "subject": new.subject.strip(), "valid_from": new.valid_from,
            "valid_until": new.valid_until, "signed_on": new.signed_on,
            "data_categories": list(dict.fromkeys(new.data_categories))}
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name in changed:
            setattr(row, name, values[name])
        wanted = list(dict.fromkeys(new.party_uuids))
        current = _parties(s, row.id)
        # Parties are rows of their own (they sync separately): tombstone the dropped ones.
        for party, inst_uuid in current:
            if inst_uuid not in wanted:
                party.deleted = True
        present = {inst_uuid for _, inst_uuid in current}
        for inst_uuid in wanted:
            if inst_uuid not in present:
                try:
                    institution = live(s, Institution, inst_uuid, PARTNER_GONE)
                except NotFound as exc:  # shown at the field: another partner is to be chosen
                    raise ValidationFailed(exc.message_de, exc.detail_en,
                                           field="party_uuids") from exc
                s.add(CooperationParty(agreement_id=row.id, institution_id=institution.id))
        if set(wanted) != present:
            changed.append("parties")
        if changed:
            audit.record(s, audit.Kind.RECORD_UPDATED, "cooperation_agreement", row.uuid,
                         fields=changed)
        return row.uuid


def end_agreement(vault: Vault, uuid: str, on: date) -> None:
    """The agreement stays on record but is valid only until ``on``."""
    with vault.session() as s:
        row = _agreement(s, uuid)
        if row.valid_from and on < row.valid_from:
            raise ValidationFailed("Die Vereinbarung gilt erst ab "
                                   f"{row.valid_from:%d.%m.%Y}; sie kann nicht vorher enden.",
                                   "end before valid_from", field="valid_until")
        row.valid_until = on
        audit.record(s, audit.Kind.RECORD_UPDATED, "cooperation_agreement", row.uuid,
                     fields=["valid_until"], ended=True)


def delete_agreement(vault: Vault, uuid: str) -> None:
    """Tombstone an agreement entered by mistake, with its parties."""
    with vault.session() as s:
        row = _agreement(s, uuid)
        for party, _ in _parties(s, row.id):
            party.deleted = True
        tombstone(s, row)
