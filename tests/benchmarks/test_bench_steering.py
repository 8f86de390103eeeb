"""The steering report over 10,000 cases (issue 12).

The store: a real encrypted vault with 10,000 cases, each with a client, phase steps, a
residence status, a referral, a goal and a consent or legal basis (most covering the report),
written in bulk (Core inserts with their sync columns; the ORM path of
``tests.support.steering_world`` takes many minutes for this size on a loaded machine).
Measured: ``aggregate`` (what ``export_report`` seals; the sealing itself is the format's
benchmark). Baseline, in the same run and alternating with it: reading the same rows (the
columns the report reads) from the same SQLite store with plain SQL, with no counting,
suppression or checks: what the aggregation adds on top of the reads.
Target: median <= 1 s.
"""

from __future__ import annotations

import random
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from app.clock import FixedClock
from app.sync.steering import STEERING_PURPOSE, aggregate
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Consent,
    Goal,
    Institution,
    LegalBasis,
    Person,
    PhaseTransition,
    Referral,
    ResidenceStatus,
)
from tests.benchmarks.harness import RESULTS, Row, timed
from tests.benchmarks.stores import PASSPHRASE, bench_clock
from tests.support.steering_world import CaseSpec

CASES = 10_000
RUNS = 7
TARGET_S = 1.0
GROUP = "steering report (issue 12)"
AS_OF = date(2026, 11, 25)
FROM, TO = date(2026, 1, 1), date(2026, 10, 31)
SAME_ROWS = (
    "SELECT id, person_id, target_group, municipality, phase, opened_on, closed_on, "
    "close_reason FROM case_file WHERE deleted = 0",
    "SELECT person_id, purpose, given_on, withdrawn_on, valid_until FROM consent "
    "WHERE deleted = 0",
    "SELECT case_id, basis, recorded_on, valid_until FROM legal_basis WHERE deleted = 0",
    "SELECT case_id, at, to_phase FROM phase_transition WHERE deleted = 0",
    "SELECT person_id, kind, valid_from, id FROM residence_status WHERE deleted = 0",
    "SELECT r.case_id, i.kind FROM referral r JOIN institution i ON i.id = r.institution_id "
    "WHERE r.deleted = 0",
    "SELECT attainment, case_id FROM goal WHERE deleted = 0",
    "SELECT a.case_id FROM conference_agenda_item a JOIN conference c "
    "ON c.id = a.conference_id WHERE a.deleted = 0",
    "SELECT category FROM system_gap WHERE deleted = 0",
)


def _specs(n: int) -> list[CaseSpec]:
    rng = random.Random(12)
    specs = []
    for _ in range(n):
        opened = date(2024, 1, 1) + timedelta(days=rng.randrange(1000))
        closed = (opened + timedelta(days=rng.randrange(30, 600))
                  if rng.random() < 0.4 else None)
        if closed is not None and closed > AS_OF:
            closed = None
        specs.append(CaseSpec(
            rng.choice(("long_term_tolerated", "newly_arrived", "young_adults", None)),
            rng.choice(("DO", "K", "BI", "MS")), opened, closed,
            rng.choice(("goals_reached", "moved_away", "ended_by_client")) if closed else None,
            "closed" if closed else rng.choice(("intake", "assessment", "planning",
                                                "monitoring")),
            rng.choice(("duldung", "aufenthaltsgestattung", "aufenthaltserlaubnis_25b", None)),
            rng.choices(("consent", "basis", "other", "withdrawn", "none"),
                        (70, 10, 8, 4, 8))[0],
            rng.choice(("jobcenter", "schule", "jugendamt", None)),
            rng.choice(("erreicht", "teilweise", "nicht_erreicht", None))))
    return specs


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    folder: Path = tmp_path_factory.mktemp("bench_steering") / "vault"
    clock: FixedClock = bench_clock()
    vault = create_vault(folder, PASSPHRASE, owner_name="Benchmark Fallmanagerin",
                         municipality="DO", vault_code="ST10", kdf=KdfParams.minimum(),
                         clock=clock)
    _bulk(vault, _specs(CASES))
    yield vault
    vault.lock()


