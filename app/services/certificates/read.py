"""The register of issued certificates: the list with its filters, the original document, and
the consent gate for a certificate that is to go to an institution."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.certificates.queries import document_from_row, live_certificate
from app.services.certificates.records import (
    CERTIFICATE_CATEGORIES,
    CERTIFICATE_PURPOSE,
    KIND_LABELS,
    CertificateDocument,
    CertificateRow,
    RegisterFilter,
)
from app.services.consent.queries import live_institution
from app.services.consent.read import decide
from app.services.consent.records import DisclosureDecision
from app.vault.store import Vault
from db.folding import fold_query_terms, fold_search
from db.models import CaseFile, CaseManager, Certificate, Institution

PERSON_SELF = "Person selbst"
STATES = ("valid", "revoked")


def _haystack(c: Certificate) -> str:
    holder = str(c.payload.get("holder_name", ""))
    code = c.verification_code
    return fold_search(" ".join((c.serial, code, code.replace("-", ""), holder)))


def certificate_register(vault: Vault, flt: RegisterFilter) -> list[CertificateRow]:
    """Newest first. ``text`` matches serial, check code and the holder's name, folded as the
    case search folds (every typed term must occur)."""
    if flt.state not in (None, *STATES):
        raise ValidationFailed("Unbekannter Status.", f"unknown state {str(flt.state)[:20]!r}",
                               field="state")
    issuer = aliased(CaseManager)
    staff = aliased(CaseManager)
    with vault.read_session() as s:
        q = (select(Certificate, CaseFile, issuer, staff, Institution)
             .outerjoin(CaseFile, CaseFile.id == Certificate.case_id)
             .outerjoin(issuer, issuer.id == Certificate.issued_by_id)
             .outerjoin(staff, staff.id == Certificate.staff_id)
             .outerjoin(Institution, Institution.id == Certificate.recipient_institution_id)
             .where(Certificate.deleted.is_(False)))
        if flt.kind:
            q = q.where(Certificate.kind == flt.kind)
        if flt.state == "valid":
            q = q.where(Certificate.revoked_on.is_(None))
        elif flt.state == "revoked":
            q = q.where(Certificate.revoked_on.is_not(None))
        if flt.date_from:
            q = q.where(Certificate.issued_on >= flt.date_from)
        if flt.date_until:
            q = q.where(Certificate.issued_on <= flt.date_until)
        if flt.case_ref is not None:
            q = q.where(Certificate.case_id == resolve_case(s, flt.case_ref).id)
        if flt.staff_uuid:
            q = q.where(staff.uuid == flt.staff_uuid)
        q = q.order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        terms = fold_query_terms(flt.text) if flt.text.strip() else []
        rows = []
        for c, case, by, member, inst in s.execute(q).tuples():
            if terms:
                hay = _haystack(c)
                if not all(t in hay for t in terms):
                    continue
            rows.append(CertificateRow(
                uuid=c.uuid, serial=c.serial, kind=c.kind,
                kind_label=KIND_LABELS.get(c.kind, str(c.payload.get("title", c.kind))),
                title=str(c.payload.get("title", "")),
                holder=str(c.payload.get("holder_name", "")), issued_on=c.issued_on,
                issued_by=by.display_name if by is not None else None,
                recipient=inst.name if inst is not None else PERSON_SELF, copies=c.copies,
                last_copy_on=c.last_copy_on, revoked_on=c.revoked_on,
                revoke_reason=c.revoke_reason, check_code=c.verification_code,
                case_uuid=case.uuid if case is not None else None,
                case_number=case.case_number if case is not None else None,
                staff_uuid=member.uuid if member is not None else None))
        return rows


def document_of(vault: Vault, serial: str) -> CertificateDocument:
    """The original as issued (its stored seal), for preview and for reading it again."""
    with vault.read_session() as s:
        return document_from_row(live_certificate(s, serial))


def recipient_check(vault: Vault, case_ref: str | int,
                    institution_uuid: str) -> DisclosureDecision:
    """May a certificate of this case go to the institution today? One answer for every
    category a certificate discloses: the first refusal, else the first basis with every
    warning."""
    today = vault.clock.today()
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        inst = live_institution(s, institution_uuid)
        decisions = [decide(s, case, inst, code, CERTIFICATE_PURPOSE, today)
                     for code in CERTIFICATE_CATEGORIES]
    labels = {c.code: c.label for c in catalogues.data_categories()}
    refused = [(code, d) for code, d in zip(CERTIFICATE_CATEGORIES, decisions, strict=True)
               if not d.allowed]
    warnings = list(dict.fromkeys(w for d in decisions for w in d.warnings))
    if refused:
        # Name the categories still missing: the caseworker records exactly that consent.
        first = refused[0][1]
        codes = [c for c, _ in refused]
        missing = ", ".join(f"„{labels.get(c, c)}“" for c in codes)
        return DisclosureDecision(False, f"{first.reason_de} Es fehlt: {missing}.",
                                  f"{first.reason_en} (missing: {', '.join(codes)})",
                                  warnings=warnings)
    first = decisions[0]
    return DisclosureDecision(first.allowed, first.reason_de, first.reason_en,
                              first.consent_uuid, first.legal_basis_uuid, warnings)
