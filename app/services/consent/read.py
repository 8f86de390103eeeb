"""The consent matrix of one case (institutions × data categories, as valid on one day), the
disclosure decision and the disclosure log.

One cell answers "may this category go to this institution today, and until when?"; the purpose
check stays with ``may_disclose`` (below) at the moment of an actual disclosure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app import catalogues
from app.services.cases.queries import resolve_case
from app.services.consent.queries import check_categories, live_institution
from app.services.consent.records import (
    CONFIDED,
    EXPIRED,
    NONE,
    NOT_YET,
    VALID,
    WITHDRAWN,
    Cell,
    ConsentMatrix,
    ConsentRow,
    DisclosureDecision,
    DisclosureLogRow,
    MatrixRow,
)
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

_RANK = {VALID: 0, NOT_YET: 1, EXPIRED: 2, WITHDRAWN: 3, NONE: 4}


def consent_status(c: Consent, on: date) -> str:
    if c.withdrawn_on is not None and c.withdrawn_on <= on:
        return WITHDRAWN
    if c.given_on > on:
        return NOT_YET
    if c.valid_until is not None and c.valid_until < on:
        return EXPIRED
    return VALID


def _cell(c: Consent, category: str, on: date) -> Cell:
    status = consent_status(c, on)
    if category == CONFIDED and not c.covers_confided and status == VALID:
        return Cell(NONE)  # confided data needs the explicit extra consent
    return Cell(status, c.uuid, c.given_on, c.valid_until, c.withdrawn_on, c.purpose)


def _better(a: Cell, b: Cell) -> Cell:
    if _RANK[b.status] != _RANK[a.status]:
        return b if _RANK[b.status] < _RANK[a.status] else a
    # Same state: the later end of validity (or the newer consent) is the more useful one.
    key_a = (a.valid_until or date.max, a.given_on or date.min)
    key_b = (b.valid_until or date.max, b.given_on or date.min)
    return b if key_b > key_a else a


def _institutions(s: Session, uuids: Sequence[str]) -> list[Institution]:
    if not uuids:
        return []
    return list(s.execute(select(Institution).where(
        Institution.uuid.in_(list(uuids)), Institution.deleted.is_(False))).scalars())


def consent_matrix(vault: Vault, case_ref: str | int, extra_institutions: Sequence[str] = (),
                   on: date | None = None) -> ConsentMatrix:
    """Matrix rows are the institutions the client has consents for, plus ``extra_institutions``
    (added by the user to record a first consent); the read is audited."""
    day = on or vault.clock.today()
    categories = tuple((c.code, c.label) for c in catalogues.data_categories())
    kinds = {k.code: k for k in catalogues.institution_kinds()}
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        consents = s.execute(
            select(Consent, Institution).join(Institution, Institution.id == Consent.institution_id)
            .where(Consent.person_id == case.person_id, Consent.deleted.is_(False))
            .order_by(Institution.name, Consent.given_on)).all()
        scopes: dict[int, list[str]] = {}
        for consent_id, code in s.execute(
                select(ConsentScope.consent_id, ConsentScope.data_category)
                .join(Consent, Consent.id == ConsentScope.consent_id)
                .where(Consent.person_id == case.person_id, ConsentScope.deleted.is_(False))):
            scopes.setdefault(consent_id, []).append(code)
        consent_uuids = [c.uuid for c, _ in consents]
        with_form = set(s.execute(select(Attachment.owner_uuid).where(
            Attachment.owner_table == "consent", Attachment.owner_uuid.in_(consent_uuids),
            Attachment.deleted.is_(False))).scalars()) if consent_uuids else set()
        institutions: dict[str, Institution] = {}
        for _, inst in consents:
            institutions.setdefault(inst.uuid, inst)
        for inst in _institutions(s, [u for u in extra_institutions if u not in institutions]):
            institutions[inst.uuid] = inst
        index = {code: i for i, (code, _) in enumerate(categories)}
        cells: dict[str, list[Cell]] = {u: [Cell(NONE)] * len(categories) for u in institutions}
        labels = dict(categories)
        rows_out: list[ConsentRow] = []
        for c, inst in consents:
            # In the catalogue's order, so every list of categories reads the same way.
            codes = sorted(scopes.get(c.id, []), key=lambda code: index.get(code, len(index)))
            row = cells[inst.uuid]
            for code in codes:
                if code in index:
                    row[index[code]] = _better(row[index[code]], _cell(c, code, day))
            rows_out.append(ConsentRow(
                c.uuid, inst.uuid, inst.name, tuple(labels.get(code, code) for code in codes),
                c.purpose, c.given_on, c.valid_until, c.withdrawn_on, c.info_sheet_language,
                c.interpreter_present, c.covers_confided,
                c.uuid in with_form or c.form_attachment_id is not None, consent_status(c, day)))
        matrix_rows = tuple(
            MatrixRow(inst.uuid, inst.name, kinds[inst.kind].label if inst.kind in kinds
                      else inst.kind,
                      kinds[inst.kind].disclosure_warning if inst.kind in kinds else None,
                      tuple(cells[inst.uuid]))
            for inst in sorted(institutions.values(), key=lambda i: i.name.casefold()))
    return ConsentMatrix(day, categories, matrix_rows, tuple(rows_out))


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
    check_categories([data_category])
    with vault.read_session() as s:
        return decide(s, resolve_case(s, case_ref), live_institution(s, institution_uuid),
                      data_category, purpose, on)


def decide(s: Session, case: CaseFile, inst: Institution, data_category: str, purpose: str,
           on: date) -> DisclosureDecision:
    """``may_disclose`` inside the caller's session: a write that discloses decides in the same
    transaction that logs the disclosure, so nothing can change in between."""
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


# --- the disclosure log --------------------------------------------------------------------

CHANNEL_LABELS = {"referral": "Vermittlung", "conference": "Fallkonferenz", "print": "Ausdruck",
                  "export": "Export", "bundle": "Datenpaket", "certificate": "Bescheinigung"}


def disclosure_log(vault: Vault, case_ref: str | int) -> list[DisclosureLogRow]:
    """Newest first; the basis is named as it was recorded (a consent keeps its date and
    purpose, a legal basis its paragraph and reason), even if it was withdrawn later."""
    labels = {c.code: c.label for c in catalogues.data_categories()}
    consent, basis = aliased(Consent), aliased(LegalBasis)
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        rows = s.execute(
            select(Disclosure, Institution.name, consent, basis)
            .join(Institution, Institution.id == Disclosure.institution_id)
            .outerjoin(consent, consent.id == Disclosure.consent_id)
            .outerjoin(basis, basis.id == Disclosure.legal_basis_id)
            .where(Disclosure.case_id == case.id, Disclosure.deleted.is_(False))
            .order_by(Disclosure.disclosed_at.desc(), Disclosure.id.desc())).all()
        out = []
        for d, institution_name, c, b in rows:
            if c is not None:
                on_basis = f"Einwilligung vom {_fmt(c.given_on)} (Zweck: {c.purpose})"
            elif b is not None:
                on_basis = f"Rechtsgrundlage {b.basis}, Begründung: {b.reason}"
            else:
                on_basis = "keine Grundlage vermerkt"
            out.append(DisclosureLogRow(
                d.uuid, d.disclosed_at, institution_name, labels.get(d.data_category,
                                                                     d.data_category),
                d.purpose, d.channel, CHANNEL_LABELS.get(d.channel, d.channel), on_basis,
                d.warning_acknowledged))
        return out
