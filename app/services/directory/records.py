"""Records of the directory domain: institutions, contacts, cooperation agreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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


@dataclass(frozen=True)
class NewAgreement:
    subject: str
    party_uuids: list[str]
    data_categories: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    signed_on: date | None = None
