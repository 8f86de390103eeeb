"""The "Bearbeiten…" / "Löschen…" buttons under a table of records, with the keyboard ways to
the same actions: Enter or double-click edits the row, the Delete key asks to delete it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QWidget


class RowActions(QWidget):
    edit_requested = Signal(str)  # the row's key (a uuid)
    delete_requested = Signal(str)

    def __init__(self, table: QTableView, key_of: Callable[[int], str | None], edit_text: str,
                 delete_text: str, name: str) -> None:
        super().__init__()
        self.table, self._key_of = table, key_of
        self.edit_button = QPushButton(edit_text)
        self.edit_button.setObjectName(f"{name}Edit")
        self.delete_button = QPushButton(delete_text)
        self.delete_button.setObjectName(f"{name}Delete")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        table.activated.connect(lambda _index: self._edit())  # Enter or double-click
        table.installEventFilter(self)  # the Delete key while the table has the focus
        model = table.model()
        model.modelReset.connect(self.update_state)
        table.selectionModel().selectionChanged.connect(self.update_state)
        self.update_state()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self._delete()
            return True
        return super().eventFilter(watched, event)

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self._key_of(rows[0].row()) if rows else None

    def update_state(self) -> None:
        has_row = self.selected_key() is not None
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    def _edit(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.edit_requested.emit(key)

    def _delete(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.delete_requested.emit(key)
