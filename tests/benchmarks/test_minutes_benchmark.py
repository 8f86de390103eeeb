"""Printed minutes of a case conference (issue 10): 20 cases, 12 participants, rendered to
PDF/A-2b, beside the same document without the PDF/A step (reportlab's PDF as it comes), both
measured in this run, alternating so that load on the shared machine hits both alike.
Also reported: the first render in a process, which parses the three font files once.
Target: median <= 0.3 s with PDF/A.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.printing import render_minutes
from tests.benchmarks.harness import RESULTS, Row, timed
from tests.support.minutes_samples import minutes

RUNS = 15
TARGET_S = 0.3
GROUP = "printed minutes (20 cases, 12 participants)"

_FIRST = """
import time
from pathlib import Path
from tests.support.minutes_samples import minutes
doc = minutes(cases=20, participants=12)
start = time.perf_counter()
from app.printing import render_minutes
render_minutes(doc)
print(time.perf_counter() - start)
"""


def _first_render() -> float:
    """A fresh interpreter: imports, font registration and one render."""
    out = subprocess.run([sys.executable, "-c", _FIRST], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[2]).stdout
    return float(out.strip().splitlines()[-1])


def test_minutes_pdf() -> None:
    doc = minutes(cases=20, participants=12)
    render_minutes(doc)  # fonts registered, modules imported: the desktop has done this before
    archival: list[float] = []
    plain: list[float] = []
    cpu: list[float] = []  # the process's CPU time: what the other engineers' load cannot add
    for _ in range(RUNS):
        started = time.process_time()
        seconds, data = timed(lambda: render_minutes(doc))
        cpu.append(time.process_time() - started)
        archival.append(seconds)
        plain.append(timed(lambda: render_minutes(doc, pdfa=False))[0])
    firsts = [_first_render() for _ in range(3)]
    median = statistics.median(archival)
    rows = [
        RESULTS.add(Row(GROUP, "PDF/A-2b (baseline: without the PDF/A step)", "s", archival,
                        plain, target=f"median <= {TARGET_S} s", ok=median <= TARGET_S,
                        note=f"{len(data) / 1024:.0f} KiB PDF/A, {RUNS} runs each; CPU time "
                             f"median {statistics.median(cpu):.3f} s")),
        RESULTS.add(Row(GROUP, "first render in a new process (fonts parsed)", "s", firsts, [])),
    ]
    print()
    print(RESULTS.table(rows))
    assert rows[0].ok, f"minutes PDF/A: median {median:.3f} s"
