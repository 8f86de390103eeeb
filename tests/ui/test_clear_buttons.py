"""The clear button Qt puts into a search field is announced with a name, not as "button"."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.settle import settle
from ui.context import AppContext
from ui.pages import case_file, page_specs
from ui.workspace import Workspace


def _clear_buttons(page: QWidget) -> list[tuple[QLineEdit, QToolButton]]:
    return [(edit, button) for edit in page.findChildren(QLineEdit)
            if edit.isClearButtonEnabled() for button in edit.findChildren(QToolButton)]


def test_every_search_fields_clear_button_has_a_name(qtbot: QtBot, ctx: AppContext) -> None:
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    ws.show()
    found = []
    for spec in page_specs():
        page = ws.page(spec.code)
        settle(ctx)
        for edit, button in _clear_buttons(page):
            edit.setText("x")  # the button shows once there is something to clear
            face = QAccessible.queryAccessibleInterface(button)
            assert face is not None
            found.append((spec.code, face.text(QAccessible.Text.Name)))
    assert found, "no search field with a clear button"
    assert [name for _page, name in found if not name.strip()] == [], found
