"""Every signal Lotse emits goes through ``emit``.

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit`` without taking a reference to it.
On Python 3.11 ``True`` is an ordinary reference-counted object, so each emit takes one reference
away; after a few thousand signals (a day's work) ``True`` is freed and the process aborts or
corrupts memory. ``emit`` hands the reference back when the probe below saw it go missing, and
is a plain emit on a PySide or Python without the defect.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_loses_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) <= before - 8


LOSES_TRUE = _emit_loses_true()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def emit(signal: SignalInstance, *args: Any) -> None:
    signal.emit(*args)
    if LOSES_TRUE:
        _incref(True)
