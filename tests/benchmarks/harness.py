"""Timing, statistics, and the results table every benchmark reports into."""

from __future__ import annotations

import json
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT_ENV = "LOTSE_BENCH_OUT"


def p95(samples: list[float]) -> float:
    """95th percentile, nearest-rank (for 3 samples: the largest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _num(value: float | None, unit: str) -> str:
    return f" {'-':>9}" if value is None else f" {value:>7.2f}{unit:<2}"


@dataclass
class Row:
    """One measured workload: encrypted store against the unencrypted baseline."""

    group: str
    name: str
    unit: str  # "s" or "ms" (samples are always stored in seconds)
    enc: list[float]
    plain: list[float]
    target: str = ""  # human-readable; "" when only reported
    ok: bool | None = None  # None: no target asserted on this row
    note: str = ""

    @property
    def scale(self) -> float:
        return 1000.0 if self.unit == "ms" else 1.0

    @property
    def ratio(self) -> float | None:
        """Encrypted median / baseline median; None where the baseline has no counterpart."""
        if not self.plain:
            return None
        base = statistics.median(self.plain)
        return statistics.median(self.enc) / base if base > 0 else math.inf

    def summary(self) -> dict[str, Any]:
        has_base = bool(self.plain)
        return {
            "group": self.group, "name": self.name, "unit": self.unit, "n": len(self.enc),
            "enc_median": statistics.median(self.enc) * self.scale,
            "enc_p95": p95(self.enc) * self.scale,
            "plain_median": statistics.median(self.plain) * self.scale if has_base else None,
            "plain_p95": p95(self.plain) * self.scale if has_base else None,
            "ratio_median": self.ratio, "target": self.target, "ok": self.ok, "note": self.note,
        }


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def table(self, rows: list[Row] | None = None) -> str:
        rows = self.rows if rows is None else rows
        head = (f"{'benchmark':<44} {'n':>4} {'enc med':>9} {'enc p95':>9} {'base med':>9} "
                f"{'base p95':>9} {'ratio':>6}  {'target (encrypted)':<22} result")
        lines = [head, "-" * len(head)]
        group = None
        for row in rows:
            if row.group != group:
                group = row.group
                lines.append(f"[{group}]")
            s = row.summary()
            verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
            lines.append(
                f"  {row.name:<42} {s['n']:>4} {_num(s['enc_median'], row.unit)}"
                f"{_num(s['enc_p95'], row.unit)}{_num(s['plain_median'], row.unit)}"
                f"{_num(s['plain_p95'], row.unit)}"
                f" {'-' if row.ratio is None else f'{row.ratio:.2f}x':>6}  "
                f"{row.target:<22} {verdict}".rstrip())
            if row.note:
                lines.append(f"      {row.note}")
        return "\n".join(lines)

    def write_json(self, meta: dict[str, Any]) -> Path | None:
        out = os.environ.get(OUT_ENV)
        if not out:
            return None
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"meta": meta, "notes": self.notes,
               "rows": [row.summary() | {"enc_samples_s": row.enc, "plain_samples_s": row.plain}
                        for row in self.rows]}
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str), "utf-8")
        return path


RESULTS = Results()
