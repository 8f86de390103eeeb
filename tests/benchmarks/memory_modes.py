"""Workloads measured with SQLCipher's ``cipher_memory_security`` on (as Lotse runs), off, and
in other modes a child knows, each run in a fresh process (the setting is process-wide and
one-way), alternated so the machine's noise falls on all. Reported, not asserted."""

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
                  timeout: float, modes: dict[str, str] | None = None) -> None:
    """``modes``: mode -> how its rows are named and noted (each against "off")."""
    modes = modes or {"on": ""}
    every = (*modes, "off")
    samples: dict[str, dict[str, list[float]]] = {mode: {} for mode in every}
    for run in range(runs):
        for mode in every if run % 2 == 0 else every[::-1]:
            for name, seconds in _run(child, mode, folder / f"{mode}-{run}", timeout).items():
                samples[mode].setdefault(name, []).append(seconds)
    for mode, label in modes.items():
        for name in samples[mode]:
            RESULTS.add(Row(group, f"{name}{label}", unit, samples[mode][name],
                            samples["off"][name],
                            note=NOTES.get(mode, "reported, not asserted")))
    print("\n" + RESULTS.table([r for r in RESULTS.rows if r.group == group]))


NOTES = {"on": "reported, not asserted: Lotse runs with it on",
         "lookaside": "option 3 of docs/memory-security.md (a build Lotse does not have)"}