def _bulk(vault: Vault, specs: list[CaseSpec]) -> None:
    me = vault.info.vault_uuid
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)

    def add(model: Any, **values: Any) -> int:
        rows[model].append({"uuid": uuid.uuid4().hex, "origin_vault": me,
                            "changed_by_vault": me, "version_vector": {me: 1},
                            "field_stamps": {}, "deleted": False, **values})
        return len(rows[model])

    with vault.session() as s:
        owner = s.execute(select(CaseManager.id).where(CaseManager.is_self.is_(True))
                          ).scalar_one()
    insts = {k: add(Institution, id=n + 1, name=f"Stelle {k}", kind=k)
             for n, k in enumerate(("jobcenter", "schule", "jugendamt", "other"))}
    for i, c in enumerate(specs, start=1):
        add(Person, id=i, given_names=f"V{i}", family_name="N", sort_key=f"n v{i:05d}")
        add(CaseFile, id=i, case_number=f"DO-2026-ST10-{i:05d}", person_id=i,
            target_group=c.target_group, municipality=c.municipality, case_manager_id=owner,
            phase=c.phase, opened_on=c.opened_on, closed_on=c.closed_on,
            close_reason=c.close_reason, sort_name=f"n v{i:05d}")
        at = datetime.combine(c.opened_on, time(10), tzinfo=UTC)
        add(PhaseTransition, case_id=i, from_phase=None, to_phase="intake", at=at,
            by_staff_id=owner, missing_items=[])
        if c.closed_on is not None or c.phase != "intake":
            add(PhaseTransition, case_id=i, from_phase="intake", to_phase=c.phase,
                at=datetime.combine(c.closed_on or c.opened_on, time(11), tzinfo=UTC),
                by_staff_id=owner, missing_items=[])
        if c.status_kind:
            add(ResidenceStatus, person_id=i, kind=c.status_kind, valid_from=c.opened_on)
        if c.referral_kind:
            add(Referral, case_id=i, institution_id=insts[c.referral_kind],
                referred_on=c.opened_on, purpose="Vermittlung")
        if c.attainment:
            add(Goal, case_id=i, life_domain="language", description="Ziel",
                attainment=c.attainment, evaluated_on=c.closed_on or c.opened_on, position=0)
        if c.cover in ("consent", "other", "withdrawn"):
            add(Consent, person_id=i, case_id=i, institution_id=insts["other"],
                purpose="Fallkonferenz" if c.cover == "other" else STEERING_PURPOSE,
                given_on=date(2020, 1, 1), interpreter_present=False, covers_confided=False,
                withdrawn_on=AS_OF if c.cover == "withdrawn" else None)
        elif c.cover == "basis":
            add(LegalBasis, case_id=i, institution_id=insts["other"],
                data_category="residence", basis="§ 75 SGB X", reason="Planung",
                recorded_on=date(2020, 1, 1))
    with vault.session() as s:
        for model in (Institution, Person, CaseFile, PhaseTransition, ResidenceStatus,
                      Referral, Goal, Consent, LegalBasis):
            if rows[model]:
                s.execute(insert(model), rows[model])


def _report(vault: Vault) -> dict[str, object]:
    with vault.read_session() as s:
        return aggregate(s, FROM, TO, AS_OF)


def _same_rows(vault: Vault) -> int:
    with vault.read_session() as s:
        return sum(len(s.execute(text(q)).all()) for q in SAME_ROWS)


def test_steering_report_over_10000_cases(store: Vault) -> None:
    body = _report(store)  # warm-up
    assert body["totals"]["cases"] > 5000  # type: ignore[index]
    report: list[float] = []
    base: list[float] = []
    for i in range(RUNS):
        pair = [(report, lambda: _report(store)), (base, lambda: _same_rows(store))]
        for samples, fn in pair if i % 2 == 0 else pair[::-1]:
            samples.append(timed(fn)[0])
    median = statistics.median(report)
    row = RESULTS.add(Row(GROUP, f"aggregate {CASES} cases (baseline: the same rows read)",
                          "ms", report, base, target=f"median <= {TARGET_S} s",
                          ok=median <= TARGET_S,
                          note=f"{body['totals']['cases']} cases in the period, "  # type: ignore[index]
                               f"{RUNS} runs each"))
    print()
    print(RESULTS.table([row]))
    assert row.ok, f"steering report: median {median:.3f} s"
