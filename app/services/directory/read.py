"""Reads for the directory page: institutions, their contacts, cooperation agreements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import catalogues
from app.vault.store import Vault
from db.models import Contact, CooperationAgreement, CooperationParty, Institution


@dataclass(frozen=True)
class InstitutionEntry:
    uuid: str
    name: str
    kind: str
    kind_label: str
    legal_domain: str | None
    municipality: str | None
    municipality_label: str
    city: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ContactEntry:
    uuid: str
    name: str
    role: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class AgreementEntry:
    uuid: str
    subject: str
    parties: tuple[str, ...]  # institution names
    data_categories: tuple[str, ...]  # German labels
    valid_from: date | None
    valid_until: date | None
    signed_on: date | None


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
