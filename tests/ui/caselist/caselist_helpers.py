"""Shared helpers of the case-list tests (tests/ui/test_caselist*.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from ui.caselist.model import COL_NAME, PLACEHOLDER, CaseTableModel
from ui.caselist.page import CaseListPage
from ui.context import AppContext

TIMEOUT = 15000


def cell_text(model: CaseTableModel, row: int, column: int) -> str:
    return str(model.data(model.index(row, column)))


def all_loaded(model: CaseTableModel, column: int = COL_NAME) -> bool:
    return all(cell_text(model, r, column) != PLACEHOLDER for r in range(model.rowCount()))


def column_texts(model: CaseTableModel, column: int) -> list[str]:
    return [cell_text(model, r, column) for r in range(model.rowCount())]


@pytest.fixture
def page_for(qtbot: QtBot, ctx: AppContext) -> Iterator[object]:
    """Build the page once the test has put its data in; it is shown at a laptop's size."""
    def build() -> CaseListPage:
        page = CaseListPage(ctx)
        qtbot.addWidget(page)
        page.resize(1200, 700)
        page.show()
        qtbot.waitUntil(lambda: page.count.text().endswith(("Fälle", "Fall")), timeout=TIMEOUT)
        return page

    yield build
    ctx.wait_idle()


def wait_rows(qtbot: QtBot, page: CaseListPage, column: int = COL_NAME) -> None:
    """Until every row of the (small) list has arrived from the database thread."""
    qtbot.waitUntil(lambda: not page.model.loading and all_loaded(page.model, column),
                    timeout=TIMEOUT)


def section_centre(header: QHeaderView, column: int) -> QPoint:
    """Where a click on the column's header lands."""
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    return QPoint(x, header.height() // 2)
