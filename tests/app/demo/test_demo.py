"""Bulk demo data keeps every invariant that data written through the services keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import catalogue_phases, catalogues
from app.check import run_check, synced_tables
from app.clock import FixedClock
from app.conferences_text import REVIEW_TASK_TITLE
from app.demo.generator import generate_demo
from app.services.cases.queries import resolve_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.conferences.queries import REVIEW_SOURCE
from app.services.conferences.read import consent_gate
from app.services.conferences.records import (
    APPROVED,
    CONFERENCE_PURPOSE,
    DRAFTED,
    HELD,
    PLANNED,
)
from app.services.consent.read import decide
from app.services.phases.queries import missing_items
from app.services.search.read import search_journal, search_names
from app.services.tasks.queries import case_follow_ups
from app.sync.steering import aggregate, covered
from app.vault.store import Vault
from db.base import Base
from db.folding import fold_search
from db.models import (
    CaseFile,
    CaseManager,
    Certificate,
    Conference,
    ConferenceAgendaItem,
    ConferenceAmendment,
    ConferenceDecision,
    ConferenceDistribution,
    ConferenceParticipant,
    Contact,
    Institution,
    JournalEntry,
    Person,
    PhaseTransition,
    Task,
)

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    from app.vault.create import create_vault
    from app.vault.kdf import KdfParams
    from tests.conftest import PASSPHRASE

    v = create_vault(tmp_path_factory.mktemp("demo") / "v", PASSPHRASE, owner_name="Demo",
                     municipality="DO", vault_code="D3MO", kdf=KdfParams.minimum())
    create_case(v, NewCase("Zeynep", "Kılıç", "DO"))  # one case made the ordinary way
    generate_demo(v, 300, seed=7)
    return v


def test_check_passes(demo: Vault) -> None:
    report = run_check(demo)
    assert report.ok, report.problems


def test_phase_histories_are_consistent_and_documented(demo: Vault) -> None:
    with demo.session() as s:
        cases = s.execute(select(CaseFile)).scalars().all()
        phases_seen = {c.phase for c in cases}
        assert phases_seen == {p.code for p in catalogues.phases()}
        for case in cases:
            steps = s.execute(select(PhaseTransition).where(PhaseTransition.case_id == case.id)
                              .order_by(PhaseTransition.at, PhaseTransition.id)).scalars().all()
            assert steps[0].from_phase is None and steps[0].to_phase == "intake"
            for prev, nxt in pairwise(steps):
                assert nxt.from_phase == prev.to_phase
                assert catalogue_phases.can_transition(nxt.from_phase or "", nxt.to_phase)
                assert nxt.at >= prev.at
                needed = catalogue_phases.requirements(nxt.from_phase or "", nxt.to_phase)
                assert not missing_items(s, case, needed) or nxt.override_reason, (
                    case.case_number, nxt.to_phase)
            assert steps[-1].to_phase == case.phase
            if case.phase == "closed":
                assert case.closed_on and case.close_reason and case.retention_until


def test_sync_metadata_matches_service_written_rows(demo: Vault) -> None:
    vault_uuid = demo.info.vault_uuid
    with demo.engine.connect() as conn:
        for table in synced_tables():
            t = Base.metadata.tables[table]
            rows = conn.execute(select(t.c.uuid, t.c.origin_vault, t.c.changed_by_vault,
                                       t.c.version_vector, t.c.field_stamps)).all()
            for r in rows:
                assert len(r.uuid) == 32
                assert r.origin_vault == r.changed_by_vault == vault_uuid
                [(counter_vault, version)] = r.version_vector.items()
                assert counter_vault == vault_uuid
                if version == 1:
                    assert r.field_stamps == {}
                    continue
                # Changed after the insert, through the services: only the certificates the
                # demo reprints or revokes and the training rows its certificate binds.
                assert table in ("certificate", "training_record"), table
                assert r.field_stamps and all(stamp == [vault_uuid, version]
                                              for stamp in r.field_stamps.values())
            assert len({r.uuid for r in rows}) == len(rows)


def test_search_index_is_complete(demo: Vault) -> None:
    with demo.session() as s:
        people = s.execute(select(CaseFile.id, CaseFile.case_number, Person.family_name,
                                  Person.given_names).join(Person)).all()
        entries = s.execute(select(JournalEntry.id, JournalEntry.text).limit(60)).all()
    for cid, number, family, given in people:
        by_name = {h.case_id for h in search_names(demo, f"{fold_search(family)} "
                                                  f"{fold_search(given)[:3]}", limit=500)}
        assert cid in by_name, (number, family)
        assert cid in {h.case_id for h in search_names(demo, number)}
    for eid, body in entries:
        word = max(body.split(), key=len).strip(".,;:()„“\"")
        hits = search_journal(demo, word, limit=10_000)
        assert eid in {h.entry_id for h in hits}, word


def test_deadlines_and_numbers_continue(demo: Vault) -> None:
    with demo.session() as s:
        for case in s.execute(select(CaseFile)).scalars():
            items = case_follow_ups(s, case)
            assert case.next_deadline == (items[0].due_on if items else None), case.case_number
        numbers = s.execute(select(CaseFile.case_number)).scalars().all()
    assert len(numbers) == len(set(numbers))
    new_id = create_case(demo, NewCase("Ivana", "Đorđević", "DO"))
    with demo.session() as s:
        assert resolve_case(s, new_id).case_number not in numbers


def test_names_are_diverse(demo: Vault) -> None:
    with demo.session() as s:
        names = " ".join(f"{p.given_names} {p.family_name}" for p in
                         s.execute(select(Person)).scalars())
    assert sum(ch in names for ch in "äöüßışğçłąđćžș") >= 8


def test_the_owner_carries_a_realistic_caseload(demo: Vault) -> None:
    """One case manager carries about 30-60 open cases; the other open cases are colleagues'."""
    with demo.read_session() as s:
        owner = s.execute(select(CaseManager.id).where(
            CaseManager.uuid == demo.info.owner_uuid)).scalar_one()
        open_by_manager = dict(s.execute(
            select(CaseFile.case_manager_id, func.count()).where(
                CaseFile.closed_on.is_(None), CaseFile.deleted.is_(False))
            .group_by(CaseFile.case_manager_id)).tuples().all())
    assert 30 <= open_by_manager.pop(owner) <= 60
    assert len(open_by_manager) >= 4 and sum(open_by_manager.values()) > 100


