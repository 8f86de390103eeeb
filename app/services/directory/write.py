"""Institution directory, contacts, cooperation agreements and the system-gap register."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.editing import live
from app.vault.store import Vault
from db.models import Contact, CooperationAgreement, CooperationParty, Institution, SystemGap


@dataclass(frozen=True)
class InstitutionRow:
    uuid: str
    name: str
    kind: str
    kind_label: str
    legal_domain: str | None
    municipality: str | None


@dataclass(frozen=True)
class NewInstitution:
    name: str
    kind: str
    municipality: str | None = None
    legal_domain: str | None = None
    address_street: str | None = None
    address_postcode: str | None = None
    address_city: str | None = None
    phone: str | None = None
    email: str | None = None


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


def list_institutions(vault: Vault, municipality: str | None = None) -> list[InstitutionRow]:
    labels = {k.code: k.label for k in catalogues.institution_kinds()}
    query = select(Institution).where(Institution.deleted.is_(False)).order_by(Institution.name)
    if municipality:
        query = query.where(Institution.municipality == municipality)
    with vault.read_session() as s:
        return [InstitutionRow(i.uuid, i.name, i.kind, labels.get(i.kind, i.kind), i.legal_domain,
                               i.municipality) for i in s.execute(query).scalars()]


def _institution_id(s: Session, uuid: str) -> int:
    return int(live(s, Institution, uuid, "Die Institution wurde nicht gefunden.").id)


def add_contact(vault: Vault, institution_uuid: str, name: str, role: str | None = None,
                phone: str | None = None, email: str | None = None) -> str:
    if not name.strip():
        raise ValidationFailed("Bitte den Namen angeben.", "name missing", field="name")
    with vault.session() as s:
        row = Contact(institution_id=_institution_id(s, institution_uuid), name=name.strip(),
                      role=role, phone=phone, email=email)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "contact", row.uuid)
        return row.uuid


@dataclass(frozen=True)
class NewAgreement:
    subject: str
    party_uuids: list[str]
    data_categories: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    signed_on: date | None = None


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
            s.add(CooperationParty(agreement_id=row.id, institution_id=_institution_id(s, uuid)))
        audit.record(s, audit.Kind.RECORD_CREATED, "cooperation_agreement", row.uuid)
        return row.uuid


@dataclass(frozen=True)
class NewSystemGap:
    """A gap in the system, described without personal data (it goes to the steering committee)."""

    category: str
    title: str
    description: str
    legal_domains: list[str] = field(default_factory=list)
    severity: str = "medium"
    noticed_on: date | None = None


def add_system_gap(vault: Vault, new: NewSystemGap) -> str:
    if not new.title.strip() or not new.description.strip():
        raise ValidationFailed("Bitte Titel und Beschreibung angeben.", "title/description missing",
                               field="title")
    with vault.session() as s:
        row = SystemGap(category=new.category, title=new.title.strip(),
                        description=new.description.strip(), legal_domains=new.legal_domains,
                        institution_kinds=[], severity=new.severity, status="open",
                        noticed_on=new.noticed_on or vault.clock.today())
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "system_gap", row.uuid)
        return row.uuid
