"""The one row model of the case file: what its rows show (colours, tooltips) and how its two
table styles behave with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from tests.ui.model_check import check_model
from ui.casefile._table import HIGHLIGHT, Row, RowsModel, make_table, table_view

Role = Qt.ItemDataRole


def colour(model: RowsModel, row: int, column: int, role: Role) -> str | None:
    brush = model.index(row, column).data(role)
    return brush.color().name() if isinstance(brush, QBrush) else None


def test_rows_show_highlight_colours_and_tooltips(qtbot: QtBot) -> None:
    del qtbot  # only for the QApplication
    model = RowsModel(("Art", "Gültig bis"))
    check_model(model)
    model.set_rows([
        Row(("Duldung", "01.01.2027 (läuft in 30 Tagen ab)"), "a", highlight=True,
            tooltip="Art: Duldung"),
        Row(("Jobcenter", "gültig"), "b", foreground="#b00020", tooltips=("Zweck: Arbeit", ""),
            backgrounds=(None, "#d7f0d7")),
        Row(("Ausländerbehörde", "fehlt"), "c", highlight=True, backgrounds=(None, "#f8d7d7")),
    ])

    assert [model.index(0, c).data() for c in range(2)] == [
        "Duldung", "01.01.2027 (läuft in 30 Tagen ab)"]
    assert model.index(0, 1).data(Role.AccessibleTextRole) == "01.01.2027 (läuft in 30 Tagen ab)"
    # A row needing attention is marked in every cell and explains itself in every tooltip.
    assert colour(model, 0, 0, Role.BackgroundRole) == QColor(HIGHLIGHT).name()
    assert colour(model, 0, 1, Role.BackgroundRole) == QColor(HIGHLIGHT).name()
    assert model.index(0, 1).data(Role.ToolTipRole) == "Art: Duldung"
    # Per-cell colours and tooltips stay where they were set; no row-wide defaults leak in.
    assert colour(model, 1, 0, Role.BackgroundRole) is None
    assert colour(model, 1, 1, Role.BackgroundRole) == "#d7f0d7"
    assert colour(model, 1, 0, Role.ForegroundRole) == "#b00020"
    assert colour(model, 0, 0, Role.ForegroundRole) is None
    assert model.index(1, 0).data(Role.ToolTipRole) == "Zweck: Arbeit"
    assert model.index(1, 1).data(Role.ToolTipRole) is None
    # A cell's own colour wins over the row's highlight.
    assert colour(model, 2, 1, Role.BackgroundRole) == "#f8d7d7"
    assert colour(model, 2, 0, Role.BackgroundRole) == QColor(HIGHLIGHT).name()
    assert [r.key for r in model.rows()] == ["a", "b", "c"]
    assert model.row_at(3) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Gültig bis"

    model.set_headers(("Institution", "Gesundheit"))
    assert model.rowCount() == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Institution"


def test_both_table_styles_are_read_only_and_tab_leaves_them(qtbot: QtBot) -> None:
    model = RowsModel(("Datum", "Inhalt"))
    one_line, wrapped = table_view(model, "Verlauf"), make_table("Aufgaben", model, stretch=1)
    for view in (one_line, wrapped):
        qtbot.addWidget(view)
        assert not view.tabKeyNavigation()
        assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
        assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        assert view.verticalHeader().isHidden()
    assert one_line.accessibleName() == "Verlauf"
    assert not one_line.wordWrap()  # one line per row, the full text in the tooltip
    assert wrapped.accessibleName() == wrapped.objectName() == "Aufgaben"
    assert wrapped.wordWrap()
    assert wrapped.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