# --- case conferences ---------------------------------------------------------------------


def test_conferences_exist_in_every_state_with_their_parts(demo: Vault) -> None:
    today = demo.clock.today()
    with demo.read_session() as s:
        confs = s.execute(select(Conference)).scalars().all()
        by_status: dict[str, list[Conference]] = {}
        for c in confs:
            by_status.setdefault(c.status, []).append(c)
        assert set(by_status) == {PLANNED, HELD, DRAFTED, APPROVED}
        assert any(today < c.scheduled_at.date() <= today + timedelta(days=30)
                   for c in by_status[PLANNED])  # Heute shows it
        assert all(c.scheduled_at.date() > today and c.held_at is None
                   for c in by_status[PLANNED])
        for c in confs:
            assert c.minutes_locked == (c.status == APPROVED)
            assert (c.approved_on is not None and bool(c.approved_by_text)) == \
                (c.status == APPROVED)
            if c.status != PLANNED:
                assert c.held_at is not None and c.scheduled_at.date() <= today
        approved_ids = [c.id for c in by_status[APPROVED]]
        amendments = s.execute(select(ConferenceAmendment)).scalars().all()
        assert amendments and {a.conference_id for a in amendments} <= set(approved_ids)
        assert all(a.author_text and a.reason and a.text for a in amendments)
        # Participants from the directory: the contact belongs to the institution named.
        people = s.execute(select(ConferenceParticipant)).scalars().all()
        from_directory = [p for p in people if p.contact_id is not None]
        assert from_directory
        for p in from_directory:
            contact = s.get(Contact, p.contact_id)
            assert contact is not None and contact.institution_id == p.institution_id
            assert p.name == contact.name
        languages = {lang.code for lang in catalogues.languages()}
        interpreters = [p for p in people if p.is_interpreter]
        assert interpreters and all(p.language in languages for p in interpreters)
        assert any(p.is_client for p in people)
        # No client name and no case number in a title or place (they travel by e-mail).
        clients = s.execute(select(Person.family_name, CaseFile.case_number).join(
            CaseFile, CaseFile.person_id == Person.id)).all()
        for c in confs:
            words = f"{c.title} {c.place}"
            assert not any(f" {family} " in f" {words} " or number in words
                           for family, number in clients), c.title


