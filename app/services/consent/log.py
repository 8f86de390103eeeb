"""The disclosure log of one case: what went to whom, when, on which basis, by which channel
(proof for the client and the data-protection officer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import catalogues
from app.services.cases.queries import resolve_case
from app.services.consent.records import DisclosureLogRow
from app.vault.store import Vault
from db.models import Consent, Disclosure, Institution, LegalBasis

CHANNEL_LABELS = {"referral": "Vermittlung", "conference": "Fallkonferenz", "print": "Ausdruck",
                  "export": "Export", "bundle": "Datenpaket"}


def _fmt(value: object) -> str:
    return value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else ""


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
