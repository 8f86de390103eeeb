"""PySide6 6.12.0 takes a reference from None for every Python override that returns None.
A caseworker scrolling the case list makes millions of such calls; without the reserve in
``ui.refcounts`` the process aborts with "none_dealloc" after a few thousand."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from ui.refcounts import RESERVE, SINGLETONS

SCROLLING = """
import sys
import ui  # what every Lotse window imports first
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication

app = QApplication([])

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 1
    def columnCount(self, parent=QModelIndex()): return 1
    def data(self, index, role=0): return None  # no tooltip: what most roles answer

proxy = QSortFilterProxyModel()
proxy.setSourceModel(Model())
index = proxy.index(0, 0)
for _ in range(300_000):  # far more than the few thousand references None starts with
    proxy.data(index, Qt.ItemDataRole.ToolTipRole)
print("alive")
"""


def test_singletons_carry_the_reserve_on_python_311() -> None:
    if sys.version_info >= (3, 12):  # immortal there (PEP 683): nothing to reserve
        return
    for obj in SINGLETONS:
        assert sys.getrefcount(obj) > RESERVE // 2


def test_a_day_of_model_calls_returning_none_does_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCROLLING], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert "none_dealloc" not in done.stderr
    assert done.returncode == 0 and done.stdout.strip() == "alive"
