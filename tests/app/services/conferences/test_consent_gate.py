"""The consent gate: every case on the agenda × every participating institution, decided per
data category by the consent services' ``decide`` for the conference purpose."""

from __future__ import annotations

from datetime import date, timedelta

from app.clock import FixedClock
from app.services.conferences.read import consent_gate, list_conferences
from app.services.conferences.records import ConferenceFilter, ParticipantInput
from app.services.conferences.write import set_participants
from app.services.consent.write import record_legal_basis, withdraw_consent
from tests.app.services.conferences.conftest import World, consent, planned


def _case_id(w: World, uuid: str, number: str) -> int:
    return next(c.case_id for c in consent_gate(w.vault, uuid).cases if c.case_number == number)


def test_no_consent_blocks_every_case_and_says_why(world: World) -> None:
    uuid = planned(world)
    gate = consent_gate(world.vault, uuid)
    assert gate.on == date(2026, 12, 3)  # a planned conference is judged on its own day
    assert [i.uuid for i in gate.institutions] == [world.jc, world.ja]
    assert gate.institutions[0].kind_label == "Jobcenter"
    assert len(gate.cells) == 4 and not any(c.covered for c in gate.cells)
    cell = gate.cell(gate.cases[0].case_id, world.jc)
    assert cell is not None and cell.missing == ("education_work",)
    assert "weder eine Einwilligung" in cell.explanation()
    assert not gate.discussable(gate.cases[0].case_id)
    assert list_conferences(world.vault, ConferenceFilter())[0].blocked_cases == 2


def test_consent_covers_only_its_institution_category_and_purpose(world: World) -> None:
    uuid = planned(world)
    consent(world, world.case_a, world.jc, ["education_work"])
    consent(world, world.case_a, world.ja, ["health"])  # another category
    consent(world, world.case_b, world.jc, ["education_work"], purpose="Arbeitsvermittlung")
    gate = consent_gate(world.vault, uuid)
    a, b = (c.case_id for c in gate.cases)
    jc_a, ja_a = gate.cell(a, world.jc), gate.cell(a, world.ja)
    jc_b, ja_b = gate.cell(b, world.jc), gate.cell(b, world.ja)
    assert jc_a is not None and jc_a.covered and jc_a.missing == ()
    assert "Einwilligung vom 01.10.2026" in jc_a.decisions[0][1].reason_de
    assert ja_a is not None and not ja_a.covered and "weder eine Einwilligung" in \
        ja_a.explanation()
    assert jc_b is not None and not jc_b.covered and "Zweck „Arbeitsvermittlung“" in \
        jc_b.explanation()
    assert ja_b is not None and not ja_b.covered
    assert gate.discussable(a) and not gate.discussable(b)  # nobody is covered for b
    assert gate.covered_cases(world.jc) == {a}
    assert list_conferences(world.vault, ConferenceFilter())[0].blocked_cases == 1
    # Covered by the second institution alone is enough to discuss case B.
    consent(world, world.case_b, world.ja, ["education_work"])
    assert consent_gate(world.vault, uuid).discussable(b)
    assert list_conferences(world.vault, ConferenceFilter())[0].blocked_cases == 0


def test_expired_and_withdrawn_consents(world: World, clock: FixedClock) -> None:
    uuid = planned(world, cases=(world.case_a,))
    # Valid today, but ends before the conference's day.
    consent(world, world.case_a, world.jc, ["education_work"], valid_until=date(2026, 11, 30))
    jc_withdrawn = consent(world, world.case_a, world.ja, ["education_work"])
    withdraw_consent(world.vault, jc_withdrawn, date(2026, 11, 20))
    gate = consent_gate(world.vault, uuid)
    case = gate.cases[0].case_id
    jc, ja = gate.cell(case, world.jc), gate.cell(case, world.ja)
    assert jc is not None and not jc.covered and "am 30.11.2026 abgelaufen" in jc.explanation()
    assert ja is not None and not ja.covered and "am 20.11.2026 widerrufen" in ja.explanation()
    # As of a day before the end, the consent still covers the job centre.
    assert consent_gate(world.vault, uuid, on=date(2026, 11, 29)).cell(
        case, world.jc).covered  # type: ignore[union-attr]
    # A consent running into next year expires while the clock moves on.
    consent(world, world.case_a, world.jc, ["education_work"], valid_until=date(2026, 12, 31))
    assert consent_gate(world.vault, uuid).cell(case, world.jc).covered  # type: ignore[union-attr]
    clock.advance(timedelta(days=45))
    later = consent_gate(world.vault, uuid)
    assert later.on == date(2027, 1, 9)
    cell = later.cell(case, world.jc)
    assert cell is not None and not cell.covered and "abgelaufen" in cell.explanation()


def test_legal_basis_covers_and_the_foreigners_authority_warns(world: World) -> None:
    uuid = planned(world, cases=(world.case_a,), contacts=(world.abh_contact,),
                   categories=("residence",))
    case = _case_id(world, uuid, world.case_a)
    assert not consent_gate(world.vault, uuid).discussable(case)
    record_legal_basis(world.vault, world.case_a, world.abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Auskunftsersuchen", date(2026, 11, 1))
    gate = consent_gate(world.vault, uuid)
    cell = gate.cell(case, world.abh)
    assert cell is not None and cell.covered
    assert "Rechtsgrundlage § 87 Abs. 1 AufenthG" in cell.decisions[0][1].reason_de
    assert any("Ausländerbehörde" in w for w in gate.warnings()), gate.warnings()


def test_confided_information_needs_explicit_consent_never_a_legal_basis(world: World) -> None:
    uuid = planned(world, cases=(world.case_a,), contacts=(world.jc_contact, world.ja_contact),
                   categories=("education_work", "confided"))
    case = _case_id(world, uuid, world.case_a)
    record_legal_basis(world.vault, world.case_a, world.ja, "education_work", "§ 8a SGB VIII",
                       "Kindeswohl", date(2026, 11, 1))
    record_legal_basis(world.vault, world.case_a, world.ja, "confided", "§ 8a SGB VIII",
                       "Kindeswohl", date(2026, 11, 1))
    consent(world, world.case_a, world.jc, ["education_work", "confided"])  # no covers_confided
    gate = consent_gate(world.vault, uuid)
    ja, jc = gate.cell(case, world.ja), gate.cell(case, world.jc)
    assert ja is not None and not ja.covered and ja.missing == ("confided",)
    assert jc is not None and not jc.covered and jc.missing == ("confided",)
    assert "keine anvertrauten Informationen" in jc.explanation()
    consent(world, world.case_a, world.jc, ["education_work", "confided"], covers_confided=True)
    gate = consent_gate(world.vault, uuid)
    jc = gate.cell(case, world.jc)
    assert jc is not None and jc.covered
    assert any("anvertraut" in w for w in gate.warnings())


def test_client_and_interpreter_are_no_institutions(world: World) -> None:
    uuid = planned(world, cases=(world.case_a,))
    set_participants(world.vault, uuid, [
        ParticipantInput("", contact_uuid=world.jc_contact),
        ParticipantInput("Haidari, Mariam", is_client=True),
        ParticipantInput("Farid Rahimi", is_interpreter=True, language="fa")])
    gate = consent_gate(world.vault, uuid)
    assert [i.uuid for i in gate.institutions] == [world.jc]
    assert len(gate.cells) == 1
