"""Heute driven with the keyboard on the real encrypted store, read back from the vault."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.clock import FixedClock
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from app.services.tasks.write import add_task
from app.settings import load_settings
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceParticipant,
    Task,
)
from tests.ui.settle import settle
from ui.casefile._form import set_date
from ui.context import AppContext
from ui.today.page import TodayPage

WAIT = 20000
LONG_NAME = ("Psychosoziales Zentrum für Geflüchtete und Folterüberlebende der Region "
             "Dortmund-Unna-Hamm, Beratungsstelle Nordstadt")


@dataclass
class Caseload:
    mine: int  # the owner's case: a task due yesterday, a Duldung ending in 20 days
    colleague: int  # a colleague's case with a task due yesterday
    today: date


@pytest.fixture
def caseload(vault: Vault, clock: FixedClock) -> Caseload:
    today = clock.today()
    mine = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    add_task(vault, mine, "Jobcenter-Bescheid nachfragen", today - timedelta(days=1))
    add_status(vault, mine, NewStatus("duldung", today - timedelta(days=150),
                                      today + timedelta(days=20)))
    colleague = create_case(vault, NewCase("Karim", "Haddad", "DO"))
    add_task(vault, colleague, "Rückruf Schule", today - timedelta(days=1))
    with vault.session() as s:  # the colleague: a second case manager in this vault
        other = CaseManager(display_name="Kollegin Weber", municipality="DO")
        s.add(other)
        s.flush()
        s.get_one(CaseFile, colleague).case_manager_id = other.id
    return Caseload(mine, colleague, today)


@pytest.fixture
def page(caseload: Caseload, qtbot: QtBot, ctx: AppContext, clock: FixedClock
         ) -> Iterator[TodayPage]:
    # The caseload is written first: ``ctx`` locks the fixture vault and unlocks its own.
    ctx.vault().clock = clock
    window = QMainWindow()
    qtbot.addWidget(window)
    today = TodayPage(ctx)
    window.setCentralWidget(today)
    window.resize(1280, 720)
    window.show()
    window.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.waitUntil(lambda: today.overview is not None, timeout=WAIT)
    settle(ctx)
    yield today


def case_ids(widget: QListWidget) -> set[int]:
    ids = set()
    for i in range(widget.count()):
        target = widget.item(i).data(Qt.ItemDataRole.UserRole + 1)
        if target:
            ids.add(int(target[0]))
    return ids


def texts(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def choose(qtbot: QtBot, widget: QListWidget, case_id: int, text: str = "") -> None:
    """Into the list with the keyboard's focus, down to the case's entry (holding ``text``)."""
    widget.setFocus()
    widget.setCurrentRow(0)
    for _ in range(widget.count()):
        target = widget.currentItem().data(Qt.ItemDataRole.UserRole + 1)
        if target and target[0] == case_id and text in widget.currentItem().text():
            return
        qtbot.keyClick(widget, Qt.Key.Key_Down)
    raise AssertionError(f"case {case_id} is not listed")


def reload(qtbot: QtBot, ctx: AppContext, page: TodayPage) -> None:
    """What was written beside the page (through the services) shows after a refresh."""
    settle(ctx)
    page.refresh()
    settle(ctx)
    qtbot.waitUntil(lambda: not page._loading, timeout=WAIT)


def test_only_my_cases_by_default_toggled_with_its_mnemonic_and_remembered(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    assert page.only_mine.isChecked()
    assert case_ids(page.overdue.list) == {caseload.mine}
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not page.only_mine.isChecked(), timeout=WAIT)
    settle(ctx)
    assert case_ids(page.overdue.list) == {caseload.mine, caseload.colleague}
    assert load_settings(ctx.vault()).today_only_mine is False  # remembered in the vault
    again = TodayPage(ctx)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.overview is not None, timeout=WAIT)
    assert not again.only_mine.isChecked()
    assert case_ids(again.overdue.list) == {caseload.mine, caseload.colleague}


def _task(vault: Vault, case_id: int) -> Task:
    with vault.read_session() as s:
        return s.execute(select(Task).where(Task.case_id == case_id)).scalar_one()


def test_a_task_is_marked_done_with_a_key(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    choose(qtbot, page.overdue.list, caseload.mine, "Jobcenter-Bescheid")
    assert page.done_button.isEnabled() and not page.renew_button.isEnabled()
    qtbot.keyClick(page.overdue.list, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _task(ctx.vault(), caseload.mine).done_on == caseload.today,
                    timeout=WAIT)
    reload(qtbot, ctx, page)
    assert not any("Jobcenter-Bescheid" in text for text in texts(page.overdue.list))
    assert not any("Jobcenter-Bescheid" in text for text in texts(page.upcoming.list))
    assert page.overdue.list.hasFocus()  # back where the caseworker was


@pytest.mark.parametrize("key, days", [(Qt.Key.Key_7, 7), (Qt.Key.Key_1, 14)])
def test_a_task_is_postponed_by_a_step(page: TodayPage, qtbot: QtBot, ctx: AppContext,
                                       caseload: Caseload, key: Qt.Key, days: int) -> None:
    choose(qtbot, page.overdue.list, caseload.mine, "Jobcenter-Bescheid")
    qtbot.keyClick(page.overdue.list, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.postpone_dialog is not None
                    and page.postpone_dialog.isActiveWindow(), timeout=WAIT)
    dialog = page.postpone_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _task(ctx.vault(), caseload.mine).due_on
                    == caseload.today + timedelta(days=days), timeout=WAIT)
    assert _task(ctx.vault(), caseload.mine).done_on is None
    reload(qtbot, ctx, page)
    assert not any("Jobcenter-Bescheid" in text for text in texts(page.overdue.list))
    assert any("Jobcenter-Bescheid" in text and f"{caseload.today + timedelta(days=days):%d.%m.%Y}"
               in text for text in texts(page.upcoming.list))


def test_a_task_is_postponed_to_a_typed_date_but_not_into_the_past(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    choose(qtbot, page.overdue.list, caseload.mine, "Jobcenter-Bescheid")
    qtbot.keyClick(page.overdue.list, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.postpone_dialog is not None
                    and page.postpone_dialog.isActiveWindow(), timeout=WAIT)
    dialog = page.postpone_dialog
    assert dialog is not None
    set_date(dialog.date, caseload.today - timedelta(days=3))
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Vergangenheit" in dialog.error.text()
    assert _task(ctx.vault(), caseload.mine).due_on == caseload.today - timedelta(days=1)
    set_date(dialog.date, date(2027, 1, 8))
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)  # Enter confirms the typed date
    qtbot.waitUntil(lambda: _task(ctx.vault(), caseload.mine).due_on == date(2027, 1, 8),
                    timeout=WAIT)


def test_an_expiring_status_offers_its_renewal_which_opens_the_status_section(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    # The computed follow-up (30 days before the Duldung ends) is overdue: no "Erledigt".
    overdue = page.overdue.list
    choose(qtbot, overdue, caseload.mine, "Aufenthaltsstatus läuft")
    assert not page.done_button.isEnabled() and not page.postpone_button.isEnabled()
    assert page.renew_button.isEnabled()
    with qtbot.waitSignal(ctx.case_open_requested, timeout=WAIT) as opened:
        qtbot.keyClick(overdue, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert opened.args == [caseload.mine, "status"]
    choose(qtbot, page.statuses.list, caseload.mine)
    with qtbot.waitSignal(ctx.case_open_requested, timeout=WAIT) as opened:
        qtbot.keyClick(page.statuses.list, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert opened.args == [caseload.mine, "status"]


def _all_text(page: QWidget) -> str:
    texts = [label.text() for label in page.findChildren(QLabel)]
    texts += [box.title() for box in page.findChildren(type(page.statuses))]  # type: ignore[attr-defined]
    for widget in page.findChildren(QListWidget):
        texts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(texts)


def test_a_duldung_is_no_aufenthaltstitel(page: TodayPage) -> None:
    text = _all_text(page)
    assert "Duldung § 60a gültig bis" in text
    assert "Aufenthaltsstatus, die in 30 Tagen ablaufen (1)" in page.statuses.title()
    assert "Aufenthaltstitel" not in text


def test_the_consent_block_follows_the_window(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    vault = ctx.vault()
    uuid = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    record_consent(vault, caseload.mine, NewConsent(
        uuid, ["residence"], "Leistungen", caseload.today - timedelta(days=300),
        caseload.today + timedelta(days=45)))
    reload(qtbot, ctx, page)
    assert caseload.mine not in case_ids(page.consents.list)
    assert page.consents.title() == "Einwilligungen, die in 30 Tagen ablaufen (0)"
    qtbot.mouseClick(page.window_buttons.button(60), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "60 Tagen" in page.consents.title(), timeout=WAIT)
    reload(qtbot, ctx, page)
    assert case_ids(page.consents.list) == {caseload.mine}
    assert "Jobcenter Dortmund gültig bis" in page.consents.list.item(0).text()


def test_long_lines_are_fully_visible_at_1280x720(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    vault = ctx.vault()
    uuid = add_institution(vault, NewInstitution(LONG_NAME, "beratungsstelle", "DO"))
    record_consent(vault, caseload.mine, NewConsent(
        uuid, ["health"], "Beratung", caseload.today - timedelta(days=300),
        caseload.today + timedelta(days=12)))
    reload(qtbot, ctx, page)
    qtbot.waitUntil(lambda: caseload.mine in case_ids(page.consents.list), timeout=WAIT)
    assert page.window().size().width() == 1280
    choose(qtbot, page.consents.list, caseload.mine)  # its whole text shows above as well
    qtbot.waitUntil(lambda: LONG_NAME in page.chosen.text(), timeout=WAIT)
    settle(ctx)
    window = page.window()
    for section in page.sections:  # no block reaches beyond the window (no sideways scroll)
        right = section.list.mapTo(window, section.list.rect().topRight()).x()
        assert right <= window.width(), section.title()
    for section in page.sections:
        widget = section.list
        viewport = widget.viewport().rect()
        for i in range(widget.count()):
            item = widget.item(i)
            rect = widget.visualItemRect(item)
            assert rect.right() <= viewport.right() + 1
            needed = widget.fontMetrics().boundingRect(
                QRect(0, 0, rect.width() - 8, 10_000),
                int(Qt.TextFlag.TextWordWrap), item.text())
            assert needed.height() <= rect.height(), (section.title(), item.text())
    long_entry = page.consents.list.item(0)
    assert LONG_NAME in long_entry.text()
    assert page.consents.list.visualItemRect(long_entry).height() >= \
        3 * page.consents.list.fontMetrics().height()  # wrapped over several lines


def test_a_conference_shows_time_place_and_title_and_enter_asks_for_its_window(
        page: TodayPage, qtbot: QtBot, ctx: AppContext, caseload: Caseload) -> None:
    """Heute lists it; Enter asks the workspace for the conference window (which the
    Fallkonferenzen page opens: tests/ui/conferences)."""
    at = ctx.vault().clock.now().replace(hour=14, minute=0) + timedelta(days=2)
    with ctx.vault().session() as s:
        conf = Conference(title="Fallkonferenz Familie Yusuf", scheduled_at=at,
                          place="Rathaus, Raum 214")
        s.add(conf)
        s.flush()
        s.add(ConferenceAgendaItem(conference_id=conf.id, case_id=caseload.mine,
                                   occasion="Schulplatz und Wohnsitzauflage klären"))
        s.add(ConferenceParticipant(conference_id=conf.id, name="Frau Demir", role="Schule"))
        conf_uuid = conf.uuid
    reload(qtbot, ctx, page)
    [entry] = texts(page.conferences.list)
    assert entry.startswith(f"{at.astimezone():%d.%m.%Y, %H:%M} Uhr · Rathaus, Raum 214\n"
                            "Fallkonferenz Familie Yusuf · DO-")
    assert page.conferences.title() == "Fallkonferenzen der nächsten 30 Tage (1)"
    page.conferences.list.setFocus()
    page.conferences.list.setCurrentRow(0)
    opened_cases: list[object] = []
    ctx.case_open_requested.connect(lambda *args: opened_cases.append(args))
    with qtbot.waitSignal(ctx.conference_open_requested, timeout=WAIT) as opened:
        qtbot.keyClick(page.conferences.list, Qt.Key.Key_Return)
    assert opened.args == [conf_uuid]
    assert opened_cases == []  # the conference, not a case of its agenda
