"""Durchführung & Protokoll: the lifecycle (held → minutes drafted → approved, then only
amendments), attendance per participant, and per case the minutes and the decisions.

This tab moves the conference through its lifecycle, stores the minutes and says how it went;
the form of one case's minutes is ``CaseMinutesBox`` (``case_minutes``)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.conferences.records import (
    APPROVED,
    DRAFTED,
    HELD,
    PLANNED,
    CaseMinutes,
    ConferenceDetail,
    ConsentGate,
)
from app.services.conferences.write import (
    add_amendment,
    approve_minutes,
    mark_held,
    mark_minutes_drafted,
    record_case_minutes,
)
from app.vault.store import Vault
from ui.casefile._form import ERROR_STYLE, fmt_date, fmt_datetime, read_date, run_guarded
from ui.conferences.attendance import AttendanceBox
from ui.conferences.case_minutes import CaseMinutesBox
from ui.conferences.decisions import DecisionsBox
from ui.conferences.lifecycle import AmendmentDialog, ApproveDialog, HeldDialog
from ui.context import AppContext, german_message


class MinutesTab(QWidget):
    changed = Signal()  # something was stored: the window reloads
    gap_requested = Signal(str)  # system-gap text to offer to the gap register

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.detail: ConferenceDetail | None = None
        self.gate: ConsentGate | None = None
        self.dialog: QWidget | None = None

        self.stage = QLabel()
        self.stage.setObjectName("minutesStage")
        self.stage.setWordWrap(True)
        self.held_button = QPushButton("Als durchgeführt &markieren…")
        self.held_button.setObjectName("markHeld")
        self.draft_button = QPushButton("Protokoll als &Entwurf abschließen")
        self.draft_button.setObjectName("markDrafted")
        self.approve_button = QPushButton("Protokoll &freigeben…")
        self.approve_button.setObjectName("approveMinutes")
        self.amend_button = QPushButton("Nachtrag &hinzufügen…")
        self.amend_button.setObjectName("addAmendment")
        self.message = QLabel()
        self.message.setObjectName("minutesMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        lifecycle = QHBoxLayout()
        for b in (self.held_button, self.draft_button, self.approve_button, self.amend_button):
            lifecycle.addWidget(b)
        lifecycle.addStretch(1)

        self.attendance_box = AttendanceBox(ctx)
        self.case_form = CaseMinutesBox()

        self.decisions = DecisionsBox(ctx)
        self.amendments = QListWidget()
        self.amendments.setObjectName("amendments")
        self.amendments.setAccessibleName("Nachträge")
        self.amendments.setWordWrap(True)
        amend_box = QGroupBox("Nachträge")
        QVBoxLayout(amend_box).addWidget(self.amendments)

        body = QWidget()
        grid = QHBoxLayout(body)
        left = QVBoxLayout()
        left.addWidget(self.attendance_box)
        left.addWidget(amend_box, 1)
        right = QVBoxLayout()
        right.addWidget(self.case_form)
        right.addWidget(self.decisions)
        grid.addLayout(left, 2)
        grid.addLayout(right, 5)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        column = QVBoxLayout(self)
        column.addWidget(self.stage)
        column.addLayout(lifecycle)
        column.addWidget(self.message)
        column.addWidget(scroll, 1)

        self.held_button.clicked.connect(self._ask_held)
        self.draft_button.clicked.connect(self._drafted)
        self.approve_button.clicked.connect(self._ask_approve)
        self.amend_button.clicked.connect(self._ask_amendment)
        self.case_form.case_shown.connect(self.decisions.show_agenda)
        self.case_form.save_button.clicked.connect(self.save)
        self.case_form.gap_requested.connect(self.gap_requested)
        self.decisions.changed.connect(self.changed)

    # --- showing ------------------------------------------------------------------------------

    @property
    def attendance(self) -> dict[str, QComboBox]:
        return self.attendance_box.combos

    def writable(self) -> bool:
        d = self.detail
        return d is not None and d.status in (HELD, DRAFTED) and not d.locked

    def show_detail(self, detail: ConferenceDetail, gate: ConsentGate | None) -> None:
        self.detail, self.gate = detail, gate
        held = f", durchgeführt am {fmt_datetime(detail.held_at)} Uhr" if detail.held_at else ""
        approved = (f", freigegeben am {fmt_date(detail.approved_on)} von "
                    f"{detail.approved_by_text}" if detail.locked else "")
        self.stage.setText(f"<b>Stand: {detail.status_label}</b>{held}{approved}"
                           + ("<br>Das Protokoll ist freigegeben und unveränderlich; "
                              "Korrekturen nur als Nachtrag." if detail.locked else ""))
        self.held_button.setEnabled(detail.status == PLANNED)
        self.draft_button.setEnabled(detail.status == HELD)
        self.approve_button.setEnabled(detail.status == DRAFTED)
        self.amend_button.setEnabled(detail.status == APPROVED)
        self.attendance_box.show_detail(detail, self.writable())
        self.case_form.show_detail(detail, gate, self.writable())
        self.amendments.clear()
        for amendment in detail.amendments:
            who = f", {amendment.author}" if amendment.author else ""
            self.amendments.addItem(
                f"Nachtrag {amendment.number} vom {fmt_datetime(amendment.made_at)}{who}\n"
                f"Begründung: {amendment.reason}\n{amendment.text}")
        if not detail.amendments:
            self.amendments.addItem("Keine Nachträge.")

    def unsaved_minutes(self) -> dict[str, CaseMinutes]:
        """The minutes typed and not saved, per agenda uuid (for the drafts across a lock)."""
        return self.case_form.unsaved_minutes()

    def restore_minutes(self, edits: dict[str, CaseMinutes]) -> None:
        """Minutes typed before a lock, over what was loaded (only while they may change)."""
        self.case_form.restore_minutes(edits)

    def has_unsaved_changes(self) -> bool:
        if not self.writable():
            return False
        return bool(self.case_form.unsaved_minutes()) or self.decisions.has_unsaved_changes()

    # --- storing ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.detail is None or not self.writable():
            return
        try:
            read_date(self.case_form.next_review)
        except ValidationFailed as exc:
            self.message.setText(german_message(exc))
            return
        todo = self.case_form.unsaved_minutes()

        def store(vault: Vault) -> None:
            for agenda_uuid, minutes in todo.items():
                record_case_minutes(vault, agenda_uuid, minutes)

        self.message.clear()
        self.case_form.save_button.setEnabled(False)
        run_guarded(self, self.ctx, store, lambda _r: self._stored("Protokoll gespeichert."),
                    self._failed)

    def _stored(self, note: str) -> None:
        self.case_form.edits = {}
        self.message.setStyleSheet("")
        self.message.setText(note)
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.case_form.save_button.setEnabled(self.writable())
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _ask_held(self) -> None:
        detail = self.detail
        if detail is None:
            return
        warnings = self.gate.warnings() if self.gate is not None else ()
        dialog = HeldDialog(warnings, detail.scheduled_at, self)
        self.dialog = dialog
        uuid = detail.uuid

        def held(when: datetime) -> None:
            at = when.astimezone()  # typed in local time
            run_guarded(self, self.ctx, lambda vault: mark_held(
                vault, uuid, at, warnings_acknowledged=True),
                lambda _r: self._stored("Als durchgeführt markiert; die Weitergaben sind "
                                        "protokolliert."), self._failed)

        dialog.chosen.connect(held)
        dialog.open()

    def _drafted(self) -> None:
        detail = self.detail
        if detail is None or self.has_unsaved_changes():
            if detail is not None:
                self._failed(ValidationFailed("Bitte zuerst das Protokoll speichern.",
                                              "unsaved minutes"))
            return
        uuid = detail.uuid
        run_guarded(self, self.ctx, lambda vault: mark_minutes_drafted(vault, uuid),
                    lambda _r: self._stored("Protokoll als Entwurf abgeschlossen."),
                    self._failed)

    def _ask_approve(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = ApproveDialog(detail.chair or "", self)
        self.dialog = dialog
        uuid = detail.uuid
        dialog.chosen.connect(lambda name: run_guarded(
            self, self.ctx, lambda vault: approve_minutes(vault, uuid, name),
            lambda _r: self._stored("Protokoll freigegeben."), self._failed))
        dialog.open()

    def _ask_amendment(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = AmendmentDialog(self)
        self.dialog = dialog
        uuid = detail.uuid
        dialog.chosen.connect(lambda reason, text: run_guarded(
            self, self.ctx, lambda vault: add_amendment(vault, uuid, reason, text),
            lambda number: self._stored(f"Nachtrag {number} gespeichert."), self._failed))
        dialog.open()

