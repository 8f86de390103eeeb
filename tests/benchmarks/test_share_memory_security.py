"""What ``cipher_memory_security`` costs the 10,000-case share bundle: one export + import round
with it on (as Lotse runs) and one with it off, each in a fresh process (the setting is
process-wide and one-way). Reported, not asserted: the import target of issue 12 (<= 5 s) is
out of reach with it on, and switching it off is a decision for the data-protection officer,
not a speed fix (``docs/memory-security.md``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import RESULTS, Row
from tests.benchmarks.share_store import source_store
from tests.conftest import ROOT

RUNS = int(os.environ.get("LOTSE_BENCH_SHARE_MEMORY_RUNS", "1"))


def _run(mode: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.share_memory_child", mode, str(folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=True)
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def test_share_bundle_memory_security_cost(tmp_path: Path) -> None:
    source_store()  # built (and cached) before the timed children start
    samples: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
    for run in range(RUNS):
        for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):
            for name, seconds in _run(mode, tmp_path / f"{mode}-{run}").items():
                samples[mode].setdefault(name, []).append(seconds)
    for name in samples["on"]:
        RESULTS.add(Row("share bundle, cipher_memory_security (base: off)", name, "s",
                        samples["on"][name], samples["off"][name],
                        note="reported, not asserted: Lotse runs with it on"))
    print("\n" + RESULTS.table([r for r in RESULTS.rows
                                if r.group.startswith("share bundle, cipher_memory")]))
