"""The Protokoll speaks German: every field name an audit entry can carry has a German label."""

from __future__ import annotations

from app import audit
from app.field_labels import FIELD_LABELS
from app.services.audit.read import OBJECT_LABELS, describe
from app.services.cases.write import CASE_FIELDS, PERSON_FIELDS
from db.base import Base, SyncMixin

# Bookkeeping every synchronised row has; no service audits a change of them.
SYNC_COLUMNS = {"id", "uuid", "origin_vault", "changed_by_vault", "version_vector",
                "field_stamps", "deleted", "created_at", "updated_at"}


def audited_models() -> list[type[SyncMixin]]:
    """Every model whose records the audit log names (object_type is the table name)."""
    models = [m.class_ for m in Base.registry.mappers
              if issubclass(m.class_, SyncMixin) and m.class_.__tablename__ in OBJECT_LABELS]
    return sorted(models, key=lambda m: str(m.__tablename__))


def test_every_column_of_every_audited_model_has_a_german_label() -> None:
    models = audited_models()
    assert {"case_file", "person", "journal_entry", "residence_status", "task", "consent",
            "goal", "attachment"} <= {str(m.__tablename__) for m in models}
    names = {c.name for m in models for c in m.__table__.columns} - SYNC_COLUMNS
    names |= CASE_FIELDS | PERSON_FIELDS  # what update_case / update_person may name
    missing = sorted(n for n in names if n not in FIELD_LABELS)
    assert missing == [], f"fields without a German label: {missing}"
    for name in names:
        label = FIELD_LABELS[name]
        assert label != name and "_" not in label, (name, label)


def test_describe_names_the_changed_fields_in_german() -> None:
    label, detail = describe(audit.Kind.CASE_UPDATED, "case",
                             {"fields": ["access_route", "indication"]})
    assert (label, detail) == ("Falldaten geändert", "Geändert: Zugangsweg, Indikation")
    label, detail = describe(audit.Kind.RECORD_UPDATED, "case_file", {"fields": ["due_on"]})
    assert (label, detail) == ("Geändert: Fallakte", "Geändert: Fällig am")
    _label, detail = describe(audit.Kind.CASE_READ, "case", {"section": "documentation"})
    assert detail == "Klärung & Vereinbarungen"
