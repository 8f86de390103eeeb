"""Where the keyboard was, as a path that survives rebuilding the widgets.

A lock throws every widget with personal data away; unlocking builds them anew in the same
order. A path of steps from a root (a case tab, a page) down to the focused widget finds the
same field in the new tree: a step is the widget's object name where it has one, otherwise its
class and its place among the siblings of that class. Only class and object names: nothing
typed, nothing personal goes into the path (it is sealed with the drafts anyway).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

RETRY_MS = 100
RETRIES = 100  # a section takes its input once its data has loaded (seconds on a slow disk)


def _siblings(parent: QObject, cls: str) -> list[QWidget]:
    return [c for c in parent.children() if isinstance(c, QWidget)
            and type(c).__name__ == cls and not c.objectName()]


def _step(widget: QWidget) -> str:
    if widget.objectName():
        return f"@{widget.objectName()}"
    parent = widget.parent()
    cls = type(widget).__name__
    index = _siblings(parent, cls).index(widget) if parent is not None else 0
    return f"{cls}#{index}"


def path_of(root: QWidget, widget: QWidget | None) -> list[str] | None:
    """The steps from ``root`` (exclusive) to ``widget``; None if it is not inside ``root``."""
    steps: list[str] = []
    current = widget
    while current is not None and current is not root:
        steps.append(_step(current))
        parent = current.parentWidget()
        current = parent
    if current is None:
        return None
    return list(reversed(steps))


def _child(parent: QWidget, step: str) -> QWidget | None:
    if step.startswith("@"):
        name = step[1:]
        return next((c for c in parent.children()
                     if isinstance(c, QWidget) and c.objectName() == name), None)
    cls, _, number = step.rpartition("#")
    if not number.isdigit():
        return None
    siblings = _siblings(parent, cls)
    index = int(number)
    return siblings[index] if index < len(siblings) else None


def find(root: QWidget, path: list[str]) -> QWidget | None:
    current: QWidget | None = root
    for step in path:
        if current is None:
            return None
        current = _child(current, step)
    return current


def refocus(root: QWidget, path: list[str], retries: int = RETRIES) -> None:
    """Put the keyboard back on the widget at ``path`` once it can take it (forms take input
    only after their data has loaded). Gives up when the person has moved on meanwhile."""
    app = QApplication.instance()
    started = app.focusWidget() if isinstance(app, QApplication) else None

    def attempt(left: int) -> None:
        if not _alive(root):
            return
        now = QApplication.focusWidget()
        if now is not None and now is not started and now is not root:
            return  # the person clicked or typed elsewhere: their choice wins
        target = find(root, path)
        if target is not None and target.isEnabled() and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if left > 0:
            QTimer.singleShot(RETRY_MS, lambda: attempt(left - 1))

    attempt(retries)


def _alive(widget: QWidget) -> bool:
    return bool(isValid(widget))  # deleted by Qt when a lock came meanwhile
