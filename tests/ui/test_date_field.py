"""The desktop's one date field, typed key by key as a person types (ui.date_field)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from app.date_input import DateInputError
from ui.casefile._form import date_edit, read_date
from ui.context import AppContext
from ui.date_field import DateField


def vault_today(ctx: AppContext) -> date:
    return ctx.vault().clock.today()  # what "heute" means to the date fields


def this_year(ctx: AppContext, month: int, day: int) -> date:
    return date(vault_today(ctx).year, month, day)


class Form(QWidget):
    """Before – the date – after, as in every form: a label names the date (buddy)."""

    def __init__(self, optional: bool) -> None:
        super().__init__()
        layout = QFormLayout(self)
        self.before = QLineEdit()
        self.field = date_edit(optional=optional)
        self.after = QLineEdit()
        layout.addRow("&Titel:", self.before)
        self.label = QLabel("&Fällig am:")
        self.label.setBuddy(self.field)
        layout.addRow(self.label, self.field)
        layout.addRow("&Notiz:", self.after)


@pytest.fixture
def form(qtbot: QtBot, ctx: AppContext) -> Form:
    del ctx  # the context makes the date fields follow the vault's clock
    widget = Form(optional=True)
    qtbot.addWidget(widget)
    widget.resize(500, 200)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.field.setFocus()
    qtbot.waitUntil(widget.field.hasFocus)
    return widget


@pytest.mark.parametrize(("typed", "days_from_today", "fixed"), [
    ("10.12.2026", None, date(2026, 12, 10)), ("10.12.26", None, date(2026, 12, 10)),
    ("101226", None, date(2026, 12, 10)), ("10122026", None, date(2026, 12, 10)),
    ("1.2.27", None, date(2027, 2, 1)), ("10.12.", None, None), ("10.12", None, None),
    ("heute", 0, None), ("morgen", 1, None), ("+14", 14, None), ("-3", -3, None),
    ("+2w", 14, None),
])
def test_typed_dates_are_written_the_german_way_on_leaving(
        qtbot: QtBot, ctx: AppContext, form: Form, typed: str, days_from_today: int | None,
        fixed: date | None) -> None:
    expected = fixed or this_year(ctx, 12, 10)
    if days_from_today is not None:
        expected = vault_today(ctx) + timedelta(days=days_from_today)
    qtbot.keyClicks(form.field, typed)
    qtbot.keyClick(form.field, Qt.Key.Key_Tab)
    assert form.field.text() == expected.strftime("%d.%m.%Y")
    assert form.after.hasFocus()
    assert read_date(form.field) == expected


def test_an_empty_optional_date_is_plainly_empty_and_tab_leaves_it(qtbot: QtBot,
                                                                    form: Form) -> None:
    assert form.field.text() == "" and form.field.placeholderText() == "TT.MM.JJJJ"
    assert read_date(form.field) is None
    # Walk the focus chain with the keyboard: in, through the empty date, out.
    form.before.setFocus()
    qtbot.waitUntil(form.before.hasFocus)
    qtbot.keyClick(form.before, Qt.Key.Key_Tab)
    assert form.field.hasFocus()
    qtbot.keyClick(form.field, Qt.Key.Key_Tab)
    assert form.after.hasFocus(), QApplication.focusWidget()
    qtbot.keyClick(form.after, Qt.Key.Key_Backtab)
    qtbot.keyClick(form.field, Qt.Key.Key_Backtab)
    assert form.before.hasFocus()
    assert form.field.text() == "" and not form.field.problem
    # The calendar button is no stop of its own on the way.
    chain, widget = [], form.before.nextInFocusChain()
    while widget is not form.before and len(chain) < 20:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain[:2] == [form.field, form.after]


def test_field_and_calendar_button_have_names(form: Form) -> None:
    field = QAccessible.queryAccessibleInterface(form.field)
    assert field.text(QAccessible.Text.Name) == "Fällig am:"
    buttons = form.field.findChildren(QToolButton)
    assert len(buttons) == 1
    button = QAccessible.queryAccessibleInterface(buttons[0])
    assert button.text(QAccessible.Text.Name) == "Kalender öffnen"
    assert buttons[0].toolTip()


def test_an_impossible_date_says_so_at_the_field_and_cannot_be_read(qtbot: QtBot,
                                                                     form: Form) -> None:
    qtbot.keyClicks(form.field, "31.02.2026")
    qtbot.keyClick(form.field, Qt.Key.Key_Tab)
    assert form.field.text() == "31.02.2026"  # kept as typed, to be corrected
    message = form.findChild(QLabel, "dateFieldMessage")
    assert message is not None and message.isVisible()
    assert message.text().startswith("Den 31.02.2026 gibt es nicht.")
    assert form.field.accessibleDescription() == message.text()
    with pytest.raises(DateInputError):  # never a guessed date
        read_date(form.field)
    # Corrected: the message goes.
    form.field.setFocus()
    qtbot.waitUntil(form.field.hasFocus)
    form.field.selectAll()
    qtbot.keyClicks(form.field, "28.02.2026")
    qtbot.keyClick(form.field, Qt.Key.Key_Tab)
    assert not message.isVisible() and read_date(form.field) == date(2026, 2, 28)


def test_a_required_date_starts_today_and_refuses_to_be_empty(qtbot: QtBot,
                                                             ctx: AppContext) -> None:
    widget = Form(optional=False)
    qtbot.addWidget(widget)
    assert widget.field.text() == vault_today(ctx).strftime("%d.%m.%Y")
    widget.field.clear()
    with pytest.raises(DateInputError):
        read_date(widget.field)
    message = widget.findChild(QLabel, "dateFieldMessage")
    assert message is not None and "Bitte ein Datum eingeben" in message.text()


def test_calendar_opens_at_the_typed_date_and_takes_the_chosen_day(qtbot: QtBot,
                                                                  form: Form) -> None:
    qtbot.keyClicks(form.field, "10.12.26")
    qtbot.keyClick(form.field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = form.field.popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert popup.calendar.selectedDate() == QDate(2026, 12, 10)
    assert (popup.calendar.yearShown(), popup.calendar.monthShown()) == (2026, 12)
    days = popup.calendar.focusProxy() or popup.calendar  # the table of days inside
    qtbot.keyClick(days, Qt.Key.Key_Right)
    qtbot.keyClick(days, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert form.field.text() == "11.12.2026"
    assert read_date(form.field) == date(2026, 12, 11)


def test_calendar_of_an_empty_field_opens_today(qtbot: QtBot, ctx: AppContext,
                                               form: Form) -> None:
    button = form.field.findChildren(QToolButton)[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = form.field.popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    today = vault_today(ctx)
    assert popup.calendar.selectedDate() == QDate(today.year, today.month, today.day)
    qtbot.keyClick(popup.calendar.focusProxy() or popup.calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert form.field.text() == ""


def test_date_edit_builds_the_date_field(qtbot: QtBot) -> None:
    field = date_edit(optional=True)
    qtbot.addWidget(field)
    assert isinstance(field, DateField) and field.optional


def test_a_birth_date_field_reads_two_digit_years_in_the_past(qtbot: QtBot, form: Form) -> None:
    """A deadline typed "12.03.40" is in 2040; a birth date typed so is an 86-year-old's
    (``past``: birth and entry dates in 'Neuer Fall', Person and Haushalt)."""
    qtbot.keyClicks(form.field, "12.03.40")
    qtbot.keyClick(form.field, Qt.Key.Key_Tab)
    assert form.field.text() == "12.03.2040"
    born = date_edit(optional=True, past=True)
    form.layout().addWidget(born)  # type: ignore[union-attr]
    born.setFocus()
    qtbot.waitUntil(born.hasFocus)
    qtbot.keyClicks(born, "120340")
    assert read_date(born) == date(1940, 3, 12)
