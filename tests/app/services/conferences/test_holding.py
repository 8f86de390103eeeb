"""Holding a conference: the disclosures it makes, attendance, the minutes of each case, and
decisions that become tasks in the case, shown in Heute and in the case's task list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services.conferences.read import conference_detail
from app.services.conferences.records import (
    AgendaInput,
    CaseMinutes,
    ConferencePlan,
    DecisionInput,
    ParticipantInput,
)
from app.services.conferences.write import (
    mark_held,
    record_case_minutes,
    remove_decision,
    save_decision,
    set_agenda,
    set_attendance,
    set_participants,
    update_plan,
)
from app.services.consent.records import DisclosureWarningPending
from app.services.consent.write import record_legal_basis
from app.services.tasks.read import case_follow_up_rows
from app.services.tasks.write import complete_task
from app.services.today.read import today_overview
from app.vault.store import Vault
from db.models import (
    AuditLog,
    CaseFile,
    ConferenceDecision,
    ConferenceParticipant,
    Disclosure,
    Task,
)
from tests.app.services.conferences.conftest import (
    WHEN,
    World,
    consent,
    covered,
    held,
    planned,
)


def _disclosures(vault: Vault) -> list[tuple[str, str, int | None, bool]]:
    with vault.read_session() as s:
        return [(d.data_category, d.channel, d.conference_id, d.warning_acknowledged)
                for d in s.execute(select(Disclosure).order_by(Disclosure.id)).scalars()]


def _audit_count(vault: Vault) -> int:
    with vault.read_session() as s:
        return len(s.execute(select(AuditLog.seq)).all())


def test_a_case_nobody_is_covered_for_cannot_be_held(world: World) -> None:
    uuid = planned(world)
    with pytest.raises(ValidationFailed) as both:
        mark_held(world.vault, uuid, WHEN)
    assert both.value.message_de.startswith(f"Die Fälle {world.case_a}, {world.case_b} können")
    consent(world, world.case_a, world.jc, ["education_work"])
    before = _audit_count(world.vault)
    with pytest.raises(ValidationFailed) as refused:
        mark_held(world.vault, uuid, WHEN)
    assert world.case_b in refused.value.message_de and world.case_a not in \
        refused.value.message_de
    assert refused.value.message_de.startswith(f"Fall {world.case_b} kann nicht besprochen")
    assert conference_detail(world.vault, uuid).status == "planned"
    assert _disclosures(world.vault) == []
    assert _audit_count(world.vault) == before + 1  # the detail read only


def test_held_logs_one_disclosure_per_case_institution_and_category(world: World) -> None:
    vault = world.vault
    uuid = covered(world, categories=("education_work", "housing"))
    mark_held(vault, uuid, WHEN)
    d = conference_detail(vault, uuid)
    assert (d.status, d.held_at) == ("held", WHEN)
    # JC × A, JC × B, JA × B; two categories each; JA × A is not covered: nothing to JA on A.
    with vault.read_session() as s:
        rows = s.execute(select(Disclosure, CaseFile.case_number)
                         .join(CaseFile, CaseFile.id == Disclosure.case_id)).all()
        assert sorted((n, d.institution_id, d.data_category) for d, n in rows) == sorted(
            (n, i, c) for n, i in ((world.case_a, 1), (world.case_b, 1), (world.case_b, 2))
            for c in ("education_work", "housing"))
        assert {(d.channel, d.purpose, d.disclosed_at) for d, _ in rows} == {
            ("conference", "Fallkonferenz", WHEN)}
        assert all(d.conference_id is not None for d, _ in rows)
        logged = s.execute(select(AuditLog).where(AuditLog.kind == "disclosure")).scalars().all()
        assert len(logged) == 6
        assert all(e.detail["conference"] == uuid and e.detail["channel"] == "conference"
                   for e in logged)
        done = s.execute(select(AuditLog).where(AuditLog.kind == "conference.held")).scalar_one()
        assert (done.object_uuid, done.detail["disclosures"]) == (uuid, 6)
    with vault.read_session() as s:
        # The job centre is covered for both cases: it may receive the full minutes.
        assert [p.may_see_all for p in s.execute(select(ConferenceParticipant).order_by(
            ConferenceParticipant.id)).scalars()] == [True, False]
    with pytest.raises(ValidationFailed, match="conference is held"):
        mark_held(vault, uuid, WHEN)


def test_warning_of_the_foreigners_authority_must_be_acknowledged(world: World) -> None:
    vault = world.vault
    uuid = planned(world, cases=(world.case_a,), contacts=(world.abh_contact,),
                   categories=("residence",))
    record_legal_basis(vault, world.case_a, world.abh, "residence", "§ 87 Abs. 1 AufenthG",
                       "Auskunftsersuchen", date(2026, 11, 1))
    with pytest.raises(DisclosureWarningPending) as pending:
        mark_held(vault, uuid, WHEN)
    assert any("Ausländerbehörde" in w for w in pending.value.warnings)
    assert conference_detail(vault, uuid).status == "planned" and _disclosures(vault) == []
    mark_held(vault, uuid, WHEN, warnings_acknowledged=True)
    assert [(c, ch, ack) for c, ch, _id, ack in _disclosures(vault)] == [
        ("residence", "conference", True)]


def test_attendance_only_after_the_conference(world: World) -> None:
    vault = world.vault
    uuid = covered(world)
    jc = conference_detail(vault, uuid).participants[0]
    with pytest.raises(ValidationFailed) as refused:
        set_attendance(vault, jc.uuid, "present")
    assert "stattgefunden" in refused.value.message_de
    mark_held(vault, uuid, WHEN)
    set_attendance(vault, jc.uuid, "present")
    with pytest.raises(ValidationFailed):
        set_attendance(vault, jc.uuid, "da")
    assert conference_detail(vault, uuid).participants[0].attendance == "present"


def test_case_minutes_keep_only_covered_institutions_and_plan_the_review(world: World) -> None:
    vault = world.vault
    uuid = held(world)
    item_a = conference_detail(vault, uuid).agenda[0]
    with pytest.raises(ValidationFailed) as refused:
        record_case_minutes(vault, item_a.uuid, CaseMinutes(
            state_of_affairs={world.jc: "Vermittlung läuft", world.ja: "Hilfe zur Erziehung"}))
    assert "Jugendamt Dortmund" in refused.value.message_de
    assert world.case_a in refused.value.message_de
    assert conference_detail(vault, uuid).agenda[0].minutes.state_of_affairs == {}
    record_case_minutes(vault, item_a.uuid, CaseMinutes(
        legal_basis_note="Einwilligung vom 01.10.2026", state_of_affairs={
            world.jc: " Vermittlung läuft ", world.ja: "  "},
        resources_goals="Motiviert", next_review_on=date(2027, 1, 15)))
    minutes = conference_detail(vault, uuid).agenda[0].minutes
    assert minutes.state_of_affairs == {world.jc: "Vermittlung läuft"}
    assert minutes.next_review_on == date(2027, 1, 15)

    def reviews() -> list[tuple[date | None, bool, str]]:
        with vault.read_session() as s:
            return [(t.due_on, t.deleted, t.title) for t in s.execute(
                select(Task).where(Task.source == "conference_review")).scalars()]

    assert reviews() == [(date(2027, 1, 15), False, "Überprüfung nach Fallkonferenz")]
    record_case_minutes(vault, item_a.uuid, CaseMinutes(next_review_on=date(2027, 2, 1)))
    assert reviews() == [(date(2027, 2, 1), False, "Überprüfung nach Fallkonferenz")]
    assert [r.title for r in case_follow_up_rows(vault, world.case_a).items] == [
        "Überprüfung nach Fallkonferenz"]
    with vault.read_session() as s:
        review = s.execute(select(Task.uuid).where(Task.source == "conference_review")
                           ).scalar_one()
    record_case_minutes(vault, item_a.uuid, CaseMinutes())
    assert reviews() == []  # a tombstone: its content is gone
    with vault.read_session() as s:
        assert s.execute(select(Task.deleted).where(Task.uuid == review)).scalar_one()


def test_decisions_become_tasks_that_heute_and_the_case_show(world: World) -> None:
    vault = world.vault
    uuid = held(world)
    item_a = conference_detail(vault, uuid).agenda[0]
    for bad in (DecisionInput(" ", "Jobcenter"), DecisionInput("Kurs", "")):
        with pytest.raises(ValidationFailed):
            save_decision(vault, item_a.uuid, bad)
    decision = save_decision(vault, item_a.uuid, DecisionInput(
        "Anmeldung zum Sprachkurs B2", "Jobcenter Dortmund", date(2026, 12, 1),
        who_institution_uuid=world.jc))
    with vault.read_session() as s:
        row = s.execute(select(ConferenceDecision).where(
            ConferenceDecision.uuid == decision)).scalar_one()
        task = s.get(Task, row.task_id)
        assert task is not None and task.decision_id == row.id
        assert (task.title, task.due_on, task.assignee_text, task.source) == (
            "Anmeldung zum Sprachkurs B2", date(2026, 12, 1), "Jobcenter Dortmund",
            "conference_decision")
        task_uuid = task.uuid
    upcoming = today_overview(vault).upcoming
    assert [(i.case_number, i.text, i.source_uuid) for i in upcoming] == [
        (world.case_a, "Anmeldung zum Sprachkurs B2", task_uuid)]
    rows = case_follow_up_rows(vault, world.case_a).items
    assert [(r.title, r.due_on, r.assignee) for r in rows] == [
        ("Anmeldung zum Sprachkurs B2", date(2026, 12, 1), "Jobcenter Dortmund")]
    (shown,) = conference_detail(vault, uuid).agenda[0].decisions
    assert (shown.uuid, shown.task_uuid, shown.who_institution_uuid, shown.task_done) == (
        decision, task_uuid, world.jc, False)
    # Changing the decision changes its task.
    save_decision(vault, item_a.uuid, DecisionInput(
        "Anmeldung zum Sprachkurs C1", "Frau Lindner", date(2026, 12, 4), uuid=decision))
    assert [(i.text, i.on) for i in today_overview(vault).upcoming] == [
        ("Anmeldung zum Sprachkurs C1", date(2026, 12, 4))]
    # Removed: the open task goes with it; a done one stays (it was work that happened).
    remove_decision(vault, decision)
    assert today_overview(vault).upcoming == []
    assert conference_detail(vault, uuid).agenda[0].decisions == ()
    kept = save_decision(vault, item_a.uuid, DecisionInput("Wohnungsamt anfragen", "KIM",
                                                           date(2026, 11, 30)))
    done_task = conference_detail(vault, uuid).agenda[0].decisions[0].task_uuid
    assert done_task is not None
    complete_task(vault, done_task, date(2026, 11, 26))
    remove_decision(vault, kept)
    with vault.read_session() as s:
        assert not s.execute(select(Task.deleted).where(Task.uuid == done_task)).scalar_one()


def test_decisions_only_after_the_conference(world: World) -> None:
    uuid = covered(world)
    item = conference_detail(world.vault, uuid).agenda[0]
    with pytest.raises(ValidationFailed) as refused:
        save_decision(world.vault, item.uuid, DecisionInput("Kurs", "JC"))
    assert "stattgefunden" in refused.value.message_de
    with pytest.raises(ValidationFailed):
        record_case_minutes(world.vault, item.uuid, CaseMinutes(resources_goals="x"))


def test_after_the_conference_only_the_wording_of_the_plan_may_change(world: World) -> None:
    vault = world.vault
    uuid = held(world)
    before = conference_detail(vault, uuid)
    for attempt in (
            lambda: set_participants(vault, uuid, [ParticipantInput(
                "", contact_uuid=world.abh_contact)]),
            lambda: set_agenda(vault, uuid, [AgendaInput(world.case_a, "x", ("health",))]),
            lambda: update_plan(vault, uuid, ConferencePlan(
                before.title, WHEN + timedelta(days=1)))):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert "bereits stattgefunden" in refused.value.message_de
    update_plan(vault, uuid, ConferencePlan("Fallkonferenz Übergang (korrigiert)", WHEN,
                                            "Raum 114", chair_text="Frau Demir"))
    after = conference_detail(vault, uuid)
    assert (after.title, after.place, after.participants, after.agenda) == (
        "Fallkonferenz Übergang (korrigiert)", "Raum 114", before.participants, before.agenda)
