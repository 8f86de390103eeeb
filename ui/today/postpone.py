"""Verschieben: a stored follow-up moves by a week, two weeks or to a typed date."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LotseError
from ui.casefile._form import date_edit, read_date, set_date

STEPS = (7, 14)


class PostponeDialog(QDialog):
    """``chosen`` is the new due date once accepted. The steps count from today: an overdue
    follow-up moved "by a week" should come back in a week, not stay overdue."""

    def __init__(self, parent: QWidget | None, title: str, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wiedervorlage verschieben")
        self.setObjectName("postponeDialog")
        self.today = today
        self.chosen: date | None = None
        layout = QVBoxLayout(self)
        what = QLabel(title)
        what.setWordWrap(True)
        layout.addWidget(what)
        self.step_buttons: dict[int, QPushButton] = {}
        for days in STEPS:
            target = today + timedelta(days=days)
            button = QPushButton(f"Um &{days} Tage (auf den {target:%d.%m.%Y})")
            button.setObjectName(f"postpone{days}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, t=target: self._choose(t))
            layout.addWidget(button)
            self.step_buttons[days] = button
        form = QFormLayout()
        self.date = date_edit()
        set_date(self.date, today + timedelta(days=STEPS[0]))
        form.addRow("Auf &Datum:", self.date)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("postponeError")
        self.error.setStyleSheet("color: #a4262c;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Verschieben")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self._typed)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.date.setFocus()

    def _typed(self) -> None:
        try:
            value = read_date(self.date)
        except (ValueError, LotseError) as exc:  # the typeable field refuses what is no date
            self._refuse(getattr(exc, "message_de", "Bitte ein gültiges Datum eingeben."))
            return
        if value is None:
            self._refuse("Bitte ein Datum eingeben.")
        elif value < self.today:
            self._refuse("Eine Wiedervorlage lässt sich nicht in die Vergangenheit verschieben.")
        else:
            self._choose(value)

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.date.setFocus()

    def _choose(self, value: date) -> None:
        self.chosen = value
        self.accept()
