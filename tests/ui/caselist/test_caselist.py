"""The case list ("Fälle") on the real encrypted store: lazy rows, sort, filters, open,
'Neuer Fall', lock (search: test_caselist_search.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import catalogues
from app.demo.generator import generate_demo
from app.services.cases.read import case_ids, rows_by_id
from app.services.cases.records import CaseFilter, NewCase
from app.services.cases.write import create_case
from tests.ui.caselist import caselist_helpers
from tests.ui.caselist.caselist_helpers import (
    TIMEOUT,
    cell_text,
    column_texts,
    section_centre,
    wait_rows,
)
from tests.ui.model_check import check_model
from tests.ui.settle import settle
from ui.caselist.model import (
    COL_CASE_NUMBER,
    COL_DEADLINE,
    COL_NAME,
    COL_PHASE,
    OVERDUE,
    PLACEHOLDER,
    CaseTableModel,
)
from ui.caselist.page import CaseListPage, count_text
from ui.context import AppContext

page_for = caselist_helpers.page_for  # the fixture, shared with test_caselist_search


def test_model_passes_the_item_model_tester(qtbot: QtBot, ctx: AppContext) -> None:
    generate_demo(ctx.vault(), 300, seed=3)
    model = CaseTableModel(ctx, batch_size=50, cache_rows=120)
    check_model(model)
    with qtbot.waitSignal(model.ids_loaded, timeout=TIMEOUT):
        model.reload()
    assert model.rowCount() == 300 and model.columnCount() == 8
    # The first page came with the ids (rows appended behind it); the rest only when looked at.
    assert cell_text(model, 0, COL_NAME) != PLACEHOLDER
    assert cell_text(model, 150, COL_NAME) == PLACEHOLDER
    qtbot.waitUntil(lambda: cell_text(model, 150, COL_NAME) != PLACEHOLDER, timeout=TIMEOUT)
    for row in range(0, 300, 25):  # walk down like a scrolling view; the cache stays bounded
        qtbot.waitUntil(lambda r=row: cell_text(model, r, COL_NAME) != PLACEHOLDER, timeout=TIMEOUT)
    assert len(model._cache) <= 120
    with qtbot.waitSignal(model.ids_loaded, timeout=TIMEOUT):
        model.sort(COL_CASE_NUMBER, Qt.SortOrder.DescendingOrder)
    with qtbot.waitSignal(model.ids_loaded, timeout=TIMEOUT):
        model.set_filter(CaseFilter(phase="monitoring"))
    model.show_results(rows_by_id(ctx.vault(), model._ids[:5]))
    model.clear()
    settle(ctx)  # late pages reach the model too; the tester checks them
    assert model.rowCount() == 0


def test_list_is_lazy_and_counts_in_german(qtbot: QtBot, ctx: AppContext, page_for: object
                                          ) -> None:
    generate_demo(ctx.vault(), 2000, seed=5)
    shown = len(case_ids(ctx.vault(), CaseFilter(include_closed=False)))  # nur offene Fälle
    assert 1000 < shown < 2000
    page: CaseListPage = page_for()  # type: ignore[operator]
    assert page.count.text() == f"{shown // 1000}.{shown % 1000:03d} Fälle"  # e.g. "1.676"
    qtbot.waitUntil(lambda: cell_text(page.model, 0, COL_NAME) != PLACEHOLDER, timeout=TIMEOUT)
    settle(ctx)
    assert page.model.rowCount() == shown
    # The first page plus the visible batch (two at most), never all rows.
    assert page.model.rows_fetched <= 500
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: cell_text(page.model, shown - 1, COL_NAME) != PLACEHOLDER,
                    timeout=TIMEOUT)
    ctx.wait_idle()
    assert page.model.rows_fetched <= 900
    assert cell_text(page.model, 1000, COL_NAME) == PLACEHOLDER  # scrolled past, never fetched
    assert count_text(12345, searching=False) == "12.345 Fälle"
    assert count_text(1, searching=False) == "1 Fall"


def test_names_sort_the_german_way_and_headers_sort(qtbot: QtBot, ctx: AppContext,
                                                    page_for: object) -> None:
    for given, family in [("Zoe", "Zimmermann"), ("Ayşe", "Öztürk"), ("Otto", "Ostermann"),
                          ("Jana", "Abel"), ("Paul", "Peters"), ("Olga", "Olbrich")]:
        create_case(ctx.vault(), NewCase(given, family, "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    assert [n.split(",")[0] for n in column_texts(page.model, COL_NAME)] == [
        "Abel", "Olbrich", "Ostermann", "Öztürk", "Peters", "Zimmermann"]
    header = page.table.horizontalHeader()
    with qtbot.waitSignal(page.model.ids_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=section_centre(header, COL_CASE_NUMBER))
    wait_rows(qtbot, page)
    numbers = column_texts(page.model, COL_CASE_NUMBER)
    assert numbers == sorted(numbers) and numbers[0].endswith("-0001")
    # Phase is not sortable: the list stays as it is, the indicator stays on Aktenzeichen.
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=section_centre(header, COL_PHASE))
    qtbot.waitUntil(lambda: header.sortIndicatorSection() in (COL_CASE_NUMBER,), timeout=TIMEOUT)
    assert column_texts(page.model, COL_CASE_NUMBER) == numbers


def test_filter_by_phase_shows_only_that_phase(qtbot: QtBot, ctx: AppContext,
                                               page_for: object) -> None:
    generate_demo(ctx.vault(), 300, seed=11)
    expected = len(case_ids(ctx.vault(), CaseFilter(phase="monitoring")))
    assert 0 < expected < 300
    page: CaseListPage = page_for()  # type: ignore[operator]
    combo = page.filters.phase
    combo.setCurrentIndex(combo.findData("monitoring"))
    qtbot.waitUntil(lambda: page.model.rowCount() == expected, timeout=TIMEOUT)
    wait_rows(qtbot, page, COL_PHASE)
    assert set(column_texts(page.model, COL_PHASE)) == {catalogues.phase("monitoring").label}
    assert page.count.text() == f"{expected} Fälle"
    combo.setCurrentIndex(0)  # "Alle": every open case ("nur offene Fälle" is ticked)
    open_cases = len(case_ids(ctx.vault(), CaseFilter(include_closed=False)))
    assert open_cases < 300
    qtbot.waitUntil(lambda: page.model.rowCount() == open_cases, timeout=TIMEOUT)
    page.filters.only_open.setChecked(False)
    qtbot.waitUntil(lambda: page.model.rowCount() == 300, timeout=TIMEOUT)


def test_enter_opens_the_case_and_overdue_deadline_is_red(qtbot: QtBot, ctx: AppContext,
                                                         page_for: object) -> None:
    generate_demo(ctx.vault(), 60, seed=13)
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.case_id(2), ""]
    rect = page.table.visualRect(page.model.index(4, COL_NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as clicked:
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [page.model.case_id(4), ""]
    shown_number = cell_text(page.model, 2, COL_CASE_NUMBER)
    assert case_ids(ctx.vault())[2] == opened.args[0]
    assert rows_by_id(ctx.vault(), [opened.args[0]])[0].case_number == shown_number
    today = ctx.vault().clock.today().strftime("%Y%m%d")
    reds = [r for r in range(page.model.rowCount())
            if page.model.data(page.model.index(r, COL_DEADLINE),
                               Qt.ItemDataRole.ForegroundRole) == OVERDUE]
    assert reds and len(reds) < page.model.rowCount()
    for row in range(page.model.rowCount()):  # red exactly when the date lies before today
        shown = cell_text(page.model, row, COL_DEADLINE)
        if not shown:
            assert row not in reds
            continue
        day, month, year = shown.split(".")
        assert (row in reds) == (f"{year}{month}{day}" < today)
    tip = page.model.data(page.model.index(reds[0], COL_DEADLINE), Qt.ItemDataRole.ToolTipRole)
    assert str(tip).endswith("(überfällig)")  # said in words too, not by colour alone


def test_new_case_dialog_validates_and_creates(qtbot: QtBot, ctx: AppContext,
                                               page_for: object) -> None:
    create_case(ctx.vault(), NewCase("Jana", "Abel", "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    # The button (Ctrl+N is the workspace's, on every page: tests/ui/test_navigation.py).
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.municipality.currentData() == ctx.vault().info.municipality
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    error = dialog.errors["family_name"]
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert error.text() == "Bitte Vor- und Familiennamen angeben."
    assert dialog.isVisible() and dialog.create_button.isEnabled()
    assert len(case_ids(ctx.vault())) == 1  # nothing was created

    # The birth date is the one date field, typed key by key (ı would trip keyClicks: set).
    qtbot.keyClicks(dialog.date_of_birth, "310290")
    qtbot.keyClicks(dialog.given_names, "Emre")
    dialog.family_name.setText("Yıldız")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "Den 31.02.1990 gibt es nicht." in dialog.errors["date_of_birth"].text()
    assert dialog.errors["date_of_birth"].isVisible() and dialog.date_of_birth.hasFocus()
    assert not dialog.errors["family_name"].isVisible()
    settle(ctx)
    assert len(case_ids(ctx.vault())) == 1  # nothing was created

    qtbot.keyClick(dialog.date_of_birth, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_of_birth, "3.7.91")
    dialog.target_group.setCurrentIndex(1)
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    new_id = opened.args[0]
    assert opened.args == [new_id, ""] and not dialog.isVisible()
    qtbot.waitUntil(lambda: page.count.text() == "2 Fälle", timeout=TIMEOUT)
    wait_rows(qtbot, page)
    row = page.model.row_of(new_id)
    assert row is not None and cell_text(page.model, row, COL_NAME) == "Yıldız, Emre"
    assert page.table.currentIndex().row() == row  # the new case is selected in the list
    assert _birth_date(ctx, new_id) == date(1991, 7, 3)  # "3.7.91" as it was typed


def _birth_date(ctx: AppContext, case_id: int) -> date | None:
    from db.models import CaseFile, Person

    with ctx.vault().read_session() as s:
        born: date | None = s.execute(
            select(Person.date_of_birth).join(CaseFile, CaseFile.person_id == Person.id)
            .where(CaseFile.id == case_id)).scalar_one()
    return born


def test_every_input_is_labelled_and_tab_leaves_the_table(qtbot: QtBot, ctx: AppContext,
                                                          page_for: object) -> None:
    page: CaseListPage = page_for()  # type: ignore[operator]
    buddies = {label.buddy() for label in page.findChildren(QLabel) if label.buddy()}
    for widget in (page.search, page.filters.phase, page.filters.target_group,
                   page.filters.municipality, page.filters.case_manager):
        assert widget in buddies
    assert not page.table.tabKeyNavigation()
    assert page.count.text() == "0 Fälle"


def test_lock_empties_the_list(qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    create_case(ctx.vault(), NewCase("Jana", "Abel", "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    page.search.setText("abel")
    ctx.locked.emit()
    assert page.model.rowCount() == 0 and page.search.text() == ""
    assert page.count.text() == "Gesperrt."
    ctx.unlocked.emit()
    qtbot.waitUntil(lambda: page.count.text() == "1 Fall", timeout=TIMEOUT)
    wait_rows(qtbot, page)
    assert column_texts(page.model, COL_NAME) == ["Abel, Jana"]
