"""Workloads measured with SQLCipher's ``cipher_memory_security`` on (as Lotse runs) and off,
each run in a fresh process (the setting is process-wide and one-way), alternated so the
machine's noise falls on both. Reported, not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import RESULTS, Row
from tests.conftest import ROOT


def _run(child: str, mode: str, folder: Path, timeout: float) -> dict[str, float]:
    """``python -m CHILD on|off FOLDER`` prints one JSON line: seconds per workload."""
    done = subprocess.run([sys.executable, "-m", child, mode, str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=True)
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def compare_modes(child: str, folder: Path, *, runs: int, group: str, unit: str,
                  timeout: float) -> None:
    samples: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
    for run in range(runs):
        for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):
            for name, seconds in _run(child, mode, folder / f"{mode}-{run}", timeout).items():
                samples[mode].setdefault(name, []).append(seconds)
    for name in samples["on"]:
        RESULTS.add(Row(group, name, unit, samples["on"][name], samples["off"][name],
                        note="reported, not asserted: Lotse runs with it on"))
    print("\n" + RESULTS.table([r for r in RESULTS.rows if r.group == group]))