def test_conference_decisions_are_tasks_linked_both_ways(demo: Vault) -> None:
    with demo.read_session() as s:
        rows = s.execute(select(ConferenceDecision, ConferenceAgendaItem, Conference)
                         .join(ConferenceAgendaItem,
                               ConferenceAgendaItem.id == ConferenceDecision.agenda_item_id)
                         .join(Conference, Conference.id == ConferenceAgendaItem.conference_id)
                         ).all()
        assert rows
        assert {conf.status for _, _, conf in rows} == {HELD, DRAFTED, APPROVED}
        for decision, item, _conf in rows:
            task = s.get(Task, decision.task_id)
            assert task is not None
            assert task.decision_id == decision.id
            assert task.source == "conference_decision"
            assert task.case_id == item.case_id
            assert (task.title, task.due_on) == (decision.what, decision.by_when)
        held_items = [item for _, item, conf in rows]
        assert all(item.legal_basis_note and item.resources_goals for item in held_items)
        institution_uuids = set(s.execute(select(Institution.uuid)).scalars())
        assert all(set(item.state_of_affairs) <= institution_uuids for item in held_items)
        assert any(item.state_of_affairs for item in held_items)
        # The next review is a follow-up of the case, as record_case_minutes leaves it.
        reviews = s.execute(select(Task.case_id, Task.due_on).where(
            Task.source == REVIEW_SOURCE, Task.title == REVIEW_TASK_TITLE)).all()
        assert reviews
        planned = {(i.case_id, i.next_review_on) for i in s.execute(
            select(ConferenceAgendaItem)).scalars()}
        assert set(reviews) <= planned


def test_approved_minutes_have_the_distribution_the_gate_allows(demo: Vault) -> None:
    with demo.read_session() as s:
        approved = s.execute(select(Conference).where(Conference.status == APPROVED)
                             ).scalars().all()
        rows = {c.uuid: s.execute(select(ConferenceDistribution).where(
            ConferenceDistribution.conference_id == c.id)).scalars().all() for c in approved}
        people = {c.uuid: s.execute(select(ConferenceParticipant).where(
            ConferenceParticipant.conference_id == c.id)).scalars().all() for c in approved}
        uuids = dict(s.execute(select(Institution.id, Institution.uuid)).tuples().all())
    for conf in approved:
        gate = consent_gate(demo, conf.uuid)
        assert len(rows[conf.uuid]) == len(people[conf.uuid])
        for row in rows[conf.uuid]:
            if row.institution_id is None:
                continue
            covered = gate.covered_cases(uuids[row.institution_id])
            assert row.pseudonymised == (covered != {c.case_id for c in gate.cases})


def test_the_consent_gate_covers_most_cells_and_blocks_some(demo: Vault) -> None:
    """Per agenda case × participating institution, the core's decision for the purpose
    "Fallkonferenz": most are covered, some blocked, and no case on held minutes is without
    a covered institution."""
    today = demo.clock.today()
    covered = blocked = 0
    reasons: set[str] = set()
    with demo.read_session() as s:
        confs = s.execute(select(Conference)).scalars().all()
        for conf in confs:
            insts = s.execute(select(Institution).join(
                ConferenceParticipant, ConferenceParticipant.institution_id == Institution.id)
                .where(ConferenceParticipant.conference_id == conf.id)).scalars().unique().all()
            items = s.execute(select(ConferenceAgendaItem).where(
                ConferenceAgendaItem.conference_id == conf.id)).scalars().all()
            day = max(today, conf.scheduled_at.date())
            for item in items:
                case = s.get(CaseFile, item.case_id)
                assert case is not None and item.data_categories
                decisions = [[decide(s, case, inst, code, CONFERENCE_PURPOSE, day)
                              for code in item.data_categories] for inst in insts]
                cells = [all(d.allowed for d in row) for row in decisions]
                reasons |= {d.reason_en for row in decisions for d in row if not d.allowed}
                assert any(cells), (conf.status, case.case_number)
                covered += cells.count(True)
                blocked += cells.count(False)
    assert blocked >= 1
    assert covered > 2 * blocked
    # What a newcomer should see the matrix explain, each at least once.
    assert reasons == {"no consent or legal basis", "consent expired", "consent withdrawn",
                       "consent covers another purpose",
                       "consent does not cover confided information"}


