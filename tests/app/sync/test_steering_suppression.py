"""Suppression of small cells, as a pure function: every visible count is at least 5, and no
suppressed cell can be worked out from the total and the visible cells."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.steering_schema import THRESHOLD, suppress_table


def feasible_values(bounds: list[tuple[int, int]], rest: int) -> list[set[int]]:
    """For each hidden cell, every value it can take while all hidden cells stay in their
    bounds and add up to ``rest`` (subset-sum tables: independent of the code under test)."""
    def sums(parts: list[tuple[int, int]]) -> set[int]:
        reach = {0}
        for lo, hi in parts:
            reach = {r + v for r in reach for v in range(lo, hi + 1) if r + v <= rest}
        return reach

    result = []
    for i, (lo, hi) in enumerate(bounds):
        others = sums(bounds[:i] + bounds[i + 1:])
        result.append({v for v in range(lo, hi + 1) if rest - v in others})
    return result


def assert_safe(cells: dict[str, int], total: int, table: dict[str, int | None] | None) -> None:
    if table is None:  # withheld whole: no codes, nothing to subtract from
        return
    assert all(v is None or v >= THRESHOLD for v in table.values())
    assert {c for c, n in cells.items() if n > 0} == set(table)
    for code, value in table.items():
        assert value is None or value == cells[code]
        if 0 < cells[code] < THRESHOLD:
            assert value is None
    hidden = [c for c, v in table.items() if v is None]
    if not hidden or total < THRESHOLD:
        return
    rest = total - sum(v for v in table.values() if v is not None)
    # The attacker is granted more than they know: which hidden cells are under 5.
    bounds = [(1, THRESHOLD - 1) if cells[c] < THRESHOLD else (THRESHOLD, rest)
              for c in hidden]
    for code, values in zip(hidden, feasible_values(bounds, rest), strict=True):
        assert cells[code] in values
        assert len(values) >= 2, f"{code} is revealed: {cells} -> {table}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=7))
def test_partition_tables_reveal_no_small_cell(counts: list[int]) -> None:
    cells = {f"c{i}": n for i, n in enumerate(counts)}
    total = sum(counts)
    assert_safe(cells, total, suppress_table(cells, total))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=5))
def test_tables_without_total_suppress_only_small_cells(counts: list[int]) -> None:
    cells = {f"c{i}": n for i, n in enumerate(counts)}
    table = suppress_table(cells, None)
    assert table == {c: (n if n >= THRESHOLD else None) for c, n in cells.items() if n > 0}


def test_one_small_cell_takes_the_smallest_visible_one_with_it() -> None:
    table = suppress_table({"a": 3, "b": 7, "c": 20}, 30)
    assert table == {"a": None, "b": None, "c": 20}


def test_a_table_that_cannot_be_protected_is_withheld() -> None:
    # 4 + 4 = 8 visible as the total: both cells are pinned to 4 whatever is hidden.
    assert suppress_table({"a": 4, "b": 4}, 8) is None
