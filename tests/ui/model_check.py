"""The one way a desktop test attaches Qt's model checker; `no_model_tester_failures` in
tests/ui/conftest.py turns its complaints into test failures."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtTest import QAbstractItemModelTester

MODEL_TEST_CATEGORY = "qt.modeltest"  # where QAbstractItemModelTester reports in Warning mode


def check_model(model: QAbstractItemModel) -> QAbstractItemModelTester:
    """Attach Qt's model checker to `model` for the rest of the test.

    The default mode reports nothing outside QTest's own runner, and Fatal aborts the whole test
    process; Warning mode reports each broken rule as a `qt.modeltest` warning, which
    `no_model_tester_failures` turns into a failure of the test. Parented to the model, the tester
    lives as long as the model and checks every later change (a tester nobody holds is collected at
    once and checks nothing after its first pass).
    """
    return QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning, model)
