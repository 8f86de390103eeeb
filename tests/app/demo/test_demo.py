"""Bulk demo data keeps every invariant that data written through the services keeps."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import func, select

from app import catalogues
from app.check import run_check, synced_tables
from app.demo.generator import generate_demo
from app.services.cases.queries import resolve_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.phases.queries import missing_items
from app.services.search.read import search_journal, search_names
from app.services.tasks.queries import case_follow_ups
from app.vault.store import Vault
from db.base import Base
from db.folding import fold_search
from db.models import CaseFile, CaseManager, JournalEntry, Person, PhaseTransition


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
                assert catalogues.can_transition(nxt.from_phase or "", nxt.to_phase)
                assert nxt.at >= prev.at
                needed = catalogues.requirements(nxt.from_phase or "", nxt.to_phase)
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
                assert r.version_vector == {vault_uuid: 1}
                assert r.field_stamps == {}
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
