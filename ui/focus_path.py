"""Where the keyboard was, as a path that survives rebuilding the widgets.

A lock throws every widget with personal data away; unlocking builds them anew in the same
order. A path of steps from a root (a case tab, a page) down to the focused widget finds the
same field in the new tree: a step is the widget's object name where it has one, otherwise its
class and its place among the siblings of that class. Only class and object names: nothing
typed, nothing personal goes into the path (it is sealed with the drafts anyway).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
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


class _Refocus(QObject):
    """Tries until the widget can take the keyboard; a key press or click of the person's
    own meanwhile ends the attempts (their choice wins over the restored place)."""

    ACTIONS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)

    def __init__(self, root: QWidget, path: list[str], retries: int) -> None:
        app = QApplication.instance()
        super().__init__(app)
        self._root, self._path, self._left = root, path, retries
        if app is not None:
            app.installEventFilter(self)
        self._attempt()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.ACTIONS:
            self._finish()
        return False

    def _attempt(self) -> None:
        if self._left < 0 or not _alive(self._root):
            self._finish()
            return
        target = find(self._root, self._path)
        if target is not None and target.isEnabled() and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self._finish()
            return
        self._left -= 1
        QTimer.singleShot(RETRY_MS, self, self._attempt)

    def _finish(self) -> None:
        self._left = -1
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.deleteLater()


def refocus(root: QWidget, path: list[str], retries: int = RETRIES) -> QObject:
    """Put the keyboard back on the widget at ``path`` once it can take it (forms take input
    only after their data has loaded). Gives up when the person has moved on meanwhile. The
    returned attempt is destroyed once it ended (focused, gave up or yielded)."""
    return _Refocus(root, path, retries)


def _alive(widget: QWidget) -> bool:
    return bool(isValid(widget))  # deleted by Qt when a lock came meanwhile
