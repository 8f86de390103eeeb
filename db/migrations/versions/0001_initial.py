"""Initial schema: every table of the domain model, full-text search, audit-log protection.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Frozen: written from the models of this release (autogenerate, then cleaned by hand) and never
changed afterwards; later changes go into new revisions. It deliberately does not import
``db.models`` or ``db.base``, so a later change of a model cannot rewrite history.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create_synced(name: str, *elements: sa.schema.SchemaItem) -> None:
    """A replicated table: db.base.SyncMixin's columns first, then the table's own."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column("origin_vault", sa.String(length=32), nullable=False),
        sa.Column("changed_by_vault", sa.String(length=32), nullable=False),
        sa.Column("version_vector", sa.JSON(), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *elements,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("uuid", name=op.f(f"uq_{name}_uuid")),
    )


def upgrade() -> None:
    _create_tables()
    for statement in (*CASE_SEARCH, *JOURNAL_SEARCH, *AUDIT_APPEND_ONLY):
        op.execute(statement)


def _create_tables() -> None:
    _create_synced(
        "attachment",
        sa.Column("owner_table", sa.Text(), nullable=False),
        sa.Column("owner_uuid", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        op.f("ix_attachment_owner_table_owner_uuid"), "attachment", ["owner_table", "owner_uuid"]
    )

    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("object_type", sa.Text(), nullable=True),
        sa.Column("object_uuid", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_kind"), "audit_log", ["kind"])
    op.create_index(op.f("ix_audit_log_object_uuid"), "audit_log", ["object_uuid"])

    op.create_table(
        "bundle_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_uuid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("sender_device", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_receipt")),
        sa.UniqueConstraint("bundle_uuid", name=op.f("uq_bundle_receipt_bundle_uuid")),
    )

    _create_synced(
        "case_manager",
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )

    _create_synced(
        "catalogue_entry",
        sa.Column("catalogue", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("catalogue", "code", name=op.f("uq_catalogue_entry_catalogue")),
    )

    op.create_table(
        "device_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("signing_private", sa.LargeBinary(), nullable=False),
        sa.Column("signing_public", sa.LargeBinary(), nullable=False),
        sa.Column("encryption_private", sa.LargeBinary(), nullable=False),
        sa.Column("encryption_public", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_identity")),
    )

    _create_synced(
        "household",
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("address_street", sa.Text(), nullable=True),
        sa.Column("address_postcode", sa.Text(), nullable=True),
        sa.Column("address_city", sa.Text(), nullable=True),
    )

    _create_synced(
        "institution",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("legal_domain", sa.Text(), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("address_street", sa.Text(), nullable=True),
        sa.Column("address_postcode", sa.Text(), nullable=True),
        sa.Column("address_city", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index(op.f("ix_institution_kind"), "institution", ["kind"])

    op.create_table(
        "number_sequence",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_number_sequence")),
    )

    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("row_uuid", sa.String(length=32), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("local_value", sa.JSON(), nullable=True),
        sa.Column("remote_value", sa.JSON(), nullable=True),
        sa.Column("remote_stamp", sa.JSON(), nullable=True),
        sa.Column("remote_vault", sa.String(length=32), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_row_uuid"), "sync_conflict", ["row_uuid"])

    _create_synced(
        "system_gap",
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("legal_domains", sa.JSON(), nullable=False),
        sa.Column("institution_kinds", sa.JSON(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
    )

    op.create_table(
        "vault_meta",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_vault_meta")),
    )

    _create_synced(
        "conference",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("chair_staff_id", sa.Integer(), nullable=True),
        sa.Column("chair_text", sa.Text(), nullable=True),
        sa.Column("minute_taker_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by_text", sa.Text(), nullable=True),
        sa.Column("minutes_locked", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'held', 'minutes_drafted', 'minutes_approved')",
            name=op.f("ck_conference_status"),
        ),
        sa.ForeignKeyConstraint(
            ["chair_staff_id"],
            ["case_manager.id"],
            name=op.f("fk_conference_chair_staff_id_case_manager"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_conference_chair_staff_id"), "conference", ["chair_staff_id"])
    op.create_index(op.f("ix_conference_scheduled_at"), "conference", ["scheduled_at"])

    _create_synced(
        "contact",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_contact_institution_id_institution"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_contact_institution_id"), "contact", ["institution_id"])

    _create_synced(
        "cooperation_agreement",
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_cooperation_agreement_attachment_id_attachment"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_cooperation_agreement_attachment_id"), "cooperation_agreement", ["attachment_id"]
    )

    _create_synced(
        "person",
        sa.Column("given_names", sa.Text(), nullable=False),
        sa.Column("family_name", sa.Text(), nullable=False),
        sa.Column("birth_name", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("place_of_birth", sa.Text(), nullable=True),
        sa.Column("nationality", sa.Text(), nullable=True),
        sa.Column("gender", sa.Text(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("address_street", sa.Text(), nullable=True),
        sa.Column("address_postcode", sa.Text(), nullable=True),
        sa.Column("address_city", sa.Text(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("household_role", sa.Text(), nullable=True),
        sa.Column("sort_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_person_household_id_household"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_person_household_id"), "person", ["household_id"])
    op.create_index(op.f("ix_person_sort_key_id"), "person", ["sort_key", "id"])

    _create_synced(
        "case_file",
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("target_group", sa.Text(), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("case_manager_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("handover_note", sa.Text(), nullable=True),
        sa.Column("retention_until", sa.Date(), nullable=True),
        sa.Column("access_route", sa.Text(), nullable=True),
        sa.Column("indication", sa.Text(), nullable=True),
        sa.Column("complex_needs", sa.Boolean(), nullable=False),
        sa.Column("several_agencies", sa.Boolean(), nullable=False),
        sa.Column("regular_services_insufficient", sa.Boolean(), nullable=False),
        sa.Column("dp_info_given_on", sa.Date(), nullable=True),
        sa.Column("dp_info_language", sa.Text(), nullable=True),
        sa.Column("working_agreement_on", sa.Date(), nullable=True),
        sa.Column("plan_signed_on", sa.Date(), nullable=True),
        sa.Column("client_feedback", sa.Text(), nullable=True),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.Column("next_deadline", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "phase IN ('intake', 'assessment', 'planning', 'linking', 'monitoring', 'evaluation', 'closed')",
            name=op.f("ck_case_file_phase"),
        ),
        sa.ForeignKeyConstraint(
            ["case_manager_id"],
            ["case_manager.id"],
            name=op.f("fk_case_file_case_manager_id_case_manager"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_case_file_household_id_household"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_case_file_person_id_person")
        ),
        sa.UniqueConstraint("case_number", name=op.f("uq_case_file_case_number")),
    )
    op.create_index(op.f("ix_case_file_case_manager_id"), "case_file", ["case_manager_id"])
    op.create_index(op.f("ix_case_file_household_id"), "case_file", ["household_id"])
    op.create_index(op.f("ix_case_file_next_deadline"), "case_file", ["next_deadline"])
    op.create_index(op.f("ix_case_file_person_id"), "case_file", ["person_id"])
    op.create_index(op.f("ix_case_file_phase"), "case_file", ["phase"])
    op.create_index(op.f("ix_case_file_retention_until"), "case_file", ["retention_until"])
    op.create_index(op.f("ix_case_file_sort_name_id"), "case_file", ["sort_name", "id"])

    _create_synced(
        "conference_amendment",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_conference_amendment_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "conference_id", "number", name=op.f("uq_conference_amendment_conference_id")
        ),
    )

    _create_synced(
        "conference_distribution",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("recipient_name", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_conference_distribution_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_conference_distribution_institution_id_institution"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_conference_distribution_conference_id"),
        "conference_distribution",
        ["conference_id"],
    )
    op.create_index(
        op.f("ix_conference_distribution_institution_id"),
        "conference_distribution",
        ["institution_id"],
    )

    _create_synced(
        "conference_participant",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("attendance", sa.Text(), nullable=True),
        sa.Column("is_client", sa.Boolean(), nullable=False),
        sa.Column("is_interpreter", sa.Boolean(), nullable=False),
        sa.Column("may_see_all", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_conference_participant_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_conference_participant_institution_id_institution"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_conference_participant_conference_id"), "conference_participant", ["conference_id"]
    )
    op.create_index(
        op.f("ix_conference_participant_institution_id"),
        "conference_participant",
        ["institution_id"],
    )

    _create_synced(
        "cooperation_party",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["cooperation_agreement.id"],
            name=op.f("fk_cooperation_party_agreement_id_cooperation_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_cooperation_party_institution_id_institution"),
        ),
    )
    op.create_index(
        op.f("ix_cooperation_party_agreement_id"), "cooperation_party", ["agreement_id"]
    )
    op.create_index(
        op.f("ix_cooperation_party_institution_id"), "cooperation_party", ["institution_id"]
    )

    _create_synced(
        "residence_status",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("residence_obligation", sa.Text(), nullable=True),
        sa.Column("work_permission", sa.Text(), nullable=True),
        sa.Column("document_seen_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "work_permission IN ('allowed', 'with_consent', 'forbidden')",
            name=op.f("ck_residence_status_work_permission"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_residence_status_person_id_person"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_residence_status_person_id"), "residence_status", ["person_id"])
    op.create_index(op.f("ix_residence_status_valid_until"), "residence_status", ["valid_until"])

    _create_synced(
        "assessment",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("life_domain", sa.Text(), nullable=False),
        sa.Column("resources", sa.Text(), nullable=True),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("client_view", sa.Text(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("is_reassessment", sa.Boolean(), nullable=False),
        sa.Column("confided", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_assessment_case_id_case_file"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_assessment_case_id"), "assessment", ["case_id"])

    _create_synced(
        "certificate",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("verification_code", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("signer_public", sa.LargeBinary(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_certificate_case_id_case_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["case_manager.id"],
            name=op.f("fk_certificate_issued_by_id_case_manager"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_certificate_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["case_manager.id"],
            name=op.f("fk_certificate_staff_id_case_manager"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("serial", name=op.f("uq_certificate_serial")),
    )
    op.create_index(op.f("ix_certificate_case_id"), "certificate", ["case_id"])
    op.create_index(op.f("ix_certificate_issued_by_id"), "certificate", ["issued_by_id"])
    op.create_index(op.f("ix_certificate_person_id"), "certificate", ["person_id"])
    op.create_index(op.f("ix_certificate_staff_id"), "certificate", ["staff_id"])
    op.create_index(op.f("ix_certificate_verification_code"), "certificate", ["verification_code"])

    _create_synced(
        "conference_agenda_item",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.Text(), nullable=True),
        sa.Column("legal_basis_note", sa.Text(), nullable=True),
        sa.Column("state_of_affairs", sa.JSON(), nullable=False),
        sa.Column("resources_goals", sa.Text(), nullable=True),
        sa.Column("disagreements", sa.Text(), nullable=True),
        sa.Column("system_gap_notes", sa.Text(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_conference_agenda_item_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_conference_agenda_item_conference_id_conference"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        op.f("ix_conference_agenda_item_case_id"), "conference_agenda_item", ["case_id"]
    )
    op.create_index(
        op.f("ix_conference_agenda_item_conference_id"), "conference_agenda_item", ["conference_id"]
    )

    _create_synced(
        "consent",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("info_sheet_language", sa.Text(), nullable=True),
        sa.Column("interpreter_present", sa.Boolean(), nullable=False),
        sa.Column("form_attachment_id", sa.Integer(), nullable=True),
        sa.Column("covers_confided", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_consent_case_id_case_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["form_attachment_id"],
            ["attachment.id"],
            name=op.f("fk_consent_form_attachment_id_attachment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_consent_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consent_person_id_person"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_consent_case_id"), "consent", ["case_id"])
    op.create_index(op.f("ix_consent_form_attachment_id"), "consent", ["form_attachment_id"])
    op.create_index(op.f("ix_consent_institution_id"), "consent", ["institution_id"])
    op.create_index(
        op.f("ix_consent_person_id_institution_id"), "consent", ["person_id", "institution_id"]
    )

    _create_synced(
        "goal",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("life_domain", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("responsible", sa.Text(), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attainment", sa.Text(), nullable=True),
        sa.Column("attainment_note", sa.Text(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "attainment IN ('erreicht', 'teilweise', 'nicht_erreicht')",
            name=op.f("ck_goal_attainment"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_goal_case_id_case_file"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_goal_case_id"), "goal", ["case_id"])

    _create_synced(
        "journal_entry",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("contact_kind", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("interpreter_used", sa.Boolean(), nullable=False),
        sa.Column("interpreter_language", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("entry_kind", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("system_gap_id", sa.Integer(), nullable=True),
        sa.Column("confided", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["case_manager.id"], name=op.f("fk_journal_entry_author_id_case_manager")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_journal_entry_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["system_gap_id"],
            ["system_gap.id"],
            name=op.f("fk_journal_entry_system_gap_id_system_gap"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_journal_entry_author_id"), "journal_entry", ["author_id"])
    op.create_index(
        op.f("ix_journal_entry_case_id_occurred_at"), "journal_entry", ["case_id", "occurred_at"]
    )
    op.create_index(op.f("ix_journal_entry_occurred_at"), "journal_entry", ["occurred_at"])
    op.create_index(op.f("ix_journal_entry_system_gap_id"), "journal_entry", ["system_gap_id"])

    _create_synced(
        "legal_basis",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("data_category", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_legal_basis_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_legal_basis_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["case_manager.id"],
            name=op.f("fk_legal_basis_recorded_by_id_case_manager"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_legal_basis_case_id"), "legal_basis", ["case_id"])
    op.create_index(op.f("ix_legal_basis_institution_id"), "legal_basis", ["institution_id"])
    op.create_index(op.f("ix_legal_basis_recorded_by_id"), "legal_basis", ["recorded_by_id"])

    _create_synced(
        "phase_transition",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_phase", sa.String(length=16), nullable=True),
        sa.Column("to_phase", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_staff_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("missing_items", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "from_phase IN ('intake', 'assessment', 'planning', 'linking', 'monitoring', 'evaluation', 'closed')",
            name=op.f("ck_phase_transition_from_phase"),
        ),
        sa.CheckConstraint(
            "to_phase IN ('intake', 'assessment', 'planning', 'linking', 'monitoring', 'evaluation', 'closed')",
            name=op.f("ck_phase_transition_to_phase"),
        ),
        sa.ForeignKeyConstraint(
            ["by_staff_id"],
            ["case_manager.id"],
            name=op.f("fk_phase_transition_by_staff_id_case_manager"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_phase_transition_case_id_case_file"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_phase_transition_by_staff_id"), "phase_transition", ["by_staff_id"])
    op.create_index(op.f("ix_phase_transition_case_id_at"), "phase_transition", ["case_id", "at"])

    _create_synced(
        "system_gap_case",
        sa.Column("system_gap_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_system_gap_case_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["system_gap_id"],
            ["system_gap.id"],
            name=op.f("fk_system_gap_case_system_gap_id_system_gap"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_system_gap_case_case_id"), "system_gap_case", ["case_id"])
    op.create_index(op.f("ix_system_gap_case_system_gap_id"), "system_gap_case", ["system_gap_id"])

    _create_synced(
        "conference_decision",
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("by_when", sa.Date(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["conference_agenda_item.id"],
            name=op.f("fk_conference_decision_agenda_item_id_conference_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
            name=op.f("fk_conference_decision_task_id_task"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_conference_decision_agenda_item_id"), "conference_decision", ["agenda_item_id"]
    )
    op.create_index(op.f("ix_conference_decision_task_id"), "conference_decision", ["task_id"])

    _create_synced(
        "consent_scope",
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("data_category", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent.id"],
            name=op.f("fk_consent_scope_consent_id_consent"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        op.f("ix_consent_scope_consent_id_data_category"),
        "consent_scope",
        ["consent_id", "data_category"],
    )

    _create_synced(
        "disclosure",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("data_category", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("disclosed_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("legal_basis_id", sa.Integer(), nullable=True),
        sa.Column("conference_id", sa.Integer(), nullable=True),
        sa.Column("by_staff_id", sa.Integer(), nullable=True),
        sa.Column("warning_acknowledged", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_staff_id"],
            ["case_manager.id"],
            name=op.f("fk_disclosure_by_staff_id_case_manager"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_disclosure_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_disclosure_conference_id_conference"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consent.id"], name=op.f("fk_disclosure_consent_id_consent")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_disclosure_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["legal_basis_id"],
            ["legal_basis.id"],
            name=op.f("fk_disclosure_legal_basis_id_legal_basis"),
        ),
    )
    op.create_index(op.f("ix_disclosure_by_staff_id"), "disclosure", ["by_staff_id"])
    op.create_index(op.f("ix_disclosure_case_id"), "disclosure", ["case_id"])
    op.create_index(op.f("ix_disclosure_conference_id"), "disclosure", ["conference_id"])
    op.create_index(op.f("ix_disclosure_consent_id"), "disclosure", ["consent_id"])
    op.create_index(op.f("ix_disclosure_disclosed_at"), "disclosure", ["disclosed_at"])
    op.create_index(op.f("ix_disclosure_institution_id"), "disclosure", ["institution_id"])
    op.create_index(op.f("ix_disclosure_legal_basis_id"), "disclosure", ["legal_basis_id"])

    _create_synced(
        "measure",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible_institution_id", sa.Integer(), nullable=True),
        sa.Column("responsible_text", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_measure_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["responsible_institution_id"],
            ["institution.id"],
            name=op.f("fk_measure_responsible_institution_id_institution"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_measure_goal_id"), "measure", ["goal_id"])
    op.create_index(
        op.f("ix_measure_responsible_institution_id"), "measure", ["responsible_institution_id"]
    )

    _create_synced(
        "referral",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("legal_basis_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_referral_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent.id"],
            name=op.f("fk_referral_consent_id_consent"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_referral_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_referral_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["legal_basis_id"],
            ["legal_basis.id"],
            name=op.f("fk_referral_legal_basis_id_legal_basis"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_referral_case_id"), "referral", ["case_id"])
    op.create_index(op.f("ix_referral_consent_id"), "referral", ["consent_id"])
    op.create_index(op.f("ix_referral_contact_id"), "referral", ["contact_id"])
    op.create_index(op.f("ix_referral_institution_id"), "referral", ["institution_id"])
    op.create_index(op.f("ix_referral_legal_basis_id"), "referral", ["legal_basis_id"])

    _create_synced(
        "training_record",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.Text(), nullable=False),
        sa.Column("module", sa.Text(), nullable=False),
        sa.Column("teaching_units", sa.Integer(), nullable=False),
        sa.Column("presence_units", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("institute", sa.Text(), nullable=True),
        sa.Column("institute_recognised", sa.Boolean(), nullable=False),
        sa.Column("practice_case_done", sa.Boolean(), nullable=False),
        sa.Column("colloquium_on", sa.Date(), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_training_record_certificate_id_certificate"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["case_manager.id"],
            name=op.f("fk_training_record_staff_id_case_manager"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        op.f("ix_training_record_certificate_id"), "training_record", ["certificate_id"]
    )
    op.create_index(op.f("ix_training_record_staff_id"), "training_record", ["staff_id"])

    _create_synced(
        "task",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("residence_status_id", sa.Integer(), nullable=True),
        sa.Column("assignee_text", sa.Text(), nullable=True),
        sa.Column("assignee_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_staff_id"],
            ["case_manager.id"],
            name=op.f("fk_task_assignee_staff_id_case_manager"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_task_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["conference_decision.id"],
            name=op.f("fk_task_decision_id_conference_decision"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["residence_status_id"],
            ["residence_status.id"],
            name=op.f("fk_task_residence_status_id_residence_status"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_task_assignee_staff_id"), "task", ["assignee_staff_id"])
    op.create_index(op.f("ix_task_case_id"), "task", ["case_id"])
    op.create_index(op.f("ix_task_decision_id"), "task", ["decision_id"])
    op.create_index(op.f("ix_task_due_on"), "task", ["due_on"])
    op.create_index(op.f("ix_task_residence_status_id"), "task", ["residence_status_id"])


# --- Full-text search --------------------------------------------------------------------------
# Contentless FTS5 tables (no second copy of names or journal text) kept exact by triggers.
# lotse_fold() is the Python folding function the engine registers on every connection; folding
# in Python goes beyond unicode61's remove_diacritics (ü → u/ue, ß → ss, ...), so the tokenizer
# itself must not remove diacritics. Tombstoned rows (deleted = 1) are taken out of the index.

# rowid = case_file.id
_CASE_TERMS = (
    "lotse_fold(p.family_name || ' ' || p.given_names || ' ' || coalesce(p.birth_name, ''))"
    " || ' ' || lower(c.case_number)"
)
_CASE_TERMS_NEW = _CASE_TERMS.replace("c.", "new.")
_CASE_TERMS_PERSON = _CASE_TERMS.replace("p.", "new.")

CASE_SEARCH = (
    "CREATE VIRTUAL TABLE case_search USING fts5(terms, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')",
    f"""CREATE TRIGGER case_search_ai AFTER INSERT ON case_file WHEN new.deleted = 0 BEGIN
        INSERT INTO case_search(rowid, terms)
        SELECT new.id, {_CASE_TERMS_NEW} FROM person AS p WHERE p.id = new.person_id;
    END""",
    f"""CREATE TRIGGER case_search_au AFTER UPDATE OF case_number, person_id, deleted
    ON case_file BEGIN
        DELETE FROM case_search WHERE rowid = old.id;
        INSERT INTO case_search(rowid, terms)
        SELECT new.id, {_CASE_TERMS_NEW} FROM person AS p
        WHERE p.id = new.person_id AND new.deleted = 0;
    END""",
    """CREATE TRIGGER case_search_ad AFTER DELETE ON case_file BEGIN
        DELETE FROM case_search WHERE rowid = old.id;
    END""",
    # A renamed person is found under the new name in every one of their cases.
    f"""CREATE TRIGGER case_search_person_au AFTER UPDATE OF family_name, given_names, birth_name
    ON person BEGIN
        DELETE FROM case_search WHERE rowid IN (SELECT id FROM case_file WHERE person_id = new.id);
        INSERT INTO case_search(rowid, terms)
        SELECT c.id, {_CASE_TERMS_PERSON} FROM case_file AS c
        WHERE c.person_id = new.id AND c.deleted = 0;
    END""",
)

# rowid = day of occurred_at (days since 1970, UTC) * 2^32 + journal_entry.id: ORDER BY rowid DESC
# walks the index newest day first without a sort (ranking by bm25 costs ~50x more at 1M rows);
# journal_entry.id = rowid & 4294967295.
_KEY_NEW = "(CAST(strftime('%s', new.occurred_at) AS INTEGER) / 86400) * 4294967296 + new.id"
_KEY_OLD = _KEY_NEW.replace("new.", "old.")
_JOURNAL_TEXT_NEW = "lotse_fold(new.text || ' ' || coalesce(new.place, ''))"

JOURNAL_SEARCH = (
    "CREATE VIRTUAL TABLE journal_search USING fts5(text, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER journal_search_ai AFTER INSERT ON journal_entry WHEN new.deleted = 0 BEGIN
        INSERT INTO journal_search(rowid, text) VALUES ({_KEY_NEW}, {_JOURNAL_TEXT_NEW});
    END""",
    f"""CREATE TRIGGER journal_search_au AFTER UPDATE OF text, place, occurred_at, deleted
    ON journal_entry BEGIN
        DELETE FROM journal_search WHERE rowid = {_KEY_OLD};
        INSERT INTO journal_search(rowid, text)
        SELECT {_KEY_NEW}, {_JOURNAL_TEXT_NEW} WHERE new.deleted = 0;
    END""",
    f"""CREATE TRIGGER journal_search_ad AFTER DELETE ON journal_entry BEGIN
        DELETE FROM journal_search WHERE rowid = {_KEY_OLD};
    END""",
)

# --- Audit log ---------------------------------------------------------------------------------
# Append-only at the lowest level, so no code path (nor a slip in a later service) can rewrite
# history; the hash chain and the external anchor detect what happens outside SQLite.
AUDIT_APPEND_ONLY = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only');
    END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only');
    END""",
)

# Creation order (parents before children); downgrade drops in reverse.
TABLES = (
    "attachment",
    "audit_log",
    "bundle_receipt",
    "case_manager",
    "catalogue_entry",
    "device_identity",
    "household",
    "institution",
    "number_sequence",
    "sync_conflict",
    "system_gap",
    "vault_meta",
    "conference",
    "contact",
    "cooperation_agreement",
    "person",
    "case_file",
    "conference_amendment",
    "conference_distribution",
    "conference_participant",
    "cooperation_party",
    "residence_status",
    "assessment",
    "certificate",
    "conference_agenda_item",
    "consent",
    "goal",
    "journal_entry",
    "legal_basis",
    "phase_transition",
    "system_gap_case",
    "conference_decision",
    "consent_scope",
    "disclosure",
    "measure",
    "referral",
    "training_record",
    "task",
)


def downgrade() -> None:
    for trigger in (
        "case_search_ai",
        "case_search_au",
        "case_search_ad",
        "case_search_person_au",
        "journal_search_ai",
        "journal_search_au",
        "journal_search_ad",
        "audit_log_no_update",
        "audit_log_no_delete",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS case_search")
    op.execute("DROP TABLE IF EXISTS journal_search")
    for table in reversed(TABLES):
        op.drop_table(table)
