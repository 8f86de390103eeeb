"""Record and withdraw consents (Schweigepflichtentbindungen) and their signed forms, record
legal bases, and log a disclosure once the decision allows it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.consent.queries import check_categories, live_institution
from app.services.consent.read import may_disclose
from app.services.consent.records import CONSENT_GONE, NewConsent
from app.services.documents.write import add_attachment
from app.services.editing import live
from app.vault.store import Vault
from db.models import (
    Attachment,
    Consent,
    ConsentScope,
    Disclosure,
    LegalBasis,
)


def record_consent(vault: Vault, case_ref: str | int, new: NewConsent) -> str:
    check_categories(new.data_categories)
    if not new.purpose.strip():
        raise ValidationFailed("Bitte den Zweck der Einwilligung angeben.", "purpose missing",
                               field="purpose")
    if new.valid_until and new.valid_until < new.given_on:
        raise ValidationFailed("„Gültig bis“ liegt vor dem Datum der Einwilligung.",
                               "valid_until before given_on", field="valid_until")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = live_institution(s, new.institution_uuid)
        consent = Consent(person_id=case.person_id, case_id=case.id, institution_id=inst.id,
                          purpose=new.purpose.strip(), given_on=new.given_on,
                          valid_until=new.valid_until, info_sheet_language=new.info_sheet_language,
                          interpreter_present=new.interpreter_present,
                          covers_confided=new.covers_confided)
        s.add(consent)
        s.flush()
        for code in dict.fromkeys(new.data_categories):
            s.add(ConsentScope(consent_id=consent.id, data_category=code))
        audit.record(s, audit.Kind.RECORD_CREATED, "consent", consent.uuid, case=case.uuid)
        return consent.uuid


def withdraw_consent(vault: Vault, consent_uuid: str, on: date) -> None:
    with vault.session() as s:
        consent = live(s, Consent, consent_uuid, CONSENT_GONE)
        consent.withdrawn_on = on
        audit.record(s, audit.Kind.RECORD_UPDATED, "consent", consent.uuid, fields=["withdrawn_on"])


def record_legal_basis(vault: Vault, case_ref: str | int, institution_uuid: str,
                       data_category: str, basis: str, reason: str, recorded_on: date,
                       valid_until: date | None = None) -> str:
    check_categories([data_category])
    if not basis.strip() or not reason.strip():
        raise ValidationFailed("Rechtsgrundlage und Begründung sind Pflichtangaben.",
                               "legal basis and reason required", field="basis")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = live_institution(s, institution_uuid)
        row = LegalBasis(case_id=case.id, institution_id=inst.id, data_category=data_category,
                         basis=basis.strip(), reason=reason.strip(), recorded_on=recorded_on,
                         valid_until=valid_until)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "legal_basis", row.uuid, case=case.uuid)
        return row.uuid


def record_disclosure(vault: Vault, case_ref: str | int, institution_uuid: str,
                      data_category: str, purpose: str, channel: str,
                      warning_acknowledged: bool = False) -> str:
    """Log a disclosure; refuses when ``may_disclose`` says no or a warning was not confirmed."""
    today = vault.clock.today()
    decision = may_disclose(vault, case_ref, institution_uuid, data_category, purpose, today)
    if not decision.allowed:
        raise ValidationFailed(decision.reason_de, decision.reason_en)
    if decision.warnings and not warning_acknowledged:
        raise ValidationFailed(" ".join(decision.warnings) + " Bitte bestätigen Sie den Hinweis.",
                               "disclosure warning not acknowledged")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = live_institution(s, institution_uuid)
        consent_id = live(s, Consent, decision.consent_uuid, CONSENT_GONE).id \
            if decision.consent_uuid else None
        basis_id = live(s, LegalBasis, decision.legal_basis_uuid,
                        "Die Rechtsgrundlage wurde nicht gefunden.").id \
            if decision.legal_basis_uuid else None
        row = Disclosure(case_id=case.id, institution_id=inst.id, data_category=data_category,
                         purpose=purpose, disclosed_at=vault.clock.now(), channel=channel,
                         consent_id=consent_id, legal_basis_id=basis_id,
                         warning_acknowledged=warning_acknowledged)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.DISCLOSURE, "case", case.uuid, disclosure=row.uuid,
                     institution=inst.uuid, category=data_category, channel=channel)
        return row.uuid


def attach_consent_form(vault: Vault, consent_uuid: str, filename: str, media_type: str,
                        content: bytes) -> str:
    """Store the scanned, signed form with the consent and link it as the consent's form."""
    with vault.read_session() as s:  # before the form is stored: no document for a tombstone
        live(s, Consent, consent_uuid, CONSENT_GONE)
    uuid = add_attachment(vault, "consent", consent_uuid, filename, media_type, content)
    with vault.session() as s:
        consent = live(s, Consent, consent_uuid, CONSENT_GONE)
        consent.form_attachment_id = s.execute(
            select(Attachment.id).where(Attachment.uuid == uuid)).scalar_one()
        audit.record(s, audit.Kind.RECORD_UPDATED, "consent", consent.uuid,
                     fields=["form_attachment_id"])
    return uuid
