"""Writing side of the templates domain: a team's version of a template, stored (and audited)
through the ORM like every record, and the way back to the default."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.errors import ValidationFailed
from app.services.editing import apply_changes
from app.services.templates.read import body_of, check_template, default_templates
from app.services.templates.records import Template
from app.vault.store import Vault
from db.models import CertificateTemplate


def save_template(vault: Vault, t: Template) -> None:
    """Store the team's version of ``t`` (a changed default or a template of its own); refused
    with a German message when ``check_template`` refuses it, so a stored template always
    prints."""
    check_template(t)
    values = {"kind": t.kind, "title": t.title, "body": body_of(t), "active": t.active}
    with vault.session() as s:
        row = s.execute(select(CertificateTemplate).where(
            CertificateTemplate.key == t.key)).scalar()
        if row is not None and row.deleted:
            # The key of a tombstone stays taken (it is unique); a tombstone is never revived.
            raise ValidationFailed("Diese Kennung war bereits vergeben. Bitte wählen Sie eine "
                                   "andere.", "template key of a tombstone", field="key")
        if row is None:
            row = CertificateTemplate(key=t.key, **values)
            s.add(row)
            s.flush()
            audit.record(s, audit.Kind.RECORD_CREATED, "certificate_template", row.uuid,
                         template=t.key)
            return
        apply_changes(s, row, values)


def reset_template(vault: Vault, key: str) -> None:
    """The default text again. The team's row stays (a tombstone would keep the key forever)
    and takes the default's content, so the change is audited like any other."""
    default = next((d for d in default_templates() if d.key == key), None)
    if default is None:
        raise ValidationFailed("Für diese Vorlage gibt es keine Standardfassung. Sie können sie "
                               "stattdessen deaktivieren.", f"no default template {key[:40]!r}",
                               field="key")
    with vault.session() as s:
        row = s.execute(select(CertificateTemplate).where(
            CertificateTemplate.key == key, CertificateTemplate.deleted.is_(False))).scalar()
        if row is None:
            return  # never changed: the default applies already
        apply_changes(s, row, {"kind": default.kind, "title": default.title,
                               "body": body_of(default), "active": True})
