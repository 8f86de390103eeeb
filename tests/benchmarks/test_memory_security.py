"""What SQLCipher's ``cipher_memory_security`` costs: the same workloads with it on (as Lotse
runs) and off, each run in a fresh process (the setting is process-wide and one-way), alternated
so the machine's noise falls on both. Reported only: Lotse keeps it on (keys, pages and statement
texts do not outlive a lock in freed memory)."""

from __future__ import annotations

from pathlib import Path

from tests.benchmarks.memory_modes import compare_modes

RUNS = 5


def test_memory_security_cost(tmp_path: Path) -> None:
    compare_modes("tests.benchmarks.memory_security_child", tmp_path, runs=RUNS,
                  group="cipher_memory_security (base: off)", unit="ms", timeout=600)
