"""The one date field of the desktop: a text field that reads dates as people type them.

Why not Qt's own date editor: its day section ignores typed digits with dd.MM.yyyy (PySide6
6.12), an empty optional one shows its "special value" glued to the digits, its calendar opens
at the minimum date, and an empty optional one keeps the Tab focus. This field is a QLineEdit:
typing works, Tab leaves it, a label's buddy names it for screen readers. What it accepts is
``app.date_input`` (``10.12.26``, ``101226``, ``10.12.``, ``heute``, ``+14`` …); leaving the
field writes the date as dd.MM.yyyy, or shows a German message at the field when the text is no
date. Reading an unreadable field raises (``value``): a save never gets a guessed date.

"Today" is the vault's clock (``follow_clock_of``), so tests and the demo are deterministic.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QDate, QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QCalendarWidget,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.date_input import DateInputError, format_date, parse_date
from app.errors import LotseError

if TYPE_CHECKING:
    from app.session import DesktopSession

PLACEHOLDER = "TT.MM.JJJJ"
CALENDAR_NAME = "Kalender öffnen"
INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"
MESSAGE_STYLE = "color: #b00020;"
MISSING = "Bitte ein Datum eingeben (TT.MM.JJJJ, „heute“ oder „+14“)."

_today: Callable[[], date] = date.today
_lenient = 0


def follow_clock_of(session: DesktopSession) -> None:
    """Date fields take "today" from this session's vault clock while it is unlocked.

    Held weakly: the date fields must not keep a locked session (and its key) alive."""
    ref = weakref.ref(session)

    def today() -> date:
        alive = ref()
        try:
            return alive.vault().clock.today() if alive is not None else date.today()
        except LotseError:  # locked: the fields are about to go, the wall clock is good enough
            return date.today()

    global _today
    _today = today


def today() -> date:
    return _today()


@contextmanager
def lenient_reading() -> Iterator[None]:
    """While active, an unreadable field reads as its last readable date instead of raising.

    For questions that are not a save: "is anything typed?" and the draft sealed at lock must
    never fail because of a half-typed date (the save still refuses it). The last readable
    date, not "empty": a draft must not turn a stored date into "no date"."""
    global _lenient
    _lenient += 1
    try:
        yield
    finally:
        _lenient -= 1


def reading_leniently() -> bool:
    """True inside ``lenient_reading``: fields of other kinds follow the same mode."""
    return _lenient > 0


def _calendar_icon() -> QIcon:
    """A small calendar drawn here: Qt's standard icons have none, and no file is needed."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#444444"))
    painter.drawRect(QRect(1, 2, 13, 12))
    painter.fillRect(QRect(1, 2, 14, 4), QColor("#444444"))
    for x in (4, 7, 10):
        for y in (8, 11):
            painter.fillRect(QRect(x, y, 2, 2), QColor("#444444"))
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """The calendar below the field; Enter or a click takes the day, Escape closes it."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.field = field
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName("Kalender")
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)

    def _chosen(self, day: QDate) -> None:
        self.field.set_value(date(day.year(), day.month(), day.day()))
        self.close()
        self.field.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            self.field.setFocus(Qt.FocusReason.PopupFocusReason)
            return
        super().keyPressEvent(event)


class DateField(QLineEdit):
    """A date typed as text; ``optional`` ones may stay empty, required ones start at today.
    ``past`` ones (a birth date) read a two-digit year as the latest one not after today."""

    def __init__(self, optional: bool = False, parent: QWidget | None = None,
                 past: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.past = past
        self.field_name: str | None = None  # the service's name, once a form knows it
        self.message: QLabel | None = None  # where the field's German message is shown
        self.problem = ""
        self.last_readable: date | None = None  # what lenient reading gives for unreadable text
        self.popup: CalendarPopup | None = None
        self.setPlaceholderText(PLACEHOLDER)
        self.setToolTip("Datum als TT.MM.JJJJ, z. B. 10.12.2026 oder 10.12.26, 101226, "
                        "„heute“, „morgen“, „+14“ (in 14 Tagen). Kalender: Alt+↓")
        self.setMaxLength(40)
        # A date is short: as wide as "TT.MM.JJJJ" plus room for the calendar button, not the
        # whole form row (measured in the font, so it scales with the screen).
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00.00.00000") + 56)
        self.calendar_action = QAction(_calendar_icon(), CALENDAR_NAME, self)
        self.calendar_action.setToolTip(f"{CALENDAR_NAME} (Alt+↓)")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        for button in self.findChildren(QToolButton):  # the button Qt made for the action
            button.setAccessibleName(CALENDAR_NAME)
            button.setToolTip(f"{CALENDAR_NAME} (Alt+↓)")
        self.editingFinished.connect(self.normalise)
        if not optional:
            self.set_value(today())

    # --- reading and writing --------------------------------------------------------------

    def value(self) -> date | None:
        """The date typed, None if an optional field is empty; DateInputError otherwise."""
        try:
            parsed = parse_date(self.text(), today(), past=self.past)
        except DateInputError as exc:
            if _lenient:
                return self.last_readable
            exc.field = self.field_name
            self.show_problem(exc.message_de)
            raise
        if parsed is None and not self.optional:
            if _lenient:
                return self.last_readable
            self.show_problem(MISSING)
            raise DateInputError(MISSING, "required date missing")
        return parsed

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value) if value is not None else "")
        self.last_readable = value
        self.clear_problem()

    def reset(self) -> None:
        """Back to how a new form starts: empty, or today for a required date."""
        self.set_value(None if self.optional else today())

    def normalise(self) -> None:
        """On leaving the field: write the date the German way, or say what is wrong."""
        try:
            parsed = parse_date(self.text(), today(), past=self.past)
        except DateInputError as exc:
            self.show_problem(exc.message_de)
            return
        if parsed is None and not self.optional:
            self.show_problem(MISSING)
            return
        self.set_value(parsed)

    # --- the message at the field ---------------------------------------------------------

    def attach_message(self, label: QLabel, field_name: str | None = None) -> None:
        """Use ``label`` (the form's message row below the field) for this field's problems."""
        self.message = label
        if field_name is not None:
            self.field_name = field_name

    def show_problem(self, text: str) -> None:
        self.problem = text
        self.setStyleSheet(INVALID_STYLE)
        self.setAccessibleDescription(text)  # read out together with the field's name
        label = self.message or self._own_message()
        if label is not None:
            label.setText(text)
            label.show()

    def clear_problem(self) -> None:
        if not self.problem:
            return
        self.problem = ""
        self.setStyleSheet("")
        self.setAccessibleDescription("")
        if self.message is not None:
            self.message.clear()
            self.message.hide()

    def _own_message(self) -> QLabel | None:
        """A message row right below the field, for forms that gave it none."""
        parent = self.parentWidget()
        layout = parent.layout() if parent is not None else None
        label = QLabel()
        label.setStyleSheet(MESSAGE_STYLE)
        label.setWordWrap(True)
        label.setObjectName("dateFieldMessage")
        if isinstance(layout, QFormLayout):
            row = cast(tuple[int, QFormLayout.ItemRole], layout.getWidgetPosition(self))[0]
            if row < 0:
                return None
            layout.insertRow(row + 1, "", label)
        elif isinstance(layout, QBoxLayout) and layout.indexOf(self) >= 0:
            layout.insertWidget(layout.indexOf(self) + 1, label)
        else:
            return None
        self.message = label
        return label

    # --- the calendar ---------------------------------------------------------------------

    def open_calendar(self) -> None:
        """The calendar at the date in the field, or at today when it holds none."""
        try:
            shown = parse_date(self.text(), today(), past=self.past) or today()
        except DateInputError:
            shown = today()
        if self.popup is None:
            self.popup = CalendarPopup(self)
        self.popup.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.popup.calendar.setCurrentPage(shown.year, shown.month)
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.popup.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:  # as in a combo box or Qt's date editor
            self.open_calendar()
            return
        super().keyPressEvent(event)
