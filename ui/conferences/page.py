"""The page "Fallkonferenzen": every conference with its state, filtered by state, "nur meine",
a date range and a search in title and place; Enter opens its window. The page owns the open
conference windows (one per conference), so they go with the workspace at lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.errors import ValidationFailed
from app.services.conferences.read import list_conferences
from app.services.conferences.records import (
    STATUS_LABELS,
    ConferenceFilter,
    ConferenceRow,
)
from ui.casefile._form import date_edit, read_date, run_guarded
from ui.casefile._table import Row, RowsModel, table_view
from ui.conferences.window import ConferenceWindow
from ui.context import AppContext, german_message
from ui.forms import with_clear_button

HEADERS = ["Termin", "Titel", "Ort", "Stand", "Fälle", "Teilnehmende", "blockiert"]


def row_of(conf: ConferenceRow) -> Row:
    when = conf.scheduled_at.astimezone()  # stored in UTC, read in local time
    blocked = str(conf.blocked_cases) if conf.blocked_cases else ""
    return Row((f"{when:%d.%m.%Y %H:%M}", conf.title, conf.place or "", conf.status_label,
                str(conf.case_count), str(conf.participant_count), blocked), conf.uuid,
               highlight=bool(conf.blocked_cases),
               tooltips=("", conf.title, conf.place or "", "", "", "",
                         "Fälle, die mit keiner teilnehmenden Institution besprochen werden "
                         "dürfen" if conf.blocked_cases else ""))


class ConferencesPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("conferencesPage")
        self.rows: list[ConferenceRow] = []
        self.windows: list[ConferenceWindow] = []

        self.status = QComboBox()
        self.status.setObjectName("conferenceStatusFilter")
        self.status.addItem("alle", None)
        for code, label in STATUS_LABELS.items():
            self.status.addItem(label, code)
        status_label = QLabel("&Stand:")
        status_label.setBuddy(self.status)
        self.only_mine = QCheckBox("nur &meine")
        self.only_mine.setToolTip("Von Ihnen moderiert, oder einer Ihrer Fälle steht darauf")
        self.date_from = date_edit(optional=True)
        self.date_from.setObjectName("conferencesFrom")
        from_label = QLabel("&von:")
        from_label.setBuddy(self.date_from)
        self.date_until = date_edit(optional=True)
        self.date_until.setObjectName("conferencesUntil")
        until_label = QLabel("&bis:")
        until_label.setBuddy(self.date_until)
        self.search = QLineEdit()
        self.search.setObjectName("conferenceSearch")
        self.search.setPlaceholderText("Titel oder Ort")
        with_clear_button(self.search)
        search_label = QLabel("S&uchen:")
        search_label.setBuddy(self.search)
        filters = QHBoxLayout()
        for widget in (status_label, self.status, self.only_mine, from_label, self.date_from,
                       until_label, self.date_until, search_label):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)

        self.model = RowsModel(HEADERS, self)
        self.table = table_view(self.model, "Fallkonferenzen")
        self.table.setObjectName("conferenceTable")
        header = self.table.horizontalHeader()  # the title takes the spare width
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)  # Enter and double-click
        table_label = QLabel("&Fallkonferenzen (Enter öffnet):")
        table_label.setBuddy(self.table)
        self.new_button = QPushButton("&Neue Fallkonferenz")
        self.new_button.setObjectName("newConference")
        self.new_button.clicked.connect(lambda: self.new_conference())
        self.open_button = QPushButton("Öffn&en")
        self.open_button.clicked.connect(lambda: self._activated(self.table.currentIndex()))
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.message, 1)

        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(table_label)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.setFocusProxy(self.table)

        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.only_mine.toggled.connect(lambda _b: self.refresh())
        self.search.textChanged.connect(lambda _t: self.refresh())
        for field in (self.date_from, self.date_until):
            field.editingFinished.connect(self.refresh)
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self.refresh()

    # --- the list ----------------------------------------------------------------------------

    def _filter(self) -> ConferenceFilter | None:
        try:
            since, until = read_date(self.date_from), read_date(self.date_until)
        except ValidationFailed:  # a half-typed date: the field says so, the list stays
            return None
        return ConferenceFilter(status=self.status.currentData(),
                                only_mine=self.only_mine.isChecked(), date_from=since,
                                date_until=until, text=self.search.text().strip())

    def refresh(self) -> None:
        flt = self._filter()
        if flt is None:
            return
        run_guarded(self, self.ctx, lambda vault: list_conferences(vault, flt), self._show,
                    self._failed)

    def _show(self, rows: list[ConferenceRow]) -> None:
        current = self.current_uuid()
        self.rows = rows
        self.model.set_rows([row_of(r) for r in rows])
        self.message.setText("Keine Fallkonferenz gefunden." if not rows else
                             "1 Fallkonferenz" if len(rows) == 1 else
                             f"{len(rows)} Fallkonferenzen")
        keys = [r.uuid for r in rows]
        at = keys.index(current) if current in keys else 0 if keys else -1
        if at >= 0:
            self.table.selectRow(at)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.CONFERENCE, Kind.CONSENT, Kind.CASE):
            self.refresh()

    def current_uuid(self) -> str | None:
        row = self.table.currentIndex().row()
        return self.rows[row].uuid if 0 <= row < len(self.rows) else None

    def _activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.rows):
            self.open_conference(self.rows[index.row()].uuid)

    def clear(self) -> None:
        """At lock: the list and every conference window go (the workspace noted which were
        open, to reopen them after unlocking); nothing personal stays on screen."""
        self.rows = []
        self.model.set_rows([])
        for window in self.windows:
            window.hide()
            window.deleteLater()
        self.windows = []

    # --- the windows (ConferenceHost) ----------------------------------------------------------

    def open_conference(self, uuid: str) -> None:
        """Its window, raised if it is open already: one window per conference."""
        self.windows = [w for w in self.windows if w.isVisible() or w.uuid is None]
        for window in self.windows:
            if window.uuid == uuid:
                self._raise(window)
                return
        self._add(ConferenceWindow(self.ctx, uuid, parent=self))

    def new_conference(self, case_id: int = 0) -> None:
        self._add(ConferenceWindow(self.ctx, None, case_id=case_id or None, parent=self))

    def open_conferences(self) -> list[dict[str, Any]]:
        """Each open window: its conference (None: not saved yet) and unsaved planning input;
        a new window without input is not worth bringing back."""
        states = [w.draft_state() for w in self.windows if w.isVisible()]
        return [s for s in states if s["uuid"] is not None or "plan" in s]

    def restore_conference(self, state: dict[str, Any]) -> None:
        uuid, plan, minutes = state.get("uuid"), state.get("plan"), state.get("minutes")
        if isinstance(uuid, str):
            self.open_conference(uuid)
            window = next(w for w in self.windows if w.uuid == uuid)
        elif uuid is None:
            window = ConferenceWindow(self.ctx, None, parent=self)
            self._add(window)
        else:
            return
        window.restore_draft(plan if isinstance(plan, dict) else None, minutes)

    def _add(self, window: ConferenceWindow) -> None:
        self.windows.append(window)
        window.closed.connect(lambda w=window: self._forget(w))
        self._raise(window)

    def _forget(self, window: ConferenceWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
        window.deleteLater()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _raise(window: ConferenceWindow) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

