"""may_disclose: which consent or legal basis allows a disclosure, or what is missing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.read import may_disclose
from app.services.consent.records import NewConsent
from app.services.consent.write import (
    record_consent,
    record_disclosure,
    record_legal_basis,
    withdraw_consent,
)
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.vault.store import Vault
from db.models import AuditLog, Disclosure

PURPOSE = "Klärung der Ausbildungsduldung"


@pytest.fixture
def setup(vault: Vault) -> tuple[Vault, int, str, str]:
    cid = create_case(vault, NewCase("Abdi", "Warsame", "DO"))
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund", "auslaenderbehoerde",
                                                 "DO"))
    return vault, cid, jc, abh


def test_no_consent_says_what_is_missing(setup: tuple[Vault, int, str, str]) -> None:
    vault, cid, jc, _ = setup
    d = may_disclose(vault, cid, jc, "education_work", PURPOSE, date(2026, 11, 25))
    assert not d.allowed and "weder eine Einwilligung" in d.reason_de


def test_consent_validity_window_and_withdrawal(setup: tuple[Vault, int, str, str]) -> None:
    vault, cid, jc, _ = setup
    uuid = record_consent(vault, cid, NewConsent(jc, ["education_work", "residence"], PURPOSE,
                                                 date(2026, 3, 1), date(2026, 12, 31), "so"))
    ok = may_disclose(vault, cid, jc, "residence", PURPOSE, date(2026, 11, 25))
    assert ok.allowed and ok.consent_uuid == uuid and "01.03.2026" in ok.reason_de
    assert not may_disclose(vault, cid, jc, "health", PURPOSE, date(2026, 11, 25)).allowed
    early = may_disclose(vault, cid, jc, "residence", PURPOSE, date(2026, 2, 1))
    assert not early.allowed and "erst ab 01.03.2026" in early.reason_de
    late = may_disclose(vault, cid, jc, "residence", PURPOSE, date(2027, 1, 5))
    assert not late.allowed and "am 31.12.2026 abgelaufen" in late.reason_de
    other = may_disclose(vault, cid, jc, "residence", "Wohnungssuche", date(2026, 11, 25))
    assert not other.allowed and "Zweck" in other.reason_de
    withdraw_consent(vault, uuid, date(2026, 10, 1))
    gone = may_disclose(vault, cid, jc, "residence", PURPOSE, date(2026, 11, 25))
    assert not gone.allowed and "widerrufen" in gone.reason_de
    # Before the withdrawal the disclosure was covered.
    assert may_disclose(vault, cid, jc, "residence", PURPOSE, date(2026, 9, 30)).allowed


def test_legal_basis_and_warnings(setup: tuple[Vault, int, str, str]) -> None:
    vault, cid, _, abh = setup
    record_legal_basis(vault, cid, abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Auskunftsersuchen der Ausländerbehörde", date(2026, 11, 1))
    d = may_disclose(vault, cid, abh, "residence", "Auskunft", date(2026, 11, 25))
    assert d.allowed and "§ 87" in d.reason_de
    assert any("Übermittlungspflichten" in w for w in d.warnings), d.warnings
    # Confided information never goes out on a legal basis, only with explicit consent.
    confided = may_disclose(vault, cid, abh, "confided", "Auskunft", date(2026, 11, 25))
    assert not confided.allowed
    assert any("anvertraut" in w for w in confided.warnings)


def test_disclosure_is_logged_and_needs_acknowledged_warning(
        setup: tuple[Vault, int, str, str]) -> None:
    vault, cid, jc, abh = setup
    with pytest.raises(ValidationFailed):
        record_disclosure(vault, cid, jc, "education_work", PURPOSE, "print")
    record_consent(vault, cid, NewConsent(abh, ["residence"], PURPOSE, date(2026, 1, 1)))
    with pytest.raises(ValidationFailed) as unconfirmed:
        record_disclosure(vault, cid, abh, "residence", PURPOSE, "conference")
    assert "Bitte bestätigen" in unconfirmed.value.message_de
    record_disclosure(vault, cid, abh, "residence", PURPOSE, "conference",
                      warning_acknowledged=True)
    with vault.session() as s:
        assert s.execute(select(Disclosure)).scalar_one().channel == "conference"
        assert s.execute(select(AuditLog).where(AuditLog.kind == "disclosure")).scalar_one()
