"""What the Fälle page shows besides the list itself: only open cases by default, "Keine Fälle
gefunden" where the rows would be, columns wide enough for Zielgruppe and Kommune, and the
journal search that opens a case at its Verlauf."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import catalogues
from app.demo.generator import generate_demo
from app.services.cases.read import case_ids
from app.services.cases.records import CaseFilter, NewCase
from app.services.cases.write import create_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from db.models import AuditLog
from tests.ui.caselist import caselist_helpers
from tests.ui.caselist.caselist_helpers import TIMEOUT, cell_text, column_texts, wait_rows
from ui.caselist.filters import FilterBar
from ui.caselist.model import COL_MUNI, COL_PHASE, COL_TARGET
from ui.caselist.page import CaseListPage
from ui.caselist.table import EMPTY_TEXT
from ui.context import AppContext

page_for = caselist_helpers.page_for

CLOSED = catalogues.label_or_code(catalogues.phases(), "closed", short=True)


def test_only_open_cases_by_default_and_all_when_unticked(qtbot: QtBot, ctx: AppContext,
                                                          page_for: object) -> None:
    generate_demo(ctx.vault(), 200, seed=21)
    open_cases = len(case_ids(ctx.vault(), CaseFilter(include_closed=False)))
    assert 0 < open_cases < 200  # the demo has closed cases
    page: CaseListPage = page_for()  # type: ignore[operator]
    assert page.filters.only_open.isChecked() and page.filters.only_open.text() == \
        "nur &offene Fälle"
    assert page.model.rowCount() == open_cases
    wait_rows(qtbot, page, COL_PHASE)
    assert CLOSED not in column_texts(page.model, COL_PHASE)

    page.filters.only_open.setFocus()
    qtbot.keyClick(page.filters.only_open, Qt.Key.Key_Space)  # untick with the keyboard
    qtbot.waitUntil(lambda: page.model.rowCount() == 200, timeout=TIMEOUT)
    wait_rows(qtbot, page, COL_PHASE)
    assert CLOSED in column_texts(page.model, COL_PHASE)
    assert page.count.text() == "200 Fälle"


def test_no_hits_say_so_in_the_table_with_a_hint(qtbot: QtBot, ctx: AppContext,
                                                 page_for: object) -> None:
    create_case(ctx.vault(), NewCase("Jana", "Abel", "DO"))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    assert not page.table.empty.isVisible()
    page.search.setFocus()
    qtbot.keyClicks(page.search, "zzqx")
    qtbot.waitUntil(page.table.empty.isVisible, timeout=TIMEOUT)
    assert EMPTY_TEXT in page.table.empty.text() and "nur offene Fälle" in page.table.empty.text()
    assert page.count.text() == "Keine Fälle gefunden"
    assert page.table.viewport().rect().contains(page.table.empty.geometry())
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # cleared: the list is back
    qtbot.waitUntil(lambda: not page.table.empty.isVisible() and page.model.rowCount() == 1,
                    timeout=TIMEOUT)


def test_columns_fit_target_group_and_municipality_at_1280(qtbot: QtBot, ctx: AppContext
                                                           ) -> None:
    create_case(ctx.vault(), NewCase("Jana", "Abel", "GL", target_group="opportunity_residence"))
    page = CaseListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    wait_rows(qtbot, page)
    table = page.table
    metrics = table.fontMetrics()
    for column, text in ((COL_TARGET, "Personen mit Chancen-Aufenthaltsrecht"),
                         (COL_TARGET, "Langjährig Geduldete"),
                         (COL_MUNI, "Rheinisch-Bergischer Kreis"),
                         (COL_MUNI, "Mülheim an der Ruhr")):
        assert table.columnWidth(column) >= metrics.horizontalAdvance(text) + 8, text
    assert cell_text(page.model, 0, COL_TARGET) == "Personen mit Chancen-Aufenthaltsrecht"
    # Every column in view: no horizontal scrolling at a laptop's width.
    assert not table.horizontalScrollBar().isVisible()
    assert table.horizontalHeader().length() <= table.viewport().width()


def test_journal_search_finds_a_case_by_a_word_and_opens_its_verlauf(
        qtbot: QtBot, ctx: AppContext, page_for: object) -> None:
    vault = ctx.vault()
    wanted = create_case(vault, NewCase("Jana", "Abel", "DO"))
    other = create_case(vault, NewCase("Otto", "Brandt", "DO"))
    day = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    add_journal_entry(vault, wanted, NewJournalEntry(
        "phone", "Rueckruf: Kitaplatz in der Nordstadt ist zugesagt.", day))
    add_journal_entry(vault, other, NewJournalEntry("phone", "Termin beim Jobcenter.",
                                                    day + timedelta(days=1)))
    page: CaseListPage = page_for()  # type: ignore[operator]
    wait_rows(qtbot, page)
    page.in_journal.setFocus()
    qtbot.keyClick(page.in_journal, Qt.Key.Key_Space)
    assert page.results.currentWidget() is page.journal_hits
    page.search.setFocus()
    qtbot.keyClicks(page.search, "kitapl")
    hits = page.journal_hits
    qtbot.waitUntil(lambda: hits.rowCount() == 1, timeout=TIMEOUT)
    texts = [hits.item(0, c).text() for c in range(hits.columnCount())]
    assert texts[0] == "20.11.2026" and texts[2] == "Abel, Jana"
    assert texts[1].startswith("DO-") and "Kitaplatz in der Nordstadt" in texts[3]
    assert page.count.text() == "1 Eintrag in 1 Fall gefunden"
    with qtbot.waitSignal(ctx.case_open_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == [wanted, "journal"]
    ctx.wait_idle()
    with vault.read_session() as s:  # one search, audited with its counts, never the words
        runs = s.execute(select(AuditLog.detail).where(AuditLog.kind == "search.run")).all()
    assert runs and runs[-1][0]["journal_entries"] == 1 and runs[-1][0]["cases"] == 1
    assert "kitapl" not in str(runs)

    page.search.clear()
    qtbot.keyClicks(page.search, "zzqx")
    qtbot.waitUntil(lambda: page.count.text() == "Keine Einträge gefunden", timeout=TIMEOUT)
    assert hits.rowCount() == 0


def test_the_filter_row_wraps_on_a_narrow_window(qtbot: QtBot) -> None:
    """1280 px at 150 % scaling leave 853 px: the filters take two rows there, one at 1280."""
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    combos = [bar.phase, bar.target_group, bar.municipality, bar.case_manager, bar.deadline]
    assert bar.minimumSizeHint().width() <= 853
    for width, rows in ((1280, 1), (853, 2)):
        bar.resize(width, 80)
        QApplication.processEvents()
        tops = {combo.geometry().top() for combo in combos}
        assert len(tops) == rows, width
        for widget in [*combos, bar.only_open]:
            assert bar.rect().contains(widget.geometry()), (width, widget)
