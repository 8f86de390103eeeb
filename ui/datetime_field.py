"""When a contact happened: the one date field (typed as 10.12., heute, +14 …) and a time typed
as 14:30, 1430 or 9. Replaces QDateTimeEdit, whose sections ignored typed digits like
QDateEdit's (the defect ui.date_field works around)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from app.date_input import DateInputError, format_time, parse_time
from ui.date_field import DateField, reading_leniently

TIME_PLACEHOLDER = "HH:MM"
TIME_MISSING = "Bitte die Uhrzeit eingeben (HH:MM, z. B. 14:30)."


class DateTimeField(QWidget):
    """A required date and time of day; ``value()`` is local wall time (naive)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = DateField(optional=False)
        self.time = QLineEdit()
        self.time.setPlaceholderText(TIME_PLACEHOLDER)
        self.time.setAccessibleName("Uhrzeit")
        self.time.setToolTip("Uhrzeit als HH:MM, z. B. 14:30, 1430 oder 9")
        self.time.setMaxLength(12)
        self.time.setMaximumWidth(self.time.fontMetrics().horizontalAdvance("00:00 Uhr") + 16)
        self._last_time = datetime.now().time().replace(second=0, microsecond=0)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date)
        at = QLabel("um")
        at.setBuddy(self.time)
        row.addWidget(at)
        row.addWidget(self.time)
        row.addStretch(1)
        self.setFocusProxy(self.date)  # the row's label (Alt+U) goes to the date first
        self.time.editingFinished.connect(self._normalise_time)
        self.set_value(datetime.now())

    def set_value(self, when: datetime) -> None:
        local = when.astimezone() if when.tzinfo is not None else when
        self.date.set_value(local.date())
        self._last_time = local.time().replace(second=0, microsecond=0)
        self.time.setText(format_time(self._last_time))

    def value(self) -> datetime:
        """Date and time as typed (local); DateInputError, shown at the field, otherwise. In
        ``lenient_reading`` (drafts) the last readable values stand in for unreadable text."""
        day = self.date.value()
        assert day is not None  # a required DateField raises instead
        try:
            typed = parse_time(self.time.text())
        except DateInputError as exc:
            return self._fail(exc.message_de, exc)
        if typed is None:
            return self._fail(TIME_MISSING, DateInputError(TIME_MISSING, "time missing"))
        return datetime.combine(day, typed)

    def _fail(self, text: str, exc: DateInputError) -> datetime:
        if reading_leniently():
            return datetime.combine(self.date.last_readable or datetime.now().date(),
                                    self._last_time)
        exc.field = self.date.field_name
        self.date.show_problem(text)
        raise exc

    def _normalise_time(self) -> None:
        try:
            typed = parse_time(self.time.text())
        except DateInputError as exc:
            self.date.show_problem(exc.message_de)
            return
        if typed is None:
            self.date.show_problem(TIME_MISSING)
            return
        self._last_time = typed
        self.time.setText(format_time(typed))
        self.date.clear_problem()
