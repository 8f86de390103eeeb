"""The case list's search as you type and its filters on the real encrypted store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.demo.generator import generate_demo
from app.services.cases.read import case_ids, rows_by_id, sort_name
from app.services.cases.records import CaseFilter, NewCase
from app.services.cases.write import create_case
from app.services.staff.read import case_managers
from tests.support.changes import committed
from tests.ui.caselist import caselist_helpers
from tests.ui.caselist.caselist_helpers import (
    TIMEOUT,
    cell_text,
    column_texts,
    section_centre,
    wait_rows,
)
from ui.caselist.model import COL_CASE_NUMBER, COL_DEADLINE, COL_MANAGER, COL_NAME
from ui.caselist.page import CaseListPage
from ui.context import AppContext

page_for = caselist_helpers.page_for  # the fixture


def test_search_as_you_type_finds_oeztuerk(qtbot: QtBot, ctx: AppContext, page_for: object
                                           ) -> None:
    generate_demo(ctx.vault(), 300, seed=7)
    wanted = create_case(ctx.vault(), NewCase("Ayşe", "Öztürk", "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    qtbot.keyClicks(page.search, "ozturk")
    qtbot.waitUntil(lambda: page.model.in_result_mode(), timeout=TIMEOUT)
    wait_rows(qtbot, page)
    names = column_texts(page.model, COL_NAME)
    assert "Öztürk, Ayşe" in names
    assert 1 <= len(names) < 300
    assert all("Öztürk" in n or "Ozturk" in n for n in names), names
    assert page.count.text().endswith("gefunden")
    # Hits follow the list's order (Name ▲) and re-sort on a header click, in memory.
    assert names == sorted(names, key=lambda n: sort_name(*n.split(", ")))
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=section_centre(header, COL_CASE_NUMBER))
    qtbot.waitUntil(lambda: page.model.sort_column() == COL_CASE_NUMBER, timeout=TIMEOUT)
    assert page.model.in_result_mode()
    numbers = column_texts(page.model, COL_CASE_NUMBER)
    assert numbers == sorted(numbers) and len(numbers) == len(names)

    page.search.clear()  # back to the whole list (of open cases: the default)
    shown = len(case_ids(ctx.vault(), CaseFilter(include_closed=False)))
    assert shown < 301
    qtbot.waitUntil(lambda: page.count.text() == f"{shown} Fälle", timeout=TIMEOUT)
    assert not page.model.in_result_mode()

    qtbot.keyClick(page.search, Qt.Key.Key_Odiaeresis)  # a German keyboard's Ö key
    assert page.search.text() == "Ö"
    page.search.insert("ztürk")  # lowercase umlauts cannot be typed with keyClicks (Qt trap)
    qtbot.waitUntil(lambda: page.model.in_result_mode()
                    and wanted in page.model._ids, timeout=TIMEOUT)
    wait_rows(qtbot, page)
    assert "Öztürk, Ayşe" in column_texts(page.model, COL_NAME)

    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # from the search field into the results
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0


def test_enter_in_the_search_field_opens_the_hit(qtbot: QtBot, ctx: AppContext,
                                                page_for: object) -> None:
    generate_demo(ctx.vault(), 200, seed=7)
    wanted = create_case(ctx.vault(), NewCase("Tunde", "Babatunde-Okafor", "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    # Typed and Enter at once, before the search ran: the hit for the typed text opens.
    qtbot.keyClicks(page.search, "babatunde-ok")
    assert page._search_timer.isActive()
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == [wanted, ""]
    # With the hits shown, Enter opens the selected one (here: the first).
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as again:
        qtbot.keyClick(page.search, Qt.Key.Key_Enter)
    assert again.args == [wanted, ""]
    # Nothing typed: Enter does nothing.
    page.search.clear()
    with qtbot.assertNotEmitted(ctx.case_open_requested, wait=300):
        qtbot.keyClick(page.search, Qt.Key.Key_Return)


def test_case_manager_filter_search_within_filter_and_refresh(qtbot: QtBot, ctx: AppContext,
                                                              page_for: object) -> None:
    generate_demo(ctx.vault(), 300, seed=17)
    staff = case_managers(ctx.vault())
    assert [m.display_name for m in staff][:2] == ["Fatma Demir", "Jonas Weiß"]
    page: CaseListPage = page_for()  # type: ignore[operator]
    page.filters.only_open.setChecked(False)  # the demo's closed cases count here too
    combo = page.filters.case_manager
    qtbot.waitUntil(lambda: combo.count() == len(staff) + 1, timeout=TIMEOUT)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Alle", *(m.display_name for m in staff)]
    combo.setCurrentIndex(combo.findText("Mehmet Aydın"))
    expected = case_ids(ctx.vault(), CaseFilter(case_manager_uuid=combo.currentData()))
    assert 0 < len(expected) < 300
    qtbot.waitUntil(lambda: page.model.rowCount() == len(expected), timeout=TIMEOUT)
    wait_rows(qtbot, page, COL_MANAGER)
    assert set(column_texts(page.model, COL_MANAGER)) == {"Mehmet Aydın"}

    # Searching inside the filter: only Mehmet Aydın's clients among the hits.
    family = cell_text(page.model, 0, COL_NAME).split(",")[0]
    page.search.setText(family)
    qtbot.waitUntil(page.model.in_result_mode, timeout=TIMEOUT)
    wait_rows(qtbot, page, COL_MANAGER)
    assert page.model.rowCount() >= 1
    assert set(column_texts(page.model, COL_MANAGER)) == {"Mehmet Aydın"}
    page.search.clear()
    qtbot.waitUntil(lambda: not page.model.in_result_mode()
                    and page.model.rowCount() == len(expected), timeout=TIMEOUT)

    # A case created elsewhere (another page) shows up once its creation is announced.
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.count.text() == "300 Fälle", timeout=TIMEOUT)
    committed(ctx, lambda: create_case(ctx.vault(), NewCase("Aaron", "Aaberg", "DO")))
    qtbot.waitUntil(lambda: page.count.text() == "301 Fälle", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: cell_text(page.model, 0, COL_NAME) == "Aaberg, Aaron", timeout=TIMEOUT)


def test_deadline_filter_shows_overdue_cases_and_filters_search_hits(
        qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    generate_demo(ctx.vault(), 250, seed=21)
    today = ctx.vault().clock.today()
    overdue = case_ids(ctx.vault(), CaseFilter(deadline="overdue"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    combo = page.filters.deadline
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Alle", "überfällig", "fällig in 14 Tagen", "fällig in 30 Tagen", "ohne Frist"]
    combo.setCurrentIndex(combo.findData("overdue"))
    qtbot.waitUntil(lambda: page.count.text() == f"{len(overdue)} Fälle", timeout=TIMEOUT)
    wait_rows(qtbot, page)
    shown = [page.model.case_id(r) for r in range(page.model.rowCount())]
    assert shown == overdue
    tips = [page.model.data(page.model.index(r, COL_DEADLINE), Qt.ItemDataRole.ToolTipRole)
            for r in range(min(20, page.model.rowCount()))]
    assert all(str(t).endswith("(überfällig)") for t in tips)  # said, not only coloured
    # Searching keeps the filter: only overdue hits.
    page.search.setText("a")
    qtbot.waitUntil(lambda: page.model.in_result_mode(), timeout=TIMEOUT)
    hits = [page.model.case_id(r) for r in range(page.model.rowCount())]
    assert hits and set(hits) <= set(overdue)
    assert all(r.next_deadline is not None and r.next_deadline < today
               for r in rows_by_id(ctx.vault(), [h for h in hits if h is not None]))
