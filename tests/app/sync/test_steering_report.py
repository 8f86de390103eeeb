"""The steering report over a real vault: what it counts, whom it leaves out, what it never
carries."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.sync.steering import aggregate
from app.sync.steering_schema import BODY_KEYS, TABLES, THRESHOLD, TOTALS
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from tests.app.sync.test_steering_suppression import assert_safe
from tests.conftest import PASSPHRASE
from tests.support.steering_world import COVER, COVERING, MARKER, CaseSpec, add_cases, clear

AS_OF = date(2026, 11, 25)
FROM, TO = date(2026, 3, 1), date(2026, 8, 31)
GROUPS = ("long_term_tolerated", "newly_arrived", None)
STATUSES = ("duldung", "aufenthaltsgestattung", None)
REFERRALS = ("jobcenter", "schule", None)
ATTAIN = ("erreicht", "teilweise", None)
REASONS = ("goals_reached", "moved_away")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    clock = FixedClock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    v = create_vault(tmp_path_factory.mktemp("steering") / "vault", PASSPHRASE,
                     owner_name="Test Fallmanagerin", municipality="DO", vault_code="T3ST",
                     kdf=KdfParams.minimum(), clock=clock)
    yield v
    v.lock()


def report(vault: Vault) -> dict[str, object]:
    with vault.read_session() as s:
        return aggregate(s, FROM, TO, AS_OF)


def spec(cover: str, **kw: object) -> CaseSpec:
    base: dict[str, object] = dict(target_group="newly_arrived", municipality="DO",
                                   opened_on=date(2026, 4, 1), closed_on=None, close_reason=None,
                                   phase="assessment", status_kind="duldung", cover=cover)
    base.update(kw)
    return CaseSpec(**base)  # type: ignore[arg-type]


def test_only_cases_covered_by_consent_or_legal_basis_are_counted(store: Vault) -> None:
    clear(store)
    add_cases(store, [spec("consent")] * 6 + [spec("basis")] * 5
              + [spec("other")] * 7 + [spec("withdrawn")] * 8 + [spec("none")] * 9,
              as_of=AS_OF)
    body = report(store)
    assert body["totals"] == {"cases": 11, "open_at_end": 11, "new": 11, "closed": None,
                              "conferences": None}
    assert body["tables"]["phase"] == {"assessment": 11}  # type: ignore[index]
    assert body["tables"]["residence_status"] == {"duldung": 11}  # type: ignore[index]


def test_the_report_carries_only_the_declared_fields_and_no_marker(store: Vault) -> None:
    clear(store)
    add_cases(store, [spec("consent", referral_kind="jobcenter", attainment="erreicht",
                           closed_on=date(2026, 6, 1), close_reason="goals_reached",
                           phase="closed")] * 7 + [spec("basis")] * 6, as_of=AS_OF)
    body = report(store)
    assert set(body) == BODY_KEYS
    assert set(body["totals"]) == set(TOTALS)  # type: ignore[arg-type]
    assert set(body["tables"]) == set(TABLES)  # type: ignore[arg-type]
    assert body["tables"]["referral_legal_domain"] == {"SGB II": 7}  # type: ignore[index]
    assert body["tables"]["duration"] == {"under_3_months": 7}  # type: ignore[index]
    for encoded in (cbor2.dumps(body), json.dumps(body).encode()):
        assert MARKER.encode() not in encoded
        assert b"T3ST" not in encoded  # no case number
        assert b"1990" not in encoded  # no birth date


cases = st.builds(
    lambda grp, muni, opened, closed_after, reason, phase, status, cover, ref, att: CaseSpec(
        grp, muni, opened, opened + timedelta(days=closed_after) if closed_after else None,
        reason if closed_after else None, "closed" if closed_after else phase, status, cover,
        ref, att),
    st.sampled_from(GROUPS), st.sampled_from(("DO", "K")),
    st.dates(date(2025, 9, 1), date(2026, 8, 31)),
    st.one_of(st.none(), st.integers(1, 300)), st.sampled_from(REASONS),
    st.sampled_from(("intake", "assessment", "monitoring")), st.sampled_from(STATUSES),
    st.sampled_from(COVER), st.sampled_from(REFERRALS), st.sampled_from(ATTAIN))


def truth(specs: list[CaseSpec]) -> tuple[dict[str, int], dict[str, Counter[str]]]:
    """The counts the report must show, computed here without the code under test."""
    pop = [c for c in specs if c.cover in COVERING and c.opened_on <= TO
           and (c.closed_on is None or c.closed_on >= FROM)]
    closed = [c for c in pop if c.closed_on is not None and c.closed_on <= TO]
    tables: dict[str, Counter[str]] = {name: Counter() for name in TABLES}
    for c in pop:
        # The world steps straight to today's phase on the day of opening.
        phase = "closed" if c in closed else "intake" if c.closed_on is not None else c.phase
        tables["phase"][phase] += 1
        tables["target_group"][c.target_group or "none"] += 1
        tables["municipality"][c.municipality] += 1
        tables["residence_status"][c.status_kind or "none"] += 1
        tables["status_group"][{"duldung": "toleration", "aufenthaltsgestattung": "asylum",
                                None: "none"}[c.status_kind]] += 1
        if c.referral_kind and FROM <= c.opened_on <= TO:
            tables["referral_institution_kind"][c.referral_kind] += 1
            tables["referral_legal_domain"][{"jobcenter": "SGB II",
                                             "schule": "SchulG NRW"}[c.referral_kind]] += 1
        evaluated = c.closed_on or c.opened_on
        if c.attainment and FROM <= evaluated <= TO:
            tables["goal_attainment"][c.attainment] += 1
    for c in closed:
        assert c.close_reason is not None and c.closed_on is not None
        tables["close_reason"][c.close_reason] += 1
    totals = {"cases": len(pop), "open_at_end": len(pop) - len(closed),
              "new": sum(1 for c in pop if c.opened_on >= FROM), "closed": len(closed),
              "conferences": 0}
    return totals, tables


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(cases, max_size=45))
def test_random_caseloads_show_true_counts_and_no_cell_under_five(store: Vault,
                                                                  specs: list[CaseSpec]) -> None:
    clear(store)
    add_cases(store, specs, as_of=AS_OF)
    body = report(store)
    totals, tables = truth(specs)
    for name, value in body["totals"].items():  # type: ignore[attr-defined]
        assert value == (totals[name] if totals[name] >= THRESHOLD else None)
    for name, total in TABLES.items():
        table = body["tables"][name]  # type: ignore[index]
        if name == "duration" or name == "gap_category":
            continue
        if total is not None:
            assert_safe(dict(tables[name]), totals[total], table)
        else:
            assert table == {k: (n if n >= THRESHOLD else None)
                             for k, n in tables[name].items() if n > 0}
