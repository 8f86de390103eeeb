"""A referral discloses data: it passes the consent gate, and is saved together with its
disclosure log in one transaction, or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.read import disclosure_log
from app.services.consent.records import (
    DisclosureRefused,
    DisclosureWarningPending,
    NewConsent,
)
from app.services.consent.write import record_consent, record_legal_basis
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.plan.write import add_referral, update_referral
from app.vault.store import Vault
from db.models import AuditLog, Disclosure, Referral

PURPOSE = "Anbindung an den Gesundheitsdienst"
SETUP = tuple[Vault, int, str, str]


@pytest.fixture
def setup(vault: Vault) -> SETUP:
    cid = create_case(vault, NewCase("Anna", "Müller", "DO"))
    ga = add_institution(vault, NewInstitution("Gesundheitsamt Dortmund", "gesundheitsamt", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    return vault, cid, ga, abh


def _counts(vault: Vault) -> tuple[int, int, int]:
    with vault.read_session() as s:
        return tuple(int(s.execute(select(func.count()).select_from(m)).scalar_one())
                     for m in (Referral, Disclosure, AuditLog))  # type: ignore[return-value]


def test_a_referral_without_consent_is_refused_and_writes_nothing(setup: SETUP) -> None:
    vault, cid, ga, _ = setup
    before = _counts(vault)
    with pytest.raises(DisclosureRefused) as err:
        add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25), ["health", "identity_contact"])
    assert [code for code, _, _ in err.value.refused] == ["health", "identity_contact"]
    assert "weder eine Einwilligung" in err.value.message_de
    assert err.value.field == "data_categories"
    assert _counts(vault) == before
    with pytest.raises(ValidationFailed) as none_chosen:
        add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25), [])
    assert none_chosen.value.field == "data_categories"
    # Only one category covered: still refused as a whole, naming the one missing.
    record_consent(vault, cid, NewConsent(ga, ["health"], PURPOSE, date(2026, 11, 1)))
    before = _counts(vault)
    with pytest.raises(DisclosureRefused) as partly:
        add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25), ["health", "identity_contact"])
    assert [code for code, _, _ in partly.value.refused] == ["identity_contact"]
    assert _counts(vault) == before


def test_a_covered_referral_and_its_disclosures_commit_together(setup: SETUP) -> None:
    vault, cid, ga, _ = setup
    consent = record_consent(vault, cid, NewConsent(ga, ["health"], PURPOSE, date(2026, 11, 1)))
    record_legal_basis(vault, cid, ga, "identity_contact", "§ 69 Abs. 1 Nr. 1 SGB X",
                       "Anmeldung zur Impfberatung", date(2026, 11, 2))
    referral = add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25),
                            ["health", "identity_contact"])
    with vault.read_session() as s:
        rows = s.execute(select(Disclosure).order_by(Disclosure.data_category)).scalars().all()
        assert [(d.data_category, d.channel, d.purpose) for d in rows] == [
            ("health", "referral", PURPOSE), ("identity_contact", "referral", PURPOSE)]
        saved = s.execute(select(Referral).where(Referral.uuid == referral)).scalar_one()
        assert saved.consent_id is not None and saved.consent_id == rows[0].consent_id
        details = s.execute(select(AuditLog.detail).where(AuditLog.kind == "disclosure")
                            ).scalars().all()
        assert {d["referral"] for d in details} == {referral}
    log = disclosure_log(vault, cid)
    assert {(r.institution_name, r.category_label, r.channel_label) for r in log} == {
        ("Gesundheitsamt Dortmund", "Gesundheit", "Vermittlung"),
        ("Gesundheitsamt Dortmund", "Identität und Kontaktdaten", "Vermittlung")}
    bases = {r.category_label: r.basis for r in log}
    assert bases["Gesundheit"] == f"Einwilligung vom 01.11.2026 (Zweck: {PURPOSE})"
    assert bases["Identität und Kontaktdaten"] == ("Rechtsgrundlage § 69 Abs. 1 Nr. 1 SGB X, "
                                             "Begründung: Anmeldung zur Impfberatung")
    assert consent


def test_one_transaction_a_failing_log_leaves_no_referral(setup: SETUP) -> None:
    """The disclosure rows are written after the referral row in the same session: when the
    gate refuses the second category, the referral already flushed is rolled back too."""
    vault, cid, ga, _ = setup
    record_consent(vault, cid, NewConsent(ga, ["health"], PURPOSE, date(2026, 11, 1)))
    with pytest.raises(DisclosureRefused):
        add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25), ["health", "housing"])
    with vault.read_session() as s:
        assert s.execute(select(func.count()).select_from(Referral)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(Disclosure)).scalar_one() == 0


def test_the_foreigners_authority_warning_must_be_confirmed(setup: SETUP) -> None:
    vault, cid, _, abh = setup
    record_consent(vault, cid, NewConsent(abh, ["residence"], PURPOSE, date(2026, 11, 1)))
    before = _counts(vault)
    with pytest.raises(DisclosureWarningPending) as pending:
        add_referral(vault, cid, abh, PURPOSE, date(2026, 11, 25), ["residence"])
    assert any("Übermittlungspflichten" in w for w in pending.value.warnings)
    assert _counts(vault) == before
    add_referral(vault, cid, abh, PURPOSE, date(2026, 11, 25), ["residence"],
                 warning_acknowledged=True)
    with vault.read_session() as s:
        assert s.execute(select(Disclosure.warning_acknowledged)).scalar_one() is True


def test_a_referral_moved_to_another_institution_passes_the_gate_again(setup: SETUP) -> None:
    vault, cid, ga, abh = setup
    record_consent(vault, cid, NewConsent(ga, ["health"], PURPOSE, date(2026, 11, 1)))
    referral = add_referral(vault, cid, ga, PURPOSE, date(2026, 11, 25), ["health"])
    before = _counts(vault)
    with pytest.raises(ValidationFailed) as no_categories:
        update_referral(vault, referral, institution_uuid=abh)
    assert no_categories.value.field == "data_categories"
    with pytest.raises(DisclosureRefused):
        update_referral(vault, referral, institution_uuid=abh, data_categories=["health"])
    assert _counts(vault) == before
    record_legal_basis(vault, cid, abh, "health", "§ 87 Abs. 2 AufenthG", "Mitteilungspflicht",
                       date(2026, 11, 20))
    with pytest.raises(DisclosureWarningPending):
        update_referral(vault, referral, institution_uuid=abh, data_categories=["health"])
    update_referral(vault, referral, institution_uuid=abh, data_categories=["health"],
                    warning_acknowledged=True, purpose="Mitteilung")
    log = disclosure_log(vault, cid)
    assert [(r.institution_name, r.purpose) for r in log] == [
        ("Ausländerbehörde Dortmund", "Mitteilung"), ("Gesundheitsamt Dortmund", PURPOSE)]
    # The same institution again (only the purpose corrected): nothing more is disclosed.
    update_referral(vault, referral, institution_uuid=abh, purpose="Mitteilung nach § 87")
    assert len(disclosure_log(vault, cid)) == 2
    # A category handed over in addition passes the gate too.
    before = _counts(vault)
    with pytest.raises(DisclosureRefused):
        update_referral(vault, referral, data_categories=["criminal"], purpose="Mitteilung")
    assert _counts(vault) == before
