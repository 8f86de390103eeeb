"""Edit institutions and contacts of the directory (adding lives in app.services.directory)."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import select

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed
from app.services.directory import NewInstitution
from app.services.directory_read import ContactEntry
from app.vault.store import Vault
from db.models import Contact, Institution


def institution_detail(vault: Vault, uuid: str) -> NewInstitution:
    """The editable fields of one institution, shaped like the add form."""
    with vault.session() as s:
        row = s.execute(select(Institution).where(Institution.uuid == uuid,
                                                  Institution.deleted.is_(False))).scalar()
        if row is None:
            raise NotFound("Die Institution wurde nicht gefunden.", f"no institution {uuid}")
        return NewInstitution(**{f.name: getattr(row, f.name) for f in fields(NewInstitution)})


def update_institution(vault: Vault, uuid: str, new: NewInstitution) -> str:
    if not new.name.strip():
        raise ValidationFailed("Bitte den Namen der Institution angeben.", "name missing",
                               field="name")
    if new.kind not in {k.code for k in catalogues.institution_kinds()}:
        raise ValidationFailed("Bitte die Art der Institution wählen.", "unknown institution kind",
                               field="kind")
    with vault.session() as s:
        row = s.execute(select(Institution).where(Institution.uuid == uuid,
                                                  Institution.deleted.is_(False))).scalar()
        if row is None:
            raise NotFound("Die Institution wurde nicht gefunden.", f"no institution {uuid}")
        values = {f.name: getattr(new, f.name) for f in fields(NewInstitution)}
        values["name"] = new.name.strip()
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            audit.record(s, audit.Kind.RECORD_UPDATED, "institution", row.uuid, fields=changed)
        return row.uuid


def contact_detail(vault: Vault, uuid: str) -> ContactEntry:
    with vault.session() as s:
        row = s.execute(select(Contact).where(Contact.uuid == uuid,
                                              Contact.deleted.is_(False))).scalar()
        if row is None:
            raise NotFound("Der Kontakt wurde nicht gefunden.", f"no contact {uuid}")
        return ContactEntry(row.uuid, row.name, row.role, row.phone, row.email)


def update_contact(vault: Vault, uuid: str, name: str, role: str | None = None,
                   phone: str | None = None, email: str | None = None) -> str:
    if not name.strip():
        raise ValidationFailed("Bitte den Namen angeben.", "name missing", field="name")
    with vault.session() as s:
        row = s.execute(select(Contact).where(Contact.uuid == uuid,
                                              Contact.deleted.is_(False))).scalar()
        if row is None:
            raise NotFound("Der Kontakt wurde nicht gefunden.", f"no contact {uuid}")
        values = {"name": name.strip(), "role": role, "phone": phone, "email": email}
        changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
        for key in changed:
            setattr(row, key, values[key])
        if changed:
            audit.record(s, audit.Kind.RECORD_UPDATED, "contact", row.uuid, fields=changed)
        return row.uuid
