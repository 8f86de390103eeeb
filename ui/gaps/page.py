"""Lücken im System: the register the steering committee receives, filtered by status, with
the steps a gap goes through (escalate, resolve, drop, reopen) and a form to add or correct one."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from app.changes import Changes, Kind
from app.errors import ValidationFailed
from app.services.gaps.read import legal_domains
from app.services.gaps.read import system_gaps as load_gaps
from app.services.gaps.records import CATEGORIES, SEVERITIES, GapEntry, NewSystemGap
from app.services.gaps.write import record_gap, set_gap_status, update_gap
from ui.context import AppContext, german_message
from ui.date_field import DateField
from ui.dialogs import confirm
from ui.directory.table_model import RowsModel, configure_table, fmt_date
from ui.forms import labelled_row
from ui.gaps.status_actions import ACTIONS, FILTERS, StatusAction, question_for, status_text

NO_PERSONAL_DATA = (
    "<b>Ohne personenbezogene Daten.</b> Dieses Register geht unverändert an das "
    "Steuerungsgremium. Tragen Sie keine Namen, Fallnummern, Telefonnummern, Anschriften und "
    "kein Datum mit Tag, Monat und Jahr (es könnte ein Geburtsdatum sein) ein, sondern "
    "beschreiben Sie die Lücke allgemein, z. B. „seit Oktober 2026“.")


class GapsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("gapsPage")
        self.gaps: list[GapEntry] = []
        self.errors: dict[str, QLabel] = {}
        self.editing: str | None = None  # uuid of the gap shown in the form for correction
        self._today = date.today()

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
        self.table.activated.connect(lambda _index: self.edit_selected())  # Enter, double-click
        table_label = QLabel("Re&gister:")
        table_label.setBuddy(self.table)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("gapStatusFilter")
        for label, statuses in FILTERS:
            self.status_filter.addItem(label, statuses)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filter_label = QLabel("An&zeigen:")
        filter_label.setBuddy(self.status_filter)
        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.status_filter)
        filter_row.addStretch(1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.addLayout(filter_row)
        left_column.addWidget(table_label)
        left_column.addWidget(self.table, 1)
        left_column.addLayout(self._action_buttons())
        self.notice = QLabel()  # what the last status step did; survives the reload it causes
        self.notice.setObjectName("gapNotice")
        self.notice.setWordWrap(True)
        left_column.addWidget(self.notice)
        left_column.addWidget(self.details)
        left_column.addWidget(self.message)

        outer = QHBoxLayout(self)
        outer.addWidget(left, 1)
        outer.addWidget(self._form())
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self.refresh()

    def _action_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.edit_button = QPushButton("Lücke bearbeite&n…")
        self.edit_button.setObjectName("editGap")
        self.edit_button.clicked.connect(self.edit_selected)
        row.addWidget(self.edit_button)
        self.status_buttons: dict[str, QPushButton] = {}
        for action in ACTIONS:
            button = QPushButton(action.text)
            button.setObjectName(action.name)
            button.clicked.connect(lambda _c=False, a=action: self.request_status(a))
            self.status_buttons[action.target] = button
            row.addWidget(button)
        row.addStretch(1)
        self._update_buttons()
        return row

    def _form(self) -> QGroupBox:
        box = QGroupBox("Neue Lücke erfassen")
        self.form_box = box
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
        labelled_row(form, "&Kategorie:", self.category, self.errors, "category")
        self.title = QLineEdit()
        labelled_row(form, "&Titel:", self.title, self.errors, "title")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(90)
        self.description.setMaximumHeight(160)
        labelled_row(form, "&Beschreibung:", self.description, self.errors, "description")
        self.domains = QListWidget()
        self.domains.setTabKeyNavigation(False)
        self.domains.setMaximumHeight(130)
        for domain in legal_domains():
            item = QListWidgetItem(domain)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.domains.addItem(item)
        labelled_row(form, "&Rechtskreise:", self.domains, self.errors, "legal_domains")
        self.severity = QComboBox()
        for code, label in SEVERITIES.items():
            self.severity.addItem(label, code)
        self.severity.setCurrentIndex(self.severity.findData("medium"))
        labelled_row(form, "&Schweregrad:", self.severity, self.errors, "severity")
        self.noticed_on = DateField()  # required; starts at today (the vault's clock)
        labelled_row(form, "Bemerkt &am:", self.noticed_on, self.errors, "noticed_on")
        self.add_button = QPushButton("Lücke &erfassen")
        self.add_button.clicked.connect(self.add_gap)
        self.cancel_button = QPushButton("Abbre&chen")
        self.cancel_button.setToolTip("Bearbeiten abbrechen, nichts ändern")
        self.cancel_button.clicked.connect(self.stop_editing)
        self.cancel_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        column.addLayout(buttons)
        column.addWidget(self.form_message)
        column.addStretch(1)
        return box

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        statuses = self.status_filter.currentData()
        self.ctx.run(lambda vault: (load_gaps(vault, statuses), vault.clock.today()), self._show,
                     self._failed)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.GAP, Kind.DIRECTORY):
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _show(self, data: tuple[list[GapEntry], date]) -> None:
        current = self.current_gap()
        self.gaps, today = data
        self._today = today
        if self.editing is None and not self.noticed_on.isModified() \
                and not self.title.text() and not self.description.toPlainText():
            self.noticed_on.set_value(today)  # an untouched new gap is noticed today
        self.model.set_rows(
            [(g.title, g.category_label, g.severity_label, status_text(g),
              fmt_date(g.noticed_on), ", ".join(g.legal_domains)) for g in self.gaps],
            [g.uuid for g in self.gaps])
        row = self.model.row_of(current.uuid) if current else -1
        if row >= 0:  # the gap just escalated or corrected stays selected
            self.table.setCurrentIndex(self.model.index(row, 0))
        if self.gaps:
            self.message.clear()
        elif FILTERS[self.status_filter.currentIndex()][1] is None:  # "alle"
            self.message.setText("Noch keine Lücken erfasst.")
        else:
            self.message.setText(f"Keine Lücken mit dem Status „{self.status_filter.currentText()}“"
                                 " – unter „Anzeigen“ lassen sich alle zeigen.")
        self._update_buttons()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.gaps):
            gap = self.gaps[current.row()]
            text = escape(gap.description).replace("\n", "<br>")  # user text, never markup
            self.details.setText(f"<b>{escape(gap.title)}</b><br>{text}")
        else:
            self.details.clear()
        self._update_buttons()

    def current_gap(self) -> GapEntry | None:
        row = self.table.currentIndex().row()
        return self.gaps[row] if 0 <= row < len(self.gaps) else None

    def _update_buttons(self) -> None:
        gap = self.current_gap()
        self.edit_button.setEnabled(gap is not None)
        for action in ACTIONS:
            self.status_buttons[action.target].setEnabled(
                gap is not None and action.applies_to(gap.status))

    def clear(self) -> None:
        self.gaps = []
        self.model.set_rows([], [])
        self.details.clear()
        self._update_buttons()

    # -- status ------------------------------------------------------------------------------

    def request_status(self, action: StatusAction) -> None:
        self.notice.clear()
        gap = self.current_gap()
        if gap is None or not action.applies_to(gap.status):
            return
        if action.question:
            confirm(self, action.text.replace("&", "").rstrip("…"),
                    question_for(action, gap, self._today), action.text.rstrip("…"),
                    lambda: self.set_status(gap.uuid, action))
        else:
            self.set_status(gap.uuid, action)

    def set_status(self, uuid: str, action: StatusAction) -> None:
        def done(_entry: GapEntry) -> None:
            self.form_message.clear()
            self.notice.setText(action.done)

        def failed(exc: BaseException) -> None:
            self.notice.setText(german_message(exc))

        self.ctx.run(lambda vault: set_gap_status(vault, uuid, action.target), done, failed)

    # -- correcting --------------------------------------------------------------------------

    def edit_selected(self) -> None:
        """Show the selected gap in the form; saving then corrects it."""
        gap = self.current_gap()
        if gap is None:
            return
        self._clear_errors()
        self.editing = gap.uuid
        self.category.setCurrentIndex(max(self.category.findData(gap.category), 0))
        self.title.setText(gap.title)
        self.description.setPlainText(gap.description)
        known = {self.domains.item(i).text() for i in range(self.domains.count())}
        for domain in gap.legal_domains:
            if domain not in known:  # kept, even if no institution kind names it any more
                item = QListWidgetItem(domain)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.domains.addItem(item)
        for i in range(self.domains.count()):
            item = self.domains.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in gap.legal_domains
                               else Qt.CheckState.Unchecked)
        self.severity.setCurrentIndex(max(self.severity.findData(gap.severity), 0))
        self.noticed_on.set_value(gap.noticed_on)
        self.form_box.setTitle("Lücke bearbeiten")
        self.add_button.setText("Änderungen sp&eichern")
        self.cancel_button.show()
        self.title.setFocus()

    def stop_editing(self) -> None:
        """Back to an empty form for a new gap (after "Abbrechen" and after saving): every
        field, so nothing of the gap just shown is recorded with the next one."""
        self.editing = None
        self.form_box.setTitle("Neue Lücke erfassen")
        self.add_button.setText("Lücke &erfassen")
        self.cancel_button.hide()
        self._clear_errors()
        self.category.setCurrentIndex(0)
        self.title.clear()
        self.description.clear()
        for i in range(self.domains.count()):
            self.domains.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.severity.setCurrentIndex(self.severity.findData("medium"))
        self.noticed_on.reset()

    def start_new(self, description: str) -> None:
        """A new gap prefilled with a text noticed elsewhere (a conference's minutes); the
        register's own check refuses personal data in it on saving, as for any gap."""
        self.stop_editing()
        self.description.setPlainText(description)
        self.title.setFocus()

    # -- adding ------------------------------------------------------------------------------

    def checked_domains(self) -> list[str]:
        return [self.domains.item(i).text() for i in range(self.domains.count())
                if self.domains.item(i).checkState() == Qt.CheckState.Checked]

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.noticed_on.clear_problem()
        self.form_message.clear()

    def add_gap(self) -> None:
        """Record the form as a new gap, or save the correction of the gap being edited."""
        self._clear_errors()
        try:
            noticed = self.noticed_on.value()  # a date that cannot be read is not saved
        except ValidationFailed as exc:
            self._add_failed(exc)
            return
        new = NewSystemGap(
            category=str(self.category.currentData()), title=self.title.text(),
            description=self.description.toPlainText(), legal_domains=self.checked_domains(),
            severity=str(self.severity.currentData()), noticed_on=noticed)
        self.add_button.setEnabled(False)
        uuid = self.editing
        if uuid is None:
            self.ctx.run(lambda vault: record_gap(vault, new), self._added, self._add_failed)
            return
        self.ctx.run(lambda vault: update_gap(
            vault, uuid, category=new.category, title=new.title, description=new.description,
            legal_domains=new.legal_domains, severity=new.severity, noticed_on=new.noticed_on),
            self._added, self._add_failed)

    def _added(self, result: object) -> None:
        self.add_button.setEnabled(True)
        corrected = self.editing is not None
        self.stop_editing()
        self.form_message.setText("Die Änderungen wurden gespeichert." if corrected
                                  else "Die Lücke wurde erfasst.")

    def _add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        label = self.errors.get(exc.field or "") if isinstance(exc, ValidationFailed) else None
        if label is None:
            self.form_message.setText(german_message(exc))
        else:
            label.setText(german_message(exc))
            label.show()
