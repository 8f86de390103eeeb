"""Record and withdraw consents (Schweigepflichtentbindungen) and their signed forms, record
legal bases, and log a disclosure once the decision allows it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.consent.queries import check_categories, live_institution
from app.services.consent.read import decide
from app.services.consent.records import (
    CONSENT_GONE,
    DisclosureRefused,
    DisclosureWarningPending,
    NewConsent,
)
from app.services.documents.write import add_attachment
from app.services.editing import live
from app.vault.store import Vault
from db.models import (
    Attachment,
    CaseFile,
    Consent,
    ConsentScope,
    Disclosure,
    Institution,
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
    check_categories([data_category])
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = live_institution(s, institution_uuid)
        rows = disclose_in_session(s, case, inst, [data_category], purpose, channel,
                                   vault.clock.now(), warning_acknowledged)
        return rows[0].uuid


def disclose_in_session(s: Session, case: CaseFile, inst: Institution, data_categories: list[str],
                        purpose: str, channel: str, now: datetime,
                        warning_acknowledged: bool = False,
                        **audit_detail: str) -> list[Disclosure]:
    """Decide and log the disclosure of each category in the caller's transaction (a referral
    and its disclosures commit together or not at all). Raises ``DisclosureRefused`` naming
    every category without a basis, or ``DisclosureWarningPending`` when a warning (the
    foreigners' authority, confided information) was not confirmed; then nothing is written."""
    check_categories(data_categories)
    labels = {c.code: c.label for c in catalogues.data_categories()}
    codes = list(dict.fromkeys(data_categories))
    decisions = [(code, decide(s, case, inst, code, purpose, now.date())) for code in codes]
    refused = [(code, labels.get(code, code), d) for code, d in decisions if not d.allowed]
    if refused:
        raise DisclosureRefused(refused)
    warnings = list(dict.fromkeys(w for _, d in decisions for w in d.warnings))
    if warnings and not warning_acknowledged:
        raise DisclosureWarningPending(warnings)
    rows = []
    for code, decision in decisions:
        consent_id = live(s, Consent, decision.consent_uuid, CONSENT_GONE).id \
            if decision.consent_uuid else None
        basis_id = live(s, LegalBasis, decision.legal_basis_uuid,
                        "Die Rechtsgrundlage wurde nicht gefunden.").id \
            if decision.legal_basis_uuid else None
        row = Disclosure(case_id=case.id, institution_id=inst.id, data_category=code,
                         purpose=purpose, disclosed_at=now, channel=channel,
                         consent_id=consent_id, legal_basis_id=basis_id,
                         warning_acknowledged=bool(warnings) and warning_acknowledged)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.DISCLOSURE, "case", case.uuid, disclosure=row.uuid,
                     institution=inst.uuid, category=code, channel=channel, **audit_detail)
        rows.append(row)
    return rows


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
