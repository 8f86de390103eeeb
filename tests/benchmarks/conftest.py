"""Benchmark fixtures: the big cached stores (encrypted vault + unencrypted baseline), opened once.

Run: ``.venv/bin/python -m pytest tests/benchmarks -s -p no:cacheprovider -o addopts=""``.
Environment: ``LOTSE_BENCH_CACHE`` (where the big stores are cached between runs),
``LOTSE_BENCH_OUT`` (write the results as JSON there), ``LOTSE_BENCH_DEMO_RUNS`` (default 3).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Iterator

import pytest

from app.vault.store import Vault
from tests.benchmarks.harness import RESULTS
from tests.benchmarks.stores import KINDS, BigStore, Kind, cache_dir, ensure_big_store, open_store

_STARTED = time.perf_counter()


@pytest.fixture(scope="session", autouse=True)
def _collect_on_main_thread_only() -> Iterator[None]:
    """Overrides the suite's policy: benchmarks measure memory as the programs have it, with
    automatic collection for the core and the desktop's own collector in test_desktop."""
    yield


@pytest.fixture(autouse=True)
def _collect_after_test() -> Iterator[None]:
    yield


@pytest.fixture(scope="session")
def big_stores() -> dict[Kind, BigStore]:
    RESULTS.notes.append(_load("at start"))
    stores: dict[Kind, BigStore] = {}
    for kind in KINDS:
        print(f"\n[bench] {kind} store: ", end="", flush=True)
        store = stores[kind] = ensure_big_store(kind)
        how = "built now" if store.built_now else "cached"
        line = (f"{kind} store {how}: {store.cases:,} cases, {store.journal_entries:,} journal "
                f"entries (build {store.build_seconds:.0f} s) in {store.folder}")
        print(line, flush=True)
        RESULTS.notes.append(line)
    return stores


@pytest.fixture(scope="module")  # closed after each module: the desktop's memory is its own
def big_vaults(big_stores: dict[Kind, BigStore]) -> Iterator[dict[Kind, Vault]]:
    vaults = {kind: open_store(kind, store.folder) for kind, store in big_stores.items()}
    yield vaults
    for vault in vaults.values():
        vault.lock()


def _load(when: str) -> str:
    """Other work on this shared machine skews timings; say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {when}: {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS.rows:
        return
    elapsed = time.perf_counter() - _STARTED
    tr = terminalreporter
    RESULTS.notes.append(_load("at end"))
    tr.section("Lotse benchmarks: encrypted store (SQLCipher) vs unencrypted baseline")
    tr.write_line("ratio = encrypted median / baseline median, both measured in this run")
    for note in RESULTS.notes:
        tr.write_line(f"* {note}")
    tr.write_line(RESULTS.table())
    tr.write_line(f"total benchmark time: {elapsed:.0f} s  (cache: {cache_dir()})")
    out = RESULTS.write_json({"seconds": elapsed, "python": sys.version.split()[0],
                              "machine": platform.platform(), "cpus": os.cpu_count(),
                              "cache": str(cache_dir())})
    if out is not None:
        tr.write_line(f"results written to {out}")
