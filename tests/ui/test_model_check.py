"""The model check in tests/ui/conftest.py must be able to fail: a test that attaches it to a
broken model fails, with and without pytest's output capture (`-s`)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

BROKEN_MODEL_TEST = '''
from PySide6.QtCore import QAbstractTableModel, QModelIndex

from tests.ui.model_check import check_model


class RowsWithoutIndexes(QAbstractTableModel):
    """Says it has three rows but hands out no index for them."""

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 3

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 2

    def data(self, index, role=0):
        return None

    def index(self, row, column, parent=QModelIndex()):
        return QModelIndex()


def test_broken(qtbot):
    check_model(RowsWithoutIndexes())


class SoundRows(RowsWithoutIndexes):
    def index(self, row, column, parent=QModelIndex()):
        if parent.isValid() or not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column)


def test_sound(qtbot):
    check_model(SoundRows())
'''

CONFTEST = "from tests.ui.conftest import no_model_tester_failures  # noqa: F401\n"


@pytest.mark.parametrize("capture", [[], ["-s"]], ids=["captured", "not-captured"])
def test_check_model_fails_a_test_on_a_broken_model(pytester: pytest.Pytester,
                                                    capture: list[str]) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_broken_model=BROKEN_MODEL_TEST)
    recorder = pytester.inline_run("-p", "no:cacheprovider", *capture)
    failed: dict[str, set[str]] = {}
    for report in recorder.getreports("pytest_runtest_logreport"):
        name = report.nodeid.rsplit("::", 1)[-1]
        failed.setdefault(name, set())
        if report.failed:
            failed[name].add(report.when)
    assert failed["test_sound"] == set()
    assert failed["test_broken"] != set()
