"""The register: issuing from a template (to the person or, through the consent gate, to an
institution), Zweitschriften, revocation, the list with its filters, audited output."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.errors import NotFound, ValidationFailed
from app.seal.qrtext import unseal
from app.seal.records import REVOKED, VALID
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.read import certificate_register, document_of, recipient_check
from app.services.certificates.records import IssueRequest, RegisterFilter
from app.services.certificates.write import (
    issue_certificate,
    record_certificate_output,
    reprint_certificate,
    revoke_certificate,
)
from app.services.consent.read import disclosure_log
from app.services.consent.records import DisclosureRefused
from app.services.templates.read import template
from app.services.templates.write import save_template
from app.services.verification.read import verify_qr_text
from app.vault.store import Vault
from db.models import AuditLog, Certificate, Disclosure, NumberSequence
from tests.app.services.certificates.conftest import (
    COURSE,
    World,
    case_number,
    consent,
    course,
)


def _events(vault: Vault, kind: str) -> list[dict[str, object]]:
    with vault.read_session() as s:
        return [dict(e.detail) for e in s.execute(
            select(AuditLog).where(AuditLog.kind == kind).order_by(AuditLog.seq)).scalars()]


def _count(vault: Vault, model: type[Certificate] | type[Disclosure]) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(func.count(model.id))).scalar_one())


def test_a_certificate_handed_to_the_person(world: World) -> None:
    vault = world.vault
    issued = issue_certificate(vault, course(world))
    doc = issued.document
    assert issued.serial == doc.serial == "DO-2026-T3ST-B0001"
    assert (doc.title, doc.holder_name, doc.holder_birth_date) == (
        "Teilnahmebescheinigung", "Mariam Haidari", date(1991, 3, 14))
    assert doc.blocks[0] == ("Hiermit wird bestätigt, dass Mariam Haidari in der Zeit vom "
                             "01.03.2026 bis zum 30.09.2026 an der Maßnahme „Integrationskurs "
                             "B1“ des Trägers VHS Dortmund teilgenommen hat.")
    assert doc.blocks[1] == "Die Maßnahme umfasste 600 Unterrichtsstunden."
    assert ("Umfang in Unterrichtsstunden", "600") in doc.facts
    assert (doc.office, doc.place, doc.issuer_name, doc.issued_on) == (
        "Stadt Dortmund", "Dortmund", "Test Fallmanagerin", date(2026, 11, 25))
    verdict = verify_qr_text(vault, doc.qr_text)
    assert verdict.outcome == VALID, verdict.message_en
    assert verdict.payload is not None
    assert (verdict.payload.serial, verdict.payload.subject, verdict.payload.period_from) == (
        doc.serial, "Integrationskurs B1", date(2026, 3, 1))
    # Their own data: no disclosure, and the audit says why.
    assert _count(vault, Disclosure) == 0
    [event] = _events(vault, "certificate.issued")
    assert event["recipient"] == "person" and "their own data" in str(event["disclosure"])
    assert event["serial"] == doc.serial and "Haidari" not in str(event)
    assert document_of(vault, doc.serial) == doc
    # Optional field left empty: its block is not printed, nor its fact.
    second = issue_certificate(vault, course(world, umfang=""))
    assert second.serial == "DO-2026-T3ST-B0002"
    assert len(second.document.blocks) == len(doc.blocks) - 1
    assert not any("Unterrichtsstunden" in b for b in second.document.blocks)
    assert [label for label, _ in second.document.facts] == ["Maßnahme", "Träger", "Von", "Bis"]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"massnahme": " "}, "massnahme", "Bitte „Maßnahme“ angeben."),
    ({"von": "31.02.2026"}, "von", "Von: "),
    ({"bis": "gestern abend"}, "bis", "ist kein Datum"),
    ({"von": "01.10.2026"}, "bis", "„Bis“ liegt vor dem Beginn des Zeitraums."),
    ({"umfang": "viel"}, "umfang", "„Umfang in Unterrichtsstunden“ muss eine ganze Zahl"),
    ({"umfang": "-3"}, "umfang", "muss eine ganze Zahl"),
    ({"traeger": "x" * 101}, "traeger", "„Träger“ ist zu lang"),
    ({"traeger": "VHS\x00"}, "traeger", "Steuerzeichen"),
    ({"geheim": "x"}, "geheim", "gehören nicht zur Vorlage"),
])
def test_bad_values_are_refused_at_their_field(world: World, values: dict[str, str],
                                               field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        issue_certificate(world.vault, course(world, **values))
    assert refused.value.field == field
    assert message in refused.value.message_de
    assert _count(world.vault, Certificate) == 0


def test_to_an_institution_only_through_the_consent_gate(world: World) -> None:
    vault = world.vault
    with pytest.raises(DisclosureRefused) as refused:
        issue_certificate(vault, course(world, recipient=world.jc))
    assert "Jobcenter Dortmund" in refused.value.message_de
    # Nothing written: no row, no disclosure, and no serial consumed (one transaction).
    assert _count(vault, Certificate) == 0 and _count(vault, Disclosure) == 0
    with vault.read_session() as s:
        assert s.execute(select(NumberSequence).where(
            NumberSequence.scope.like("certificate:%"))).scalar() is None
    consent(world, categories=("identity_contact",))  # one category is not enough
    with pytest.raises(DisclosureRefused):
        issue_certificate(vault, course(world, recipient=world.jc))
    assert _count(vault, Certificate) == 0
    consent(world, categories=("education_work",))
    issued = issue_certificate(vault, course(world, recipient=world.jc))
    assert issued.serial == "DO-2026-T3ST-B0001"
    with vault.read_session() as s:
        rows = s.execute(select(Disclosure.channel, Disclosure.data_category, Disclosure.purpose)
                         .order_by(Disclosure.data_category)).all()
    assert [tuple(r) for r in rows] == [("certificate", "education_work", "Bescheinigung"),
                                        ("certificate", "identity_contact", "Bescheinigung")]
    assert {r.channel_label for r in disclosure_log(vault, world.case)} == {"Bescheinigung"}
    [row] = certificate_register(vault, RegisterFilter())
    assert row.recipient == "Jobcenter Dortmund"
    [event] = _events(vault, "certificate.issued")
    assert (event["recipient"], event["institution"], event["disclosures"]) == (
        "institution", world.jc, 2)


def test_a_zweitschrift_has_the_same_serial_and_texts_and_says_so(
        world: World, clock: FixedClock) -> None:
    vault = world.vault
    original = issue_certificate(vault, course(world)).document
    clock.advance(timedelta(days=3))
    copy = reprint_certificate(vault, original.serial.lower())
    assert (copy.serial, copy.blocks, copy.facts, copy.issued_on, copy.check_code) == (
        original.serial, original.blocks, original.facts, original.issued_on,
        original.check_code)
    assert (copy.copy, copy.copy_on) == (1, date(2026, 11, 28))
    sealed = unseal(copy.qr_text).payload
    assert (sealed.copy, sealed.copy_on, sealed.serial) == (1, date(2026, 11, 28),
                                                            original.serial)
    assert verify_qr_text(vault, copy.qr_text).outcome == VALID
    assert reprint_certificate(vault, original.serial).copy == 2
    [row] = certificate_register(vault, RegisterFilter())
    assert (row.copies, row.last_copy_on) == (2, date(2026, 11, 28))
    assert document_of(vault, original.serial) == original  # the original, as issued
    assert [e["copy"] for e in _events(vault, "certificate.reprinted")] == [1, 2]


def test_revocation_needs_a_reason_is_final_and_stops_reprints(
        world: World, clock: FixedClock) -> None:
    vault = world.vault
    doc = issue_certificate(vault, course(world)).document
    with pytest.raises(ValidationFailed, match="reason missing"):
        revoke_certificate(vault, doc.serial, "  ")
    with pytest.raises(ValidationFailed) as future:
        revoke_certificate(vault, doc.serial, "Irrtum", date(2026, 11, 26))
    assert future.value.message_de == "Das Datum des Widerrufs darf nicht in der Zukunft liegen."
    with pytest.raises(ValidationFailed, match="before issue"):
        revoke_certificate(vault, doc.serial, "Irrtum", date(2026, 11, 24))
    with pytest.raises(NotFound):
        revoke_certificate(vault, "DO-2026-T3ST-B0099", "Irrtum")
    clock.advance(timedelta(days=1))
    revoke_certificate(vault, doc.serial, "Falscher Zeitraum angegeben")
    [row] = certificate_register(vault, RegisterFilter(state="revoked"))
    assert (row.revoked_on, row.revoke_reason) == (date(2026, 11, 26),
                                                   "Falscher Zeitraum angegeben")
    assert certificate_register(vault, RegisterFilter(state="valid")) == []
    with pytest.raises(ValidationFailed) as twice:
        revoke_certificate(vault, doc.serial, "nochmal")
    assert twice.value.message_de == "Die Bescheinigung wurde bereits am 26.11.2026 widerrufen."
    with pytest.raises(ValidationFailed) as reprint:
        reprint_certificate(vault, doc.serial)
    assert "widerrufen; eine Zweitschrift kann nicht mehr" in reprint.value.message_de
    verdict = verify_qr_text(vault, doc.qr_text)
    assert (verdict.outcome, verdict.revoke_reason) == (REVOKED, "Falscher Zeitraum angegeben")
    [event] = _events(vault, "certificate.revoked")
    assert event == {"serial": doc.serial, "fields": ["revoked_on", "revoke_reason"]}


def test_the_register_filters_and_searches(world: World, clock: FixedClock) -> None:
    vault = world.vault
    first = issue_certificate(vault, course(world)).document
    clock.advance(timedelta(days=10))
    second = issue_certificate(vault, course(world)).document
    third = issue_certificate(vault, type(course(world))(
        world.case, "beratung", {"von": "01.10.2026", "bis": "01.12.2026", "termine": "6",
                                 "themen": "Arbeit und Ausbildung"})).document
    revoke_certificate(vault, second.serial, "Irrtum")
    other_case = case_number(vault, create_case(vault, NewCase("Yusuf", "Öztürk", "DO")))
    clock.advance(timedelta(days=1))
    other = issue_certificate(vault, IssueRequest(other_case, "teilnahme", COURSE)).document

    def serials(**flt: object) -> list[str]:
        return [r.serial for r in certificate_register(vault, RegisterFilter(**flt))]  # type: ignore[arg-type]

    assert serials() == [other.serial, third.serial, second.serial, first.serial]  # newest
    assert serials(text="ozturk") == serials(text="öztürk yusuf") == [other.serial]
    assert serials(text="haïdari") == serials(text="HAIDARI mariam") == serials()[1:]
    assert serials(text=second.check_code.replace("-", "").lower()) == [second.serial]
    assert serials(text=first.check_code) == [first.serial]
    assert serials(text=first.serial.lower()) == [first.serial]
    assert serials(text="Öztürk Mariam") == []
    assert serials(kind="counselling") == [third.serial]
    assert serials(state="valid") == [other.serial, third.serial, first.serial]
    assert serials(date_until=date(2026, 11, 30)) == [first.serial]
    assert serials(date_from=date(2026, 12, 5)) == [other.serial, third.serial, second.serial]
    assert serials(case_ref=world.case) == serials()[1:]
    [row] = certificate_register(vault, RegisterFilter(kind="counselling"))
    assert (row.kind_label, row.holder, row.issued_by, row.recipient, row.case_number) == (
        "Beratungsbescheinigung", "Mariam Haidari", "Test Fallmanagerin", "Person selbst",
        world.case)


def test_printing_and_saving_are_audited(world: World) -> None:
    vault = world.vault
    doc = issue_certificate(vault, course(world)).document
    record_certificate_output(vault, doc.serial, "print")
    record_certificate_output(vault, doc.serial, "pdf")
    with pytest.raises(ValidationFailed, match="unknown output"):
        record_certificate_output(vault, doc.serial, "fax")
    assert _events(vault, "print") == [{"serial": doc.serial, "action": "print"}]
    assert _events(vault, "certificate.saved") == [{"serial": doc.serial, "action": "pdf"}]


def test_the_recipient_check_answers_for_every_category(world: World) -> None:
    vault = world.vault
    refused = recipient_check(vault, world.case, world.jc)
    assert not refused.allowed and "Jobcenter Dortmund" in refused.reason_de
    assert refused.reason_de.endswith(
        "Es fehlt: „Identität und Kontaktdaten“, „Bildung, Ausbildung und Arbeit“.")
    consent(world, categories=("identity_contact",))
    half = recipient_check(vault, world.case, world.jc)
    assert not half.allowed  # education_work missing, and said so
    assert half.reason_de.endswith("Es fehlt: „Bildung, Ausbildung und Arbeit“.")
    consent(world, categories=("education_work",))
    allowed = recipient_check(vault, world.case, world.jc)
    assert allowed.allowed and allowed.reason_de.startswith("Einwilligung vom 01.10.2026")
    assert _count(vault, Disclosure) == 0  # asking discloses nothing


def test_an_initials_only_template_seals_and_prints_initials(world: World) -> None:
    vault = world.vault
    base = template(vault, "vorsprache")
    save_template(vault, dataclasses.replace(base, key="vorsprache_kurz", initials_only=True))
    doc = issue_certificate(vault, IssueRequest(world.case, "vorsprache_kurz", {
        "am": "24.11.2026", "anlass": "Beratung zur Anerkennung"})).document
    assert (doc.holder_name, doc.holder_birth_date) == ("M. H.", None)
    assert doc.blocks[0].startswith("Hiermit wird bestätigt, dass M. H. am 24.11.2026")
    assert not any("Haidari" in b or "Mariam" in b for b in doc.blocks)
    sealed = unseal(doc.qr_text).payload
    assert (sealed.holder, sealed.birth_date) == ("M. H.", None)
    save_template(vault, dataclasses.replace(base, key="vorsprache_kurz", initials_only=True,
                                             active=False))
    with pytest.raises(ValidationFailed, match="inactive template"):
        issue_certificate(vault, IssueRequest(world.case, "vorsprache_kurz", {
            "am": "24.11.2026", "anlass": "Beratung"}))
