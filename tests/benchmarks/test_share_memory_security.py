"""What ``cipher_memory_security`` costs the 10,000-case share bundle: one export + import round
with it on (as Lotse runs) and one with it off, each in a fresh process (the setting is
process-wide and one-way). Reported, not asserted: the import target of issue 12 (<= 5 s) is
out of reach with it on, and switching it off is a decision for the data-protection officer,
not a speed fix (``docs/memory-security.md``). A third round measures that page's option 3
(memory security on, SQLite's lookaside enlarged: ``tests.benchmarks.lookaside``)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.benchmarks.memory_modes import compare_modes
from tests.benchmarks.share_store import source_store

RUNS = int(os.environ.get("LOTSE_BENCH_SHARE_MEMORY_RUNS", "1"))


def test_share_bundle_memory_security_cost(tmp_path: Path) -> None:
    source_store()  # built (and cached) before the timed children start
    compare_modes("tests.benchmarks.share_memory_child", tmp_path, runs=RUNS,
                  group="share bundle, cipher_memory_security (base: off)", unit="s",
                  timeout=1800, modes={"on": "", "lookaside": ", on + 4,000-slot lookaside"})
