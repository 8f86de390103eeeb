"""Consents (Schweigepflichtentbindungen), recorded legal bases, and the disclosure decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.editing import live
from app.services.tasks.queries import refresh_next_deadline
from app.vault.store import Vault
from db.models import CaseFile, Consent, ConsentScope, Disclosure, Institution, LegalBasis

CONFIDED = "confided"
CONSENT_GONE = "Die Einwilligung wurde nicht gefunden."


@dataclass(frozen=True)
class NewConsent:
    institution_uuid: str
    data_categories: list[str]
    purpose: str
    given_on: date
    valid_until: date | None = None
    info_sheet_language: str | None = None
    interpreter_present: bool = False
    covers_confided: bool = False


@dataclass(frozen=True)
class DisclosureDecision:
    allowed: bool
    reason_de: str
    reason_en: str
    consent_uuid: str | None = None
    legal_basis_uuid: str | None = None
    warnings: list[str] = field(default_factory=list)


def _institution(session: Session, uuid: str) -> Institution:
    return live(session, Institution, uuid, "Die Institution wurde nicht gefunden.")


def _check_categories(codes: list[str]) -> None:
    known = {c.code for c in catalogues.data_categories()}
    unknown = [c for c in codes if c not in known]
    if not codes or unknown:
        raise ValidationFailed("Bitte mindestens eine gültige Datenkategorie wählen.",
                               f"unknown or missing data categories: {unknown}",
                               field="data_categories")


def record_consent(vault: Vault, case_ref: str | int, new: NewConsent) -> str:
    _check_categories(new.data_categories)
    if not new.purpose.strip():
        raise ValidationFailed("Bitte den Zweck der Einwilligung angeben.", "purpose missing",
                               field="purpose")
    if new.valid_until and new.valid_until < new.given_on:
        raise ValidationFailed("„Gültig bis“ liegt vor dem Datum der Einwilligung.",
                               "valid_until before given_on", field="valid_until")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = _institution(s, new.institution_uuid)
        consent = Consent(person_id=case.person_id, case_id=case.id, institution_id=inst.id,
                          purpose=new.purpose.strip(), given_on=new.given_on,
                          valid_until=new.valid_until, info_sheet_language=new.info_sheet_language,
                          interpreter_present=new.interpreter_present,
                          covers_confided=new.covers_confided)
        s.add(consent)
        s.flush()
        for code in dict.fromkeys(new.data_categories):
            s.add(ConsentScope(consent_id=consent.id, data_category=code))
        refresh_next_deadline(s, case, vault.clock.today())
        audit.record(s, audit.Kind.RECORD_CREATED, "consent", consent.uuid, case=case.uuid)
        return consent.uuid


def withdraw_consent(vault: Vault, consent_uuid: str, on: date) -> None:
    with vault.session() as s:
        consent = live(s, Consent, consent_uuid, CONSENT_GONE)
        consent.withdrawn_on = on
        s.flush()
        for case in s.execute(select(CaseFile).where(CaseFile.person_id == consent.person_id,
                                                     CaseFile.deleted.is_(False))).scalars():
            refresh_next_deadline(s, case, vault.clock.today())
        audit.record(s, audit.Kind.RECORD_UPDATED, "consent", consent.uuid, fields=["withdrawn_on"])


def record_legal_basis(vault: Vault, case_ref: str | int, institution_uuid: str,
                       data_category: str, basis: str, reason: str, recorded_on: date,
                       valid_until: date | None = None) -> str:
    _check_categories([data_category])
    if not basis.strip() or not reason.strip():
        raise ValidationFailed("Rechtsgrundlage und Begründung sind Pflichtangaben.",
                               "legal basis and reason required", field="basis")
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        inst = _institution(s, institution_uuid)
        row = LegalBasis(case_id=case.id, institution_id=inst.id, data_category=data_category,
                         basis=basis.strip(), reason=reason.strip(), recorded_on=recorded_on,
                         valid_until=valid_until)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "legal_basis", row.uuid, case=case.uuid)
        return row.uuid


def _warnings(inst: Institution, data_category: str) -> list[str]:
    warnings = []
    for kind in catalogues.institution_kinds():
        if kind.code == inst.kind and kind.disclosure_warning:
            warnings.append(kind.disclosure_warning)
    if data_category == CONFIDED:
        warnings.append("Diese Informationen wurden in der Beratung anvertraut und dürfen nur mit "
                        "ausdrücklicher Einwilligung weitergegeben werden.")
    return warnings


def _fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def may_disclose(vault: Vault, case_ref: str | int, institution_uuid: str, data_category: str,
                 purpose: str, on: date) -> DisclosureDecision:
    """May this case's data of ``data_category`` go to the institution for ``purpose`` on ``on``?"""
    _check_categories([data_category])
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        inst = _institution(s, institution_uuid)
        warnings = _warnings(inst, data_category)
        consents = s.execute(
            select(Consent).join(ConsentScope, ConsentScope.consent_id == Consent.id)
            .where(Consent.person_id == case.person_id, Consent.institution_id == inst.id,
                   Consent.deleted.is_(False), ConsentScope.deleted.is_(False),
                   ConsentScope.data_category == data_category)
            .order_by(Consent.given_on.desc())).scalars().all()
        problems: list[tuple[str, str]] = []
        wanted = purpose.strip().casefold()
        for c in consents:
            if c.given_on > on:
                problems.append((f"die Einwilligung gilt erst ab {_fmt(c.given_on)}",
                                 "consent not yet given"))
            elif c.withdrawn_on and c.withdrawn_on <= on:
                problems.append((f"die Einwilligung wurde am {_fmt(c.withdrawn_on)} widerrufen",
                                 "consent withdrawn"))
            elif c.valid_until and c.valid_until < on:
                problems.append((f"die Einwilligung ist am {_fmt(c.valid_until)} abgelaufen",
                                 "consent expired"))
            elif c.purpose.strip().casefold() != wanted:
                problems.append((f"die Einwilligung gilt für den Zweck „{c.purpose}“",
                                 "consent covers another purpose"))
            elif data_category == CONFIDED and not c.covers_confided:
                problems.append(("die Einwilligung umfasst keine anvertrauten Informationen",
                                 "consent does not cover confided information"))
            else:
                return DisclosureDecision(
                    True, f"Einwilligung vom {_fmt(c.given_on)}"
                    + (f", gültig bis {_fmt(c.valid_until)}" if c.valid_until else ""),
                    "covered by consent", consent_uuid=c.uuid, warnings=warnings)
        if data_category != CONFIDED:
            basis = s.execute(
                select(LegalBasis).where(
                    LegalBasis.case_id == case.id, LegalBasis.institution_id == inst.id,
                    LegalBasis.data_category == data_category, LegalBasis.deleted.is_(False),
                    LegalBasis.recorded_on <= on,
                    (LegalBasis.valid_until.is_(None)) | (LegalBasis.valid_until >= on))
                .order_by(LegalBasis.recorded_on.desc())).scalars().first()
            if basis is not None:
                return DisclosureDecision(True, f"Rechtsgrundlage {basis.basis}: {basis.reason}",
                                          "covered by recorded legal basis",
                                          legal_basis_uuid=basis.uuid, warnings=warnings)
        if problems:
            de, en = problems[0]
            return DisclosureDecision(False, f"Keine gültige Grundlage: {de}.", en,
                                      warnings=warnings)
        return DisclosureDecision(
            False, f"Für „{inst.name}“ liegt weder eine Einwilligung für diese Datenkategorie "
            "noch eine dokumentierte Rechtsgrundlage vor.", "no consent or legal basis",
            warnings=warnings)


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
        inst = _institution(s, institution_uuid)
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
