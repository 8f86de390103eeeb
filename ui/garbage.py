"""Cyclic garbage is collected on the GUI thread only, in short pauses.

Python's collector runs on whichever thread happens to allocate. When that is a database worker
and the garbage holds a closed widget (a widget and a lambda connected to it form a cycle), Qt
destroys the widget off the GUI thread and the process crashes. So automatic collection is
switched off and the GUI thread collects on a timer.

A pause lasts as long as the collection walks objects, so each walks as few as it can:
- the young generations whenever enough was allocated since the last collection (Python's own
  counters and thresholds decide: that is cheap, it walks only what is new);
- everything that exists when the program has started, and again when a session has been
  unlocked (the workspace, its pages and models), is frozen (``gc.freeze``): no collection
  walks it again, so a full collection walks only what the session made since;
- once the lock has deleted the workspace, the next tick unfreezes and collects everything
  once, so cycles holding personal data are freed, and freezes what survives (the program).
Frozen objects that become cyclic garbage during a session wait for that lock.
"""

from __future__ import annotations

import gc
from enum import Enum

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class _Moment(Enum):
    NONE = 0
    SETTLE = 1  # what exists now lives long: freeze it
    RELEASE = 2  # the long-lived objects were let go: unfreeze and collect everything


_pending = _Moment.NONE


def session_started() -> None:
    """Call after unlock, once the workspace stands: the next tick freezes what it holds."""
    global _pending
    _pending = _Moment.SETTLE


def session_ended(*_: object) -> None:
    """Call once Qt has deleted the workspace (its ``destroyed`` signal): the next tick frees
    what it held."""
    global _pending
    _pending = _Moment.RELEASE


class GuiThreadCollector(QObject):
    """Owns garbage collection while it lives; create it on the GUI thread."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        global _pending
        _pending = _Moment.NONE  # the settling below covers whatever was asked before
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        _settle()  # modules, Qt's wrappers: they live as long as the program
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int | None:
        """Collect what is due now; returns the generation collected, or None when nothing
        was due."""
        global _pending
        moment, _pending = _pending, _Moment.NONE
        if moment is _Moment.SETTLE:
            # Only the young generation: a full collection here would walk everything right
            # when the caseworker starts to work. Older garbage is frozen with the rest and
            # freed at the lock.
            gc.collect(0)
            gc.freeze()
            return 0
        if moment is _Moment.RELEASE:  # the lock screen is up: a full walk is unseen now
            gc.unfreeze()
            return _settle()
        t0, t1, t2 = self._thresholds
        c0, c1, c2 = gc.get_count()
        if not t0 or c0 <= t0:
            return None  # like Python: nothing happens until the young generation fills
        # Python's counters: c1 counts young collections since the last middle one, c2 middle
        # collections since the last full one; gc.collect(n) keeps them as automatic ones do.
        generation = 2 if t2 and c2 > t2 else 1 if t1 and c1 > t1 else 0
        gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Give collection back as it was found (what was frozen stays frozen)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def _settle() -> int:
    gc.collect()
    gc.freeze()
    return 2
