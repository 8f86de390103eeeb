"""What Lotse puts on the clipboard stays out of Windows' clipboard history and cloud clipboard,
and is taken off the clipboard at lock, unless the person has copied something else since.

Windows keeps clipboard content out of history and sync when the data carries the formats
``ExcludeClipboardContentFromMonitorProcessing``, ``CanIncludeInClipboardHistory`` = 0 and
``CanUploadToCloudClipboard`` = 0 (as KeePassXC sets them); Qt names a raw Windows format
``application/x-qt-windows-mime;value="…"``. They must be there when the data is set, so copy
and cut from Lotse's text fields, labels and tables are done here with the formats included:
Ctrl+C and Ctrl+X, and the "Kopieren" and "Ausschneiden" of the context menus Qt builds for text
fields, text edits and selectable labels (rerouted as each menu opens). Any other copy Qt makes on
its own is marked again at once, in the same call, where the platform says the clipboard is ours.
A random token of this process marks our data, so the lock clears only what Lotse put there.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QClipboard, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


DWORD_0, DWORD_1 = bytes(4), (1).to_bytes(4, "little")
PRIVATE_FORMATS = {
    _windows_format("ExcludeClipboardContentFromMonitorProcessing"): DWORD_1,
    _windows_format("CanIncludeInClipboardHistory"): DWORD_0,
    _windows_format("CanUploadToCloudClipboard"): DWORD_0,
}
OWNER_FORMAT = "application/x-lotse-clipboard"
# The object names Qt gives the entries of its standard context menus (QLineEdit, QTextEdit,
# QPlainTextEdit and selectable QLabel alike); their text is translated, these are not.
MENU_COPY, MENU_CUT = "edit-copy", "edit-cut"
_ROUTED = "lotseRouted"


def selected_text(widget: QObject) -> str | None:
    """What Ctrl+C copies from ``widget``: None when there is nothing (or nothing allowed)."""
    if isinstance(widget, QLineEdit):
        if widget.echoMode() != QLineEdit.EchoMode.Normal or not widget.hasSelectedText():
            return None  # a passphrase field never copies
        return widget.selectedText()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        cursor = widget.textCursor()
        return cursor.selection().toPlainText() if cursor.hasSelection() else None
    if isinstance(widget, QLabel):
        return widget.selectedText() or None
    if isinstance(widget, QAbstractItemView):
        index = widget.currentIndex()
        value = index.data(Qt.ItemDataRole.DisplayRole) if index.isValid() else None
        return None if value is None else str(value)
    return None


def _editable(widget: QObject) -> bool:
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) and not widget.isReadOnly()


def _menu_source(menu: QMenu) -> QWidget | None:
    """The widget a standard context menu belongs to: Qt parents it to the line edit or label,
    and to the viewport of a text edit."""
    parent = menu.parentWidget()
    if isinstance(parent, QLineEdit | QLabel | QPlainTextEdit | QTextEdit):
        return parent
    owner = parent.parentWidget() if parent is not None else None
    if isinstance(owner, QPlainTextEdit | QTextEdit) and owner.viewport() is parent:
        return owner
    return None


def _remove_selection(widget: QObject) -> None:
    if isinstance(widget, QLineEdit):
        widget.del_()  # with a selection: removes exactly it, undoable as Qt's own cut
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.textCursor().removeSelectedText()


class ClipboardGuard(QObject):
    """One per main window; watches every widget of the application."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._token = QByteArray(os.urandom(16).hex().encode())
        self._clipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._changed)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def put_text(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        self._mark(mime)
        self._clipboard.setMimeData(mime)

    def holds_ours(self) -> bool:
        mime = self._clipboard.mimeData()
        return mime is not None and mime.data(OWNER_FORMAT) == self._token

    def clear_if_ours(self) -> bool:
        """At lock: take Lotse's data off the clipboard (and X11's selection); what the person
        copied from another program since stays. Returns whether anything was cleared."""
        cleared = False
        if self.holds_ours():
            self._clipboard.clear()
            cleared = True
        if self._clipboard.supportsSelection() and self._clipboard.ownsSelection():
            self._clipboard.clear(QClipboard.Mode.Selection)
            cleared = True
        return cleared

    def _mark(self, mime: QMimeData) -> None:
        for name, value in PRIVATE_FORMATS.items():
            mime.setData(name, QByteArray(value))
        mime.setData(OWNER_FORMAT, self._token)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMenu):
            self._route_menu(watched)
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        cut = event.matches(QKeySequence.StandardKey.Cut)
        if not ((cut and _editable(watched)) or event.matches(QKeySequence.StandardKey.Copy)):
            return False  # cutting from read-only text does nothing, as in Qt
        if not self._copy_from(watched, cut=cut):
            return False  # not ours to handle: Qt does what it always does
        event.accept()
        return True

    def _copy_from(self, widget: QObject, *, cut: bool) -> bool:
        """What Ctrl+C (Ctrl+X) does in ``widget``, marked; False when there is nothing."""
        text = selected_text(widget)
        if text is None:
            return False
        self.put_text(text)
        if cut and _editable(widget):
            _remove_selection(widget)
        return True

    def _route_menu(self, menu: QMenu) -> None:
        """A standard context menu about to show: its "Kopieren" and "Ausschneiden" copy the
        way Ctrl+C does instead of through Qt's unmarked copy."""
        source = _menu_source(menu)
        if source is None:
            return
        for action in menu.actions():
            name = action.objectName()
            if name not in (MENU_COPY, MENU_CUT) or action.property(_ROUTED):
                continue
            try:
                action.triggered.disconnect()  # Qt's own copy() / cut()
            except (RuntimeError, TypeError):
                continue  # still Qt's: its copy is marked afterwards where the platform lets us
            action.triggered.connect(
                lambda _checked=False, cut=name == MENU_CUT: self._copy_from(source, cut=cut))
            action.setProperty(_ROUTED, True)

    def _changed(self) -> None:
        """A copy Qt made on its own: mark it too, before anyone else gets to it."""
        mime = self._clipboard.mimeData()
        if mime is None or self.holds_ours() or not self._clipboard.ownsClipboard():
            return
        marked = QMimeData()
        for name in mime.formats():
            marked.setData(name, mime.data(name))
        self._mark(marked)
        self._clipboard.setMimeData(marked)
