"""Read-only tables of the Abgleich page: whole rows selected, Tab leaves the table, rows as
high as their wrapped text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
)


def make_table(name: str, headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setTabKeyNavigation(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def labelled(text: str, table: QTableWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(table)
    table.setAccessibleName(text.replace("&", "").rstrip(":"))
    return label


def fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the rows; the row the keyboard was on stays current where there still is one."""
    current = table.currentRow()
    table.setRowCount(0)
    for texts in rows:
        index = table.rowCount()
        table.insertRow(index)
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(index, col, item)
    if rows:
        table.setCurrentCell(min(max(current, 0), len(rows) - 1), 0)
