"""Running one check and reporting it: ok/FAILED, a short reason, the time, the exit code.

A check is a callable that returns a short English detail when it holds and raises when it does
not. The reason of a failure is the exception's class and message, cut short; checks keep secrets
and personal data out of their messages (the self-test's own data is made up).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.errors import LotseError

Check = Callable[[], str]
MAX_REASON = 160


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float


def reason_of(exc: BaseException) -> str:
    """One line: a LotseError's English detail, an OSError's strerror (never its file name),
    otherwise the class and message."""
    if isinstance(exc, LotseError):
        text = exc.detail_en
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{type(exc).__name__}: {exc.strerror}"
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = " ".join(text.split())
    return line if len(line) <= MAX_REASON else line[:MAX_REASON - 1] + "…"


def run_check(name: str, check: Check) -> Outcome:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # any failure of a check is its result, not the self-test's end
        detail, ok = reason_of(exc), False
    return Outcome(name, ok, detail, time.perf_counter() - started)


def run_all(checks: Sequence[tuple[str, Check]]) -> list[Outcome]:
    return [run_check(name, check) for name, check in checks]


def exit_code(outcomes: Sequence[Outcome]) -> int:
    return 0 if outcomes and all(o.ok for o in outcomes) else 1


def report_lines(outcomes: Sequence[Outcome], total_seconds: float) -> list[str]:
    width = max((len(o.name) for o in outcomes), default=0)
    lines = ["Lotse self-test"]
    for o in outcomes:
        lines.append(f"{'ok' if o.ok else 'FAILED':<7}{o.name:<{width}}  {o.detail}")
    failed = sum(not o.ok for o in outcomes)
    verdict = "all checks passed" if not failed else f"{failed} of {len(outcomes)} checks FAILED"
    lines.append(f"total {total_seconds:.2f} s: {verdict}")
    return lines
