"""PySide6 6.12.0's emit drops a reference to True on every call (Python 3.11 frees True after
enough signals and the process dies). Lotse's emits give it back; raw emits are not allowed."""

from __future__ import annotations

import ctypes
import re
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ui.signals import LOSES_TRUE, emit

ROOT = Path(__file__).resolve().parents[2]


class Beacon(QObject):
    ping = Signal(int)


def _true_refs_after(emits: int, guarded: bool) -> int:
    beacon = Beacon()
    seen: list[int] = []
    beacon.ping.connect(seen.append)
    before = sys.getrefcount(True)
    for n in range(emits):
        if guarded:
            emit(beacon.ping, n)
        else:
            beacon.ping.emit(n)
    after = sys.getrefcount(True)
    assert seen == list(range(emits))  # the signal still arrives
    return after - before


def test_probe_matches_what_a_raw_emit_does() -> None:
    lost = _true_refs_after(200, guarded=False)
    assert (lost <= -200) == LOSES_TRUE
    if LOSES_TRUE:  # give back what this test took, so later tests keep their margin
        for _ in range(-lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


def test_guarded_emits_keep_true_alive() -> None:
    # A day's worth of signals: with raw emits this would take 20,000 references from True.
    assert _true_refs_after(20_000, guarded=True) > -50


def test_no_raw_emit_in_lotse() -> None:
    raw = re.compile(r"\.emit\(")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for folder in ("ui", "tests")
                 for path in (ROOT / folder).rglob("*.py")
                 if path.name not in {"signals.py", "test_signals.py"}
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if raw.search(line)]
    assert offenders == []
