"""Lücken im System: status steps with the date in German, the status filter, and corrections
that refuse case numbers just as recording does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.gaps.read import system_gaps
from app.services.gaps.records import NewSystemGap
from app.services.gaps.write import record_gap
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.model_check import check_model
from tests.ui.settle import settle
from ui.context import AppContext

WAIT = 10000
# The model tester reports through Qt warnings; this fixture turns them into failures.


def _page(qtbot: QtBot, ctx: AppContext) -> Any:
    from ui.gaps.page import GapsPage

    page = GapsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    check_model(page.model)
    return page


def _titles(page: Any) -> list[str]:
    model = page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _select(page: Any, title: str) -> None:
    row = _titles(page).index(title)
    page.table.setCurrentIndex(page.model.index(row, 0))


def test_gap_moves_open_escalated_resolved_and_filter(qtbot: QtBot, ctx: AppContext) -> None:
    v = ctx.vault()
    record_gap(v, NewSystemGap("waiting_time", "Lange Wartezeiten", "Termine nach Wochen.",
                               ["SGB II"], "high", date(2026, 11, 1)))
    record_gap(v, NewSystemGap("language_access", "Keine Sprachmittlung", "Niemand zahlt.",
                               [], "medium", date(2026, 10, 1)))
    page = _page(qtbot, ctx)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT)
    assert page.status_filter.currentText() == "offene und eskalierte"
    assert page.model.index(0, 3).data() == "offen"
    escalate = page.status_buttons["escalated"]
    resolve = page.status_buttons["resolved"]
    reopen = page.status_buttons["open"]
    assert not escalate.isEnabled()  # nothing selected
    _select(page, "Lange Wartezeiten")
    assert escalate.isEnabled() and resolve.isEnabled() and not reopen.isEnabled()

    # Escalate: the question names the steering committee; "Abbrechen" changes nothing.
    qtbot.mouseClick(escalate, Qt.MouseButton.LeftButton)
    question = answer_confirmation(qtbot, page, "&Abbrechen")
    assert "an das Steuerungsgremium eskaliert" in question
    settle(ctx)
    assert system_gaps(v, ["escalated"]) == []
    qtbot.mouseClick(escalate, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, page, "Eskal&ieren")
    qtbot.waitUntil(lambda: page.model.index(
        _titles(page).index("Lange Wartezeiten"), 3).data() == "eskaliert", timeout=WAIT)
    assert "eskaliert" in page.notice.text()
    assert not escalate.isEnabled() and resolve.isEnabled()  # still selected

    # Resolve: dated today, in German; the default filter then hides it.
    today = ctx.vault().clock.today()
    qtbot.mouseClick(resolve, Qt.MouseButton.LeftButton)
    question = answer_confirmation(qtbot, page, "Als beh&oben markieren")
    assert f"({today:%d.%m.%Y})" in question
    qtbot.waitUntil(lambda: _titles(page) == ["Keine Sprachmittlung"], timeout=WAIT)
    ctx.wait_idle()
    resolved = system_gaps(v, ["resolved"])
    assert [(g.title, g.resolved_on) for g in resolved] == [("Lange Wartezeiten", today)]
    filters = page.status_filter
    filters.setCurrentIndex(filters.findText("alle"))
    qtbot.waitUntil(lambda: len(_titles(page)) == 2, timeout=WAIT)
    row = _titles(page).index("Lange Wartezeiten")
    assert page.model.index(row, 3).data() == f"behoben am {today:%d.%m.%Y}"
    filters.setCurrentIndex(filters.findText("behoben"))
    qtbot.waitUntil(lambda: _titles(page) == ["Lange Wartezeiten"], timeout=WAIT)

    # Reopen (no question: it can be undone), then drop the other one.
    _select(page, "Lange Wartezeiten")
    assert reopen.isEnabled() and not escalate.isEnabled()
    qtbot.mouseClick(reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _titles(page) == [], timeout=WAIT)
    assert "Keine Lücken mit dem Status „behoben“" in page.message.text()
    filters.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(_titles(page)) == 2, timeout=WAIT)
    _select(page, "Keine Sprachmittlung")
    qtbot.mouseClick(page.status_buttons["dropped"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _titles(page) == ["Lange Wartezeiten"], timeout=WAIT)
    ctx.wait_idle()
    assert {g.title: (g.status, g.resolved_on) for g in system_gaps(v)} == {
        "Lange Wartezeiten": ("open", None), "Keine Sprachmittlung": ("dropped", None)}


def test_gap_edit_refuses_case_number_and_saves_correction(
        qtbot: QtBot, ctx: AppContext) -> None:
    v = ctx.vault()
    uuid = record_gap(v, NewSystemGap("waiting_time", "Lange Wartezeiten",
                                      "Termine nach Wochen.", ["SGB II"], "high",
                                      date(2026, 11, 1)))
    page = _page(qtbot, ctx)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert not page.edit_button.isEnabled()
    _select(page, "Lange Wartezeiten")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.form_box.title() == "Lücke bearbeiten"
    assert page.title.text() == "Lange Wartezeiten"
    assert page.severity.currentData() == "high"
    assert page.checked_domains() == ["SGB II"]

    page.description.setPlainText(
        "Im Fall DO-2026-T3ST-0042 dauerte es acht Wochen.")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    error = page.errors["description"]
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT)
    assert "keine Fallnummern" in error.text()
    assert page.form_box.title() == "Lücke bearbeiten"
    ctx.wait_idle()
    stored = system_gaps(v)
    assert [(g.description, g.title) for g in stored] == [("Termine nach Wochen.",
                                                            "Lange Wartezeiten")]

    page.description.setPlainText("Ersttermine erst nach acht Wochen.")
    page.title.setText("Wartezeiten Jobcenter")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _titles(page) == ["Wartezeiten Jobcenter"], timeout=WAIT)
    assert error.isHidden()
    assert page.form_message.text() == "Die Änderungen wurden gespeichert."
    assert page.form_box.title() == "Neue Lücke erfassen"
    assert page.title.text() == ""
    ctx.wait_idle()
    gap = system_gaps(v)[0]
    assert (gap.uuid, gap.description, gap.legal_domains) == (
        uuid, "Ersttermine erst nach acht Wochen.", ("SGB II",))
    assert len(system_gaps(v)) == 1  # corrected, not added


def _active_page(qtbot: QtBot, ctx: AppContext) -> Any:
    page = _page(qtbot, ctx)
    page.resize(1280, 720)
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT)
    return page


def _type(qtbot: QtBot, widget: Any, text: str) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=WAIT)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def test_cancelled_edit_leaves_nothing_behind_for_the_next_gap(qtbot: QtBot,
                                                              ctx: AppContext) -> None:
    v = ctx.vault()
    record_gap(v, NewSystemGap("legal_barrier", "Lange Wartezeiten", "Termine nach Wochen.",
                               ["SGB II"], "high", date(2026, 11, 1)))
    page = _active_page(qtbot, ctx)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    _select(page, "Lange Wartezeiten")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # edit
    assert page.noticed_on.text() == "01.11.2026" and page.severity.currentData() == "high"
    qtbot.keyClick(page.title, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Abbre&chen
    qtbot.waitUntil(lambda: page.form_box.title() == "Neue Lücke erfassen", timeout=WAIT)
    today = v.clock.today()
    assert page.noticed_on.text() == f"{today:%d.%m.%Y}"

    _type(qtbot, page.title, "Keine Sprachmittlung")
    qtbot.keyClick(page.title, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.description, "Niemand zahlt die Dolmetscherin.")
    qtbot.keyClick(page.title, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # Lücke &erfassen
    qtbot.waitUntil(lambda: page.form_message.text() == "Die Lücke wurde erfasst.", timeout=WAIT)
    ctx.wait_idle()
    new = next(g for g in system_gaps(v) if g.title == "Keine Sprachmittlung")
    assert (new.noticed_on, new.severity, new.category, new.legal_domains) == (
        today, "medium", page.category.itemData(0), ())
    # After saving, too, the form is empty and dated today again.
    assert (page.title.text(), page.description.toPlainText()) == ("", "")
    assert page.noticed_on.text() == f"{today:%d.%m.%Y}"


def test_gap_form_shows_refusals_at_the_field_and_saves_nothing(qtbot: QtBot,
                                                                ctx: AppContext) -> None:
    from app.services.cases.records import NewCase
    from app.services.cases.write import create_case

    create_case(ctx.vault(), NewCase(given_names="Ayşe", family_name="Öztürk",
                                     municipality="DO"))
    page = _active_page(qtbot, ctx)
    _type(qtbot, page.title, "Keine Sprachmittlung")
    _type(qtbot, page.description, "Frau Oeztuerk wartet seit Wochen.")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    error = page.errors["description"]
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT)
    assert "keine Namen" in error.text()

    _type(qtbot, page.description, "Eine Klientin, Tel. 0231 1234567, wartet.")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Telefonnummern" in error.text(), timeout=WAIT)

    # A date that cannot be read: the message at the date, the text is not even sent.
    _type(qtbot, page.description, "Eine Klientin wartet seit Wochen.")
    _type(qtbot, page.noticed_on, "31.11.")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    date_error = page.errors["noticed_on"]
    qtbot.waitUntil(lambda: not date_error.isHidden(), timeout=WAIT)
    assert date_error.text().startswith("Den 31.11.")
    assert error.isHidden()
    ctx.wait_idle()
    assert system_gaps(ctx.vault()) == []
    _type(qtbot, page.noticed_on, "-2")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.form_message.text() == "Die Lücke wurde erfasst.", timeout=WAIT)
    ctx.wait_idle()
    (saved,) = system_gaps(ctx.vault())
    assert saved.noticed_on == ctx.vault().clock.today() - timedelta(days=2)
