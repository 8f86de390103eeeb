"""Add and edit institutions, contacts and cooperation agreements; end or delete an agreement."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed
from app.services.directory.queries import (
    INSTITUTION_GONE,
    institution_id,
    live_agreement,
    parties_of,
)
from app.services.directory.read import CONTACT_GONE
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.editing import apply_changes, live, tombstone
from app.vault.store import Vault
from db.models import Contact, CooperationAgreement, CooperationParty, Institution


def add_institution(vault: Vault, new: NewInstitution) -> str:
    if not new.name.strip():
        raise ValidationFailed("Bitte den Namen der Institution angeben.", "name missing",
                               field="name")
    kind = next((k for k in catalogues.institution_kinds() if k.code == new.kind), None)
    if kind is None:
        raise ValidationFailed("Bitte die Art der Institution wählen.", "unknown institution kind",
                               field="kind")
    with vault.session() as s:
        row = Institution(name=new.name.strip(), kind=new.kind, municipality=new.municipality,
                          legal_domain=new.legal_domain or kind.legal_domain,
                          address_street=new.address_street, address_postcode=new.address_postcode,
                          address_city=new.address_city, phone=new.phone, email=new.email)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "institution", row.uuid)
        return row.uuid


def add_contact(vault: Vault, institution_uuid: str, name: str, role: str | None = None,
                phone: str | None = None, email: str | None = None) -> str:
    if not name.strip():
        raise ValidationFailed("Bitte den Namen angeben.", "name missing", field="name")
    with vault.session() as s:
        row = Contact(institution_id=institution_id(s, institution_uuid), name=name.strip(),
                      role=role, phone=phone, email=email)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "contact", row.uuid)
        return row.uuid


def add_agreement(vault: Vault, new: NewAgreement) -> str:
    if not new.subject.strip() or len(set(new.party_uuids)) < 2:
        raise ValidationFailed("Eine Kooperationsvereinbarung braucht einen Gegenstand und "
                               "mindestens zwei Partner.", "agreement needs subject and 2 parties")
    with vault.session() as s:
        row = CooperationAgreement(subject=new.subject.strip(), valid_from=new.valid_from,
                                   valid_until=new.valid_until, signed_on=new.signed_on,
                                   data_categories=list(new.data_categories))
        s.add(row)
        s.flush()
        for uuid in dict.fromkeys(new.party_uuids):
            s.add(CooperationParty(agreement_id=row.id, institution_id=institution_id(s, uuid)))
        audit.record(s, audit.Kind.RECORD_CREATED, "cooperation_agreement", row.uuid)
        return row.uuid


PARTNER_GONE = "Ein gewählter Partner steht nicht mehr im Verzeichnis."


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


def update_contact(vault: Vault, uuid: str, name: str, role: str | None = None,
                   phone: str | None = None, email: str | None = None) -> str:
    if not name.strip():
        raise ValidationFailed("Bitte den Namen angeben.", "name missing", field="name")
    with vault.session() as s:
        row = live(s, Contact, uuid, CONTACT_GONE)
        apply_changes(s, row, {"name": name.strip(), "role": role, "phone": phone,
                               "email": email})
        return row.uuid


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
        row = live_agreement(s, uuid)
        values: dict[str, object] = {
            "subject": new.subject.strip(), "valid_from": new.valid_from,
            "valid_until": new.valid_until, "signed_on": new.signed_on,
            "data_categories": list(dict.fromkeys(new.data_categories))}
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name in changed:
            setattr(row, name, values[name])
        wanted = list(dict.fromkeys(new.party_uuids))
        current = parties_of(s, row.id)
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
        row = live_agreement(s, uuid)
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
        row = live_agreement(s, uuid)
        for party, _ in parties_of(s, row.id):
            party.deleted = True
        tombstone(s, row)
