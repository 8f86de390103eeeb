"""Lücken im System: the register the steering committee receives, and a form to add a gap."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.directory import NewSystemGap
from app.services.gaps import CATEGORIES, SEVERITIES, GapEntry, legal_domains, record_gap
from app.services.gaps import system_gaps as load_gaps
from ui.context import AppContext, german_message
from ui.directory.table_model import RowsModel, configure_table, fmt_date

NO_PERSONAL_DATA = (
    "<b>Ohne personenbezogene Daten.</b> Dieses Register geht unverändert an das "
    "Steuerungsgremium. Tragen Sie keine Namen, Geburtsdaten, Adressen oder Fallnummern ein, "
    "sondern beschreiben Sie die Lücke allgemein.")


class GapsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("gapsPage")
        self.gaps: list[GapEntry] = []
        self.errors: dict[str, QLabel] = {}

        self.model = RowsModel(["Titel", "Kategorie", "Schweregrad", "Status", "Bemerkt am",
                                "Rechtskreise"], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        configure_table(self.table, "Register der Lücken im System")
        header = self.table.horizontalHeader()
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 280)  # long titles end in "…"; the full text is shown below
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        table_label = QLabel("Re&gister:")
        table_label.setBuddy(self.table)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.addWidget(table_label)
        left_column.addWidget(self.table, 1)
        left_column.addWidget(self.details)
        left_column.addWidget(self.message)

        outer = QHBoxLayout(self)
        outer.addWidget(left, 1)
        outer.addWidget(self._form())
        ctx.changed.connect(self._on_changed)
        ctx.locked.connect(self.clear)
        self.refresh()

    def _row(self, form: QFormLayout, text: str, field: QWidget, key: str) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(field)
        error = QLabel()
        error.setObjectName(f"{key}Error")
        error.setStyleSheet("color: #a4262c;")
        error.setWordWrap(True)
        error.hide()
        self.errors[key] = error
        stack.addWidget(error)
        form.addRow(label, holder)

    def _form(self) -> QGroupBox:
        box = QGroupBox("Neue Lücke erfassen")
        box.setFixedWidth(440)  # the register gets the room; a form reads best narrow
        column = QVBoxLayout(box)
        notice = QLabel(NO_PERSONAL_DATA)
        notice.setObjectName("noPersonalData")
        notice.setWordWrap(True)
        column.addWidget(notice)
        form = QFormLayout()
        column.addLayout(form)
        self.category = QComboBox()
        for code, label in CATEGORIES.items():
            self.category.addItem(label, code)
        self._row(form, "&Kategorie:", self.category, "category")
        self.title = QLineEdit()
        self._row(form, "&Titel:", self.title, "title")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(90)
        self.description.setMaximumHeight(160)
        self._row(form, "&Beschreibung:", self.description, "description")
        self.domains = QListWidget()
        self.domains.setTabKeyNavigation(False)
        self.domains.setMaximumHeight(130)
        for domain in legal_domains():
            item = QListWidgetItem(domain)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.domains.addItem(item)
        self._row(form, "&Rechtskreise:", self.domains, "legal_domains")
        self.severity = QComboBox()
        for code, label in SEVERITIES.items():
            self.severity.addItem(label, code)
        self.severity.setCurrentIndex(self.severity.findData("medium"))
        self._row(form, "&Schweregrad:", self.severity, "severity")
        self.noticed_on = QDateEdit()
        self.noticed_on.setDisplayFormat("dd.MM.yyyy")
        self.noticed_on.setCalendarPopup(True)
        self.noticed_on.setDate(QDate.currentDate())
        self._row(form, "Bemerkt &am:", self.noticed_on, "noticed_on")
        self.add_button = QPushButton("Lücke &erfassen")
        self.add_button.clicked.connect(self.add_gap)
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        column.addWidget(self.add_button)
        column.addWidget(self.form_message)
        column.addStretch(1)
        return box

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ctx.run(lambda vault: (load_gaps(vault), vault.clock.today()), self._show,
                     self._failed)

    def _on_changed(self, what: str) -> None:
        if what in ("gaps", "directory"):
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _show(self, data: tuple[list[GapEntry], date]) -> None:
        self.gaps, today = data
        if not self.title.text() and not self.description.toPlainText():
            self.noticed_on.setDate(QDate(today.year, today.month, today.day))
        self.model.set_rows(
            [(g.title, g.category_label, g.severity_label, g.status_label,
              fmt_date(g.noticed_on), ", ".join(g.legal_domains)) for g in self.gaps],
            [g.uuid for g in self.gaps])
        self.message.setText("" if self.gaps else "Noch keine Lücken erfasst.")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.gaps):
            gap = self.gaps[current.row()]
            text = escape(gap.description).replace("\n", "<br>")  # user text, never markup
            self.details.setText(f"<b>{escape(gap.title)}</b><br>{text}")
        else:
            self.details.clear()

    def clear(self) -> None:
        self.gaps = []
        self.model.set_rows([], [])
        self.details.clear()

    # -- adding ------------------------------------------------------------------------------

    def checked_domains(self) -> list[str]:
        return [self.domains.item(i).text() for i in range(self.domains.count())
                if self.domains.item(i).checkState() == Qt.CheckState.Checked]

    def add_gap(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.form_message.clear()
        noticed = self.noticed_on.date()
        new = NewSystemGap(
            category=str(self.category.currentData()), title=self.title.text(),
            description=self.description.toPlainText(), legal_domains=self.checked_domains(),
            severity=str(self.severity.currentData()),
            noticed_on=date(noticed.year(), noticed.month(), noticed.day()))
        self.add_button.setEnabled(False)
        self.ctx.run(lambda vault: record_gap(vault, new), self._added, self._add_failed)

    def _added(self, _uuid: str) -> None:
        self.add_button.setEnabled(True)
        self.title.clear()
        self.description.clear()
        for i in range(self.domains.count()):
            self.domains.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.form_message.setText("Die Lücke wurde erfasst.")
        self.ctx.changed.emit("gaps")

    def _add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        label = self.errors.get(exc.field or "") if isinstance(exc, ValidationFailed) else None
        if label is None:
            self.form_message.setText(german_message(exc))
        else:
            label.setText(german_message(exc))
            label.show()
