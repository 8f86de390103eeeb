"""Shared fixture and helpers for the case-file window tests (tests/ui/test_casefile_*.py)."""

from __future__ import annotations

from typing import TypeVar, cast

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.model_check import check_model
from ui.casefile._table import RowsModel
from ui.casefile.sections.history import HistorySection
from ui.casefile.sections.journal import JournalSection
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext

TIMEOUT = 15000
S = TypeVar("S", bound=QWidget)


def open_case(qtbot: QtBot, ctx: AppContext, case_id: int, section: str = "") -> CaseFileWidget:
    widget = CaseFileWidget(ctx, case_id, section=section)  # as the workspace opens it
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    widget.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(widget.isActiveWindow, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: widget.header_data is not None, timeout=TIMEOUT)
    return widget


def next_row(message: QLabel, field: QWidget) -> bool:  # the message sits right below the field
    parent = field.parentWidget()
    assert parent is not None
    form = parent.layout()
    assert isinstance(form, QFormLayout)

    def form_row(widget: QWidget) -> int:
        return cast(tuple[int, QFormLayout.ItemRole], form.getWidgetPosition(widget))[0]

    return form_row(message) == form_row(field) + 1


def section_of[S: QWidget](widget: CaseFileWidget, code: str, kind: type[S]) -> S:
    section = widget.section(code)
    assert isinstance(section, kind)
    return section


def row(model: RowsModel, r: int) -> list[str]:
    return [model.index(r, c).data() for c in range(model.columnCount())]


def column(model: RowsModel, c: int) -> list[str]:
    return [model.index(r, c).data() for r in range(model.rowCount())]


def history_of(qtbot: QtBot, widget: CaseFileWidget) -> RowsModel:
    widget.show_section("history")
    model = section_of(widget, "history", HistorySection).model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=TIMEOUT)
    check_model(model)
    return model


def loaded_journal(qtbot: QtBot, widget: CaseFileWidget) -> JournalSection:
    journal = section_of(widget, "journal", JournalSection)
    qtbot.waitUntil(lambda: journal.place.count() > 0, timeout=TIMEOUT)
    return journal
