"""PySide6 6.12.0 releases references it never took: one from None for every Python override
that returns None, one from True for every signal emit. A caseworker scrolling the case list
makes millions of such calls. On Python 3.11 the process then aborts ("none_dealloc",
"bool_dealloc") after a few thousand; Lotse needs Python >= 3.12, where these objects are
immortal (PEP 683). This runs both paths far past that point on the project's Python, in a
child process so that an abort cannot take the test run with it. (Checked by hand: the same
child under Python 3.11 aborts.)"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

CALLS = 300_000  # far more than the few thousand references None and True start with on 3.11

SCROLLING = f"""
import ui  # what every Lotse window imports first
from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel,
                            Qt, Signal)
from PySide6.QtWidgets import QApplication

app = QApplication([])

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 1
    def columnCount(self, parent=QModelIndex()): return 1
    def data(self, index, role=0): return None  # no tooltip: what most roles answer

class Source(QObject):
    changed = Signal(str)

proxy = QSortFilterProxyModel()
proxy.setSourceModel(Model())
index = proxy.index(0, 0)
answers = sum(proxy.data(index, Qt.ItemDataRole.ToolTipRole) is None for _ in range({CALLS}))
received = []
source = Source()
source.changed.connect(received.append)
for _ in range({CALLS}):
    source.changed.emit("x")
print(answers, len(received))
"""


def test_a_day_of_model_calls_and_emits_does_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCROLLING], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert "_dealloc" not in done.stderr
    assert done.returncode == 0
    assert done.stdout.split() == [str(CALLS), str(CALLS)]  # every call answered, every emit
