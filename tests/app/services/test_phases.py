"""Every minimum-documentation item of the catalogue blocks its phase step, then unblocks it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import catalogue_phases, catalogues
from app.errors import PhaseBlocked, ValidationFailed
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.phases.read import check_step
from app.services.phases.write import change_phase
from app.services.plan.read import goal_uuids
from app.services.plan.records import NewGoal
from app.services.plan.write import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    evaluate_goal,
    update_goal,
)
from app.vault.store import Vault
from db.models import AuditLog

D = date(2026, 11, 2)
# Recording the key item also records these (an assessment with the client's view *is* an
# assessment): when testing them, the key item stays unrecorded until the end.
IMPLIED_BY = {"life_domain_assessment": {"client_view"}}


class Recorder:
    """One service call per documentation item, as a caseworker would record it."""

    def __init__(self, vault: Vault, case_id: int) -> None:
        self.v, self.c = vault, case_id
        self.inst = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
        self.skip: set[str] = set()

    def _goal(self) -> str:
        existing = goal_uuids(self.v, self.c)
        if existing:
            return existing[0]
        return add_goal(self.v, self.c, NewGoal("training_work", "Ausbildungsplatz finden", None,
                                                None, responsible="Klient"))

    def actions(self) -> dict[str, Callable[[], object]]:
        v, c = self.v, self.c
        return {
            "access_route": lambda: update_case(v, c, access_route="outreach"),
            "indication": lambda: update_case(v, c, indication="Mehrere Stellen, Duldung"),
            "indication_complex_needs": lambda: update_case(v, c, complex_needs=True),
            "indication_several_agencies": lambda: update_case(v, c, several_agencies=True),
            "indication_regular_services": lambda: update_case(
                v, c, regular_services_insufficient=True),
            "dp_info_given": lambda: update_case(v, c, dp_info_given_on=D),
            "dp_info_language": lambda: update_case(v, c, dp_info_language="ar"),
            "consent": lambda: record_consent(v, c, NewConsent(
                self.inst, ["education_work"], "Vermittlung in Ausbildung", D)),
            "working_agreement": lambda: update_case(v, c, working_agreement_on=D),
            "life_domain_assessment": lambda: add_assessment(
                v, c, "language", resources="A2-Zertifikat", needs="B1-Kurs", client_view=None,
                assessed_on=D),
            "client_view": lambda: add_assessment(
                v, c, "training_work", resources=None, needs=None,
                client_view="Möchte Pflegefachkraft werden", assessed_on=D),
            "goal": lambda: add_goal(v, c, NewGoal(
                "language", "Deutsch B1 bestehen", "Zertifikat B1 liegt vor", D + timedelta(180),
                responsible=None if "goal_responsible" in self.skip else "Klientin")),
            "goal_responsible": lambda: [update_goal(v, g, responsible="Klientin und CM")
                                         for g in goal_uuids(v, c)],
            "measure": lambda: add_measure(v, self._goal(), "Anmeldung Integrationskurs VHS"),
            "plan_signed": lambda: update_case(v, c, plan_signed_on=D),
            "referral": lambda: add_referral(v, c, self.inst, "Vermittlung in Ausbildung", D,
                                              ["education_work"]),
            "progress_note": lambda: add_journal_entry(v, c, NewJournalEntry(
                "phone", "Kurs läuft, Anwesenheit gut", datetime(2026, 11, 3, 10, 0,
                                                                 tzinfo=v.clock.now().tzinfo))),
            "attainment": lambda: [evaluate_goal(v, g, "teilweise", None, D)
                                   for g in goal_uuids(v, c)],
            "client_feedback": lambda: update_case(v, c, client_feedback="Zufrieden"),
            "handover_note": lambda: update_case(v, c, handover_note="Übergabe an MBE"),
            "close_reason": lambda: None,  # given with the closing step itself
        }


def _items() -> list[tuple[str, str, str]]:
    out = []
    for p in catalogues.phases():
        target = "closed" if p.documentation_applies == "enter" else p.next
        source = "intake" if p.documentation_applies == "enter" else p.code
        assert target is not None
        out += [(source, target, item.code) for item in p.minimum_documentation]
    return out


def _advance(vault: Vault, rec: Recorder, case_id: int, until: str) -> None:
    for p in catalogues.phases():
        if p.code == until:
            return
        for item in p.minimum_documentation:
            rec.actions()[item.code]()
        assert p.next is not None
        change_phase(vault, case_id, p.next)


def test_every_catalogue_item_has_a_recorder(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    codes = {code for _, _, code in _items()}
    assert codes == set(Recorder(vault, cid).actions())


@pytest.mark.parametrize(("source", "target", "code"), _items(),
                         ids=[f"{s}->{t}:{c}" for s, t, c in _items()])
def test_item_blocks_then_unblocks(vault: Vault, source: str, target: str, code: str) -> None:
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    rec = Recorder(vault, cid)
    _advance(vault, rec, cid, source)
    items = [i.code for i in catalogue_phases.requirements(source, target)]
    rec.skip = {code} | IMPLIED_BY.get(code, set())
    for other in items:
        if other not in rec.skip:
            rec.actions()[other]()
    extra = {"close_reason": None if code == "close_reason" else "goals_reached"} \
        if target == "closed" else {}
    label = next(i.label for i in catalogue_phases.requirements(source, target) if i.code == code)
    step = check_step(vault, cid, target)
    if code != "close_reason":
        assert code in [m.code for m in step.missing]
    with pytest.raises(PhaseBlocked) as blocked:
        change_phase(vault, cid, target, **extra)  # type: ignore[arg-type]
    assert label in blocked.value.message_de
    assert get_case(vault, cid).phase == source  # nothing changed
    rec.actions()[code]()
    if code == "close_reason":
        extra = {"close_reason": "goals_reached"}
    rec.skip = set()
    for implied in IMPLIED_BY.get(code, set()):
        rec.actions()[implied]()
    change_phase(vault, cid, target, **extra)  # type: ignore[arg-type]
    detail = get_case(vault, cid)
    assert detail.phase == target
    assert detail.phase_history[-1].missing_items == []


def test_missing_item_can_be_overridden_with_an_audited_reason(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Samir", "Haddad", "DO"))
    with pytest.raises(PhaseBlocked) as blocked:
        change_phase(vault, cid, "assessment")
    assert "Zugangsweg" in blocked.value.message_de
    change_phase(vault, cid, "assessment", override_reason="Eilfall: Abschiebungsandrohung")
    step = get_case(vault, cid).phase_history[-1]
    assert step.override_reason == "Eilfall: Abschiebungsandrohung"
    assert "access_route" in step.missing_items
    with vault.session() as s:
        entry = s.execute(select(AuditLog).where(
            AuditLog.kind == "case.phase_override")).scalar_one()
        assert "access_route" in entry.detail["missing"]


def test_steps_back_reopen_and_history_is_kept(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Olena", "Kovalenko", "DO"))
    change_phase(vault, cid, "assessment", override_reason="Test")
    change_phase(vault, cid, "intake", reason="Neue Informationen")  # back: no documentation
    with pytest.raises(ValidationFailed):
        change_phase(vault, cid, "linking")  # skipping phases is not a step
    change_phase(vault, cid, "closed", close_reason="moved_away", handover_note="Umzug nach Köln")
    detail = get_case(vault, cid)
    assert detail.closed_on is not None
    change_phase(vault, cid, "assessment", reason="Rückkehr nach Dortmund")
    history = [(s.from_phase, s.to_phase) for s in get_case(vault, cid).phase_history]
    assert history == [(None, "intake"), ("intake", "assessment"), ("assessment", "intake"),
                       ("intake", "closed"), ("closed", "assessment")]
    assert get_case(vault, cid).closed_on is None
