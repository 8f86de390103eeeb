"""The place of the keyboard as a path: found again in a tree built anew, taken once the field
is enabled, and given up when the person presses a key meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import focus_path


def form() -> tuple[QWidget, list[QLineEdit]]:
    root = QWidget()
    column = QVBoxLayout(root)
    fields: list[QLineEdit] = []
    for title in ("Erste", "Zweite"):
        box = QGroupBox(title)
        rows = QFormLayout(box)
        for label in ("A", "B", "C"):
            field = QLineEdit()
            rows.addRow(label, field)
            fields.append(field)
        column.addWidget(box)
    fields[4].setObjectName("named")
    return root, fields


def test_a_path_finds_the_same_field_in_a_tree_built_anew(qtbot: QtBot) -> None:
    old, old_fields = form()
    new, new_fields = form()
    qtbot.addWidget(old)
    qtbot.addWidget(new)
    for index in (0, 2, 3, 4, 5):
        path = focus_path.path_of(old, old_fields[index])
        assert path is not None and focus_path.find(new, path) is new_fields[index], index
    assert focus_path.path_of(new, old_fields[0]) is None  # not inside that tree
    assert focus_path.find(new, ["QGroupBox#7", "QLineEdit#0"]) is None


def test_refocus_waits_for_the_field_and_yields_to_a_key_press(qtbot: QtBot) -> None:
    root, fields = form()
    qtbot.addWidget(root)
    root.show()
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    target = fields[5]
    path = focus_path.path_of(root, target)
    assert path is not None
    target.setEnabled(False)  # its data is still loading
    fields[0].setFocus()
    focus_path.refocus(root, path)
    assert QApplication.focusWidget() is fields[0]
    target.setEnabled(True)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)

    fields[0].setFocus()
    target.setEnabled(False)
    attempt = focus_path.refocus(root, path)
    with qtbot.waitSignal(attempt.destroyed, timeout=10 * focus_path.RETRY_MS):
        qtbot.keyClick(fields[0], Qt.Key.Key_X)  # the person types on where they are
        target.setEnabled(True)
    # The attempt ended with the key press: no retry is left to move the focus.
    assert QApplication.focusWidget() is fields[0] and fields[0].text() == "x"
