"""The conferences a case was (or will be) discussed in, as the case file shows them under its
tasks (where the conferences' decisions arrive), with "Neue Fallkonferenz mit diesem Fall"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.services.conferences.read import conferences_of_case
from app.services.conferences.records import ConferenceRow
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message

UUID_ROLE = Qt.ItemDataRole.UserRole


class CaseConferences(QGroupBox):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__("Fallkonferenzen zu diesem Fall")
        self.setObjectName("caseConferences")
        self.ctx, self.case_id = ctx, case_id
        self.list = QListWidget()
        self.list.setObjectName("caseConferenceList")
        self.list.setAccessibleName("Fallkonferenzen zu diesem Fall (Enter öffnet)")
        self.list.setMaximumHeight(self.list.fontMetrics().height() * 3 + 12)
        self.list.itemActivated.connect(self._open)
        self.open_button = QPushButton("Konferenz ö&ffnen")
        self.open_button.setObjectName("openCaseConference")
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        self.open_button.setEnabled(False)  # until its conferences are read
        self.new_button = QPushButton("Neue Fallkonferenz mit diesem Fa&ll")
        self.new_button.setObjectName("newCaseConference")
        self.new_button.clicked.connect(
            lambda: self.ctx.conference_new_requested.emit(self.case_id))
        row = QHBoxLayout(self)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        row.addLayout(buttons)

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: conferences_of_case(vault, case_id),
                    self._show, self._failed)

    def _show(self, rows: list[ConferenceRow]) -> None:
        self.list.clear()
        for conf in rows:
            when = conf.scheduled_at.astimezone()
            item = QListWidgetItem(f"{when:%d.%m.%Y %H:%M} · {conf.title} · "
                                   f"{conf.status_label}")
            item.setData(UUID_ROLE, conf.uuid)
            self.list.addItem(item)
        if not rows:
            self.list.addItem("Keine Fallkonferenz zu diesem Fall.")
        else:
            self.list.setCurrentRow(0)
        self.open_button.setEnabled(bool(rows))

    def _failed(self, exc: BaseException) -> None:
        self.list.clear()
        self.list.addItem(german_message(exc))
        self.open_button.setEnabled(False)

    def clear(self) -> None:
        self.list.clear()

    def _open(self, item: QListWidgetItem | None) -> None:
        uuid = item.data(UUID_ROLE) if item is not None else None
        if isinstance(uuid, str):
            self.ctx.conference_open_requested.emit(uuid)
