"""What SQLCipher's ``cipher_memory_security`` costs: the same workloads with it on (as Lotse
runs) and off, each run in a fresh process (the setting is process-wide and one-way), alternated
so the machine's noise falls on both. Reported only: Lotse keeps it on (keys, pages and statement
texts do not outlive a lock in freed memory)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import RESULTS, Row
from tests.conftest import ROOT

RUNS = 5


def _run(mode: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.memory_security_child", mode, str(folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def test_memory_security_cost(tmp_path: Path) -> None:
    samples: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
    for run in range(RUNS):
        for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):
            for name, seconds in _run(mode, tmp_path / f"{mode}-{run}").items():
                samples[mode].setdefault(name, []).append(seconds)
    for name in samples["on"]:
        RESULTS.add(Row("cipher_memory_security (base: off)", name, "ms",
                        samples["on"][name], samples["off"][name],
                        note="reported, not asserted: Lotse runs with it on"))
    print("\n" + RESULTS.table([r for r in RESULTS.rows
                                if r.group.startswith("cipher_memory_security")]))
