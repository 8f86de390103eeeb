"""Reads for the directory page and its forms: institutions, contacts, agreements."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import select

from app import catalogues
from app.services.directory.queries import INSTITUTION_GONE, live_agreement, parties_of
from app.services.directory.records import (
    AgreementEntry,
    ContactEntry,
    InstitutionEntry,
    NewAgreement,
    NewInstitution,
)
from app.services.editing import live
from app.vault.store import Vault
from db.models import Contact, CooperationAgreement, CooperationParty, Institution


def municipality_label(code: str | None) -> str:
    if not code:
        return ""
    return next((m.label for m in catalogues.municipalities() if m.code == code), code)


def institutions(vault: Vault, municipality: str | None = None) -> list[InstitutionEntry]:
    kinds = {k.code: k.label for k in catalogues.institution_kinds()}
    query = select(Institution).where(Institution.deleted.is_(False)).order_by(
        Institution.name, Institution.id)
    if municipality:
        query = query.where(Institution.municipality == municipality)
    with vault.read_session() as s:
        return [InstitutionEntry(i.uuid, i.name, i.kind, kinds.get(i.kind, i.kind),
                                 i.legal_domain, i.municipality,
                                 municipality_label(i.municipality), i.address_city, i.phone,
                                 i.email) for i in s.execute(query).scalars()]


def contacts_of(vault: Vault, institution_uuid: str) -> list[ContactEntry]:
    with vault.read_session() as s:
        rows = s.execute(select(Contact).join(Institution, Institution.id == Contact.institution_id)
                         .where(Institution.uuid == institution_uuid, Contact.deleted.is_(False))
                         .order_by(Contact.name, Contact.id)).scalars()
        return [ContactEntry(c.uuid, c.name, c.role, c.phone, c.email) for c in rows]


def agreements(vault: Vault, institution_uuid: str | None = None) -> list[AgreementEntry]:
    """All agreements, or those the given institution is a party to."""
    labels = {c.code: c.label for c in catalogues.data_categories()}
    with vault.read_session() as s:
        query = select(CooperationAgreement).where(CooperationAgreement.deleted.is_(False))
        if institution_uuid:
            query = query.where(CooperationAgreement.id.in_(
                select(CooperationParty.agreement_id)
                .join(Institution, Institution.id == CooperationParty.institution_id)
                .where(Institution.uuid == institution_uuid,
                       CooperationParty.deleted.is_(False))))
        found = s.execute(query.order_by(CooperationAgreement.subject,
                                         CooperationAgreement.id)).scalars().all()
        parties: dict[int, list[str]] = {}
        if found:
            for agreement_id, name in s.execute(
                    select(CooperationParty.agreement_id, Institution.name)
                    .join(Institution, Institution.id == CooperationParty.institution_id)
                    .where(CooperationParty.agreement_id.in_([a.id for a in found]),
                           CooperationParty.deleted.is_(False))
                    .order_by(Institution.name)):
                if name not in parties.setdefault(agreement_id, []):
                    parties[agreement_id].append(name)
        return [AgreementEntry(a.uuid, a.subject, tuple(parties.get(a.id, [])),
                               tuple(labels.get(c, c) for c in a.data_categories or []),
                               a.valid_from, a.valid_until, a.signed_on) for a in found]


def institution_detail(vault: Vault, uuid: str) -> NewInstitution:
    """The editable fields of one institution, shaped like the add form."""
    with vault.read_session() as s:
        row = live(s, Institution, uuid, INSTITUTION_GONE)
        return NewInstitution(**{f.name: getattr(row, f.name) for f in fields(NewInstitution)})


def contact_detail(vault: Vault, uuid: str) -> ContactEntry:
    with vault.read_session() as s:
        row = live(s, Contact, uuid, CONTACT_GONE)
        return ContactEntry(row.uuid, row.name, row.role, row.phone, row.email)


def agreement_detail(vault: Vault, uuid: str) -> NewAgreement:
    """The editable fields of one agreement, shaped like the add form."""
    with vault.read_session() as s:
        row = live_agreement(s, uuid)
        parties = list(dict.fromkeys(inst_uuid for _, inst_uuid in parties_of(s, row.id)))
        return NewAgreement(row.subject, parties, list(row.data_categories or []),
                            row.valid_from, row.valid_until, row.signed_on)


CONTACT_GONE = "Der Kontakt wurde nicht gefunden."
