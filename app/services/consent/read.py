"""The consent matrix of one case: institutions × data categories, as valid on one day.

One cell answers "may this category go to this institution today, and until when?"; the purpose
check stays with ``consent.may_disclose`` at the moment of an actual disclosure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.services.cases.queries import resolve_case
from app.services.consent.write import CONFIDED, CONSENT_GONE
from app.services.documents.read import add_attachment
from app.services.editing import live
from app.vault.store import Vault
from db.models import Attachment, Consent, ConsentScope, Institution

# Cell states, best first: a cell shows the most useful consent among several.
VALID, NOT_YET, EXPIRED, WITHDRAWN, NONE = "valid", "not_yet", "expired", "withdrawn", "none"
_RANK = {VALID: 0, NOT_YET: 1, EXPIRED: 2, WITHDRAWN: 3, NONE: 4}


@dataclass(frozen=True)
class Cell:
    status: str  # one of VALID, NOT_YET, EXPIRED, WITHDRAWN, NONE
    consent_uuid: str | None = None
    given_on: date | None = None
    valid_until: date | None = None
    withdrawn_on: date | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    institution_uuid: str
    institution_name: str
    kind_label: str
    disclosure_warning: str | None
    cells: tuple[Cell, ...]  # in the order of ConsentMatrix.categories


@dataclass(frozen=True)
class ConsentRow:
    uuid: str
    institution_uuid: str
    institution_name: str
    category_labels: tuple[str, ...]
    purpose: str
    given_on: date
    valid_until: date | None
    withdrawn_on: date | None
    info_sheet_language: str | None
    interpreter_present: bool
    covers_confided: bool
    has_form: bool
    status: str


@dataclass(frozen=True)
class ConsentMatrix:
    on: date
    categories: tuple[tuple[str, str], ...]  # (code, German label)
    rows: tuple[MatrixRow, ...]
    consents: tuple[ConsentRow, ...]


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
    with vault.session() as s:
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
            codes = scopes.get(c.id, [])
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
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section="consents")
    return ConsentMatrix(day, categories, matrix_rows, tuple(rows_out))


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