# --- certificates ----------------------------------------------------------------------------


def test_client_certificates_of_several_templates_one_reprinted_one_revoked(
        demo: Vault) -> None:
    from app.demo.certificates import REVOKE_REASON
    from app.seal.records import REVOKED, VALID
    from app.services.certificates.read import certificate_register, document_of
    from app.services.certificates.records import TRAINING, RegisterFilter
    from app.services.verification.read import verify_qr_text

    rows = [r for r in certificate_register(demo, RegisterFilter()) if r.kind != TRAINING]
    assert len(rows) >= 4
    with demo.read_session() as s:
        keys = set(s.execute(select(Certificate.template_key).where(
            Certificate.kind != TRAINING)).scalars())
    assert len(keys) >= 2 and None not in keys
    assert [r.copies for r in rows if r.copies] == [1]
    [revoked] = [r for r in rows if r.revoked_on is not None]
    assert revoked.revoke_reason == REVOKE_REASON
    for row in rows:  # sealed for real: each verifies, the revoked one as revoked
        assert row.case_number and row.holder
        verdict = verify_qr_text(demo, document_of(demo, row.serial).qr_text)
        assert verdict.outcome == (REVOKED if row is revoked else VALID), verdict.message_en


def test_two_colleagues_in_training_one_certified_one_lacking_the_colloquium(
        demo: Vault) -> None:
    from app.demo.certificates import COMPLETE, NO_COLLOQUIUM
    from app.services.training.read import training_overview

    overview = {t.staff_name: t for t in training_overview(demo)}
    done, almost = overview[COMPLETE], overview[NO_COLLOQUIUM]
    assert done.complete and done.certificate_serial is not None
    assert [c.key for c in almost.criteria if not c.met] == ["colloquium"]
    assert almost.certificate_serial is None and len(almost.missing) == 1
    with demo.read_session() as s:
        issued = s.execute(select(Certificate).where(
            Certificate.serial == done.certificate_serial)).scalar_one()
    assert issued.kind == "training" and issued.staff_id is not None


def test_demo_conferences_follow_the_seed(tmp_path: Path) -> None:
    from app.vault.create import create_vault
    from app.vault.kdf import KdfParams
    from tests.conftest import PASSPHRASE

    def conferences(folder: str) -> list[tuple[object, ...]]:
        v = create_vault(tmp_path / folder, PASSPHRASE, owner_name="Demo", municipality="DO",
                         vault_code="D3MO", kdf=KdfParams.minimum(), clock=FixedClock(NOW))
        try:
            generate_demo(v, 40, seed=5)
            with v.read_session() as s:
                return [tuple(r) for r in s.execute(select(
                    Conference.title, Conference.status, Conference.scheduled_at,
                    Conference.place)).all()]
        finally:
            v.lock()

    first = conferences("a")
    assert len(first) >= 8
    assert first == conferences("b")


def test_a_demo_steering_report_has_numbers_to_show(demo: Vault) -> None:
    """Most demo clients consented to the steering report: a report over this year shows
    counts, not only suppressed cells (the steering committee's view needs something to show)."""
    today = demo.clock.today()
    with demo.read_session() as s:
        persons, _by_basis = covered(s, today)
        clients = set(s.execute(select(CaseFile.person_id)).scalars())
        body = aggregate(s, date(today.year, 1, 1), today, today)
    share = len(persons & clients) / len(clients)
    assert 0.6 < share < 0.9  # most, not all: some decline, a few withdraw
    assert body["totals"]["cases"] is not None and body["totals"]["cases"] >= 100
    shown = {name: [n for n in table.values() if n is not None]
             for name, table in body["tables"].items() if table}
    for name in ("phase", "target_group", "municipality", "residence_status"):
        assert shown.get(name), name  # each of these tables shows at least one count
