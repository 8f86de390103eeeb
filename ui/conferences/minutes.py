"""Durchführung & Protokoll: the lifecycle (held → minutes drafted → approved, then only
amendments), attendance per participant, and per case the minutes and the decisions.

The state of affairs is asked per institution the consent gate covers for that case: what an
institution may not hear about, it cannot report on either."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
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
    AgendaDetail,
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
from ui.casefile._form import (
    ERROR_STYLE,
    date_edit,
    fmt_date,
    fmt_datetime,
    left_aligned,
    read_date,
    run_guarded,
    set_date,
)
from ui.conferences.attendance import AttendanceBox
from ui.conferences.decisions import DecisionsBox
from ui.conferences.lifecycle import AmendmentDialog, ApproveDialog, HeldDialog
from ui.context import AppContext, german_message


def _text(edit: QPlainTextEdit) -> str | None:
    return edit.toPlainText().strip() or None


def _area(name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)  # Tab leaves the field, as in every other form
    edit.setFixedHeight(56)
    return edit


class MinutesTab(QWidget):
    changed = Signal()  # something was stored: the window reloads
    gap_requested = Signal(str)  # system-gap text to offer to the gap register

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.detail: ConferenceDetail | None = None
        self.gate: ConsentGate | None = None
        self.edits: dict[str, CaseMinutes] = {}  # agenda uuid -> typed, not yet saved
        self.shown: str | None = None  # agenda uuid in the form
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

        self.case = QComboBox()
        self.case.setObjectName("minutesCase")
        case_label = QLabel("F&all:")
        case_label.setBuddy(self.case)
        case_box = QGroupBox("Protokoll je Fall")
        case_form = QFormLayout(case_box)
        case_form.addRow(case_label, self.case)
        self.legal_basis = QLineEdit()
        self.legal_basis.setObjectName("minutesLegalBasis")
        self.legal_basis.setPlaceholderText("z. B. Einwilligungen vom … / § 69 SGB X")
        case_form.addRow("Rechtsgrundlage der We&itergabe:", self.legal_basis)
        self.affairs_box = QGroupBox("Sachstand je Institution (kurz)")
        self.affairs_form = QFormLayout(self.affairs_box)
        # Institution names are long: each name goes above its field, the field keeps the
        # width a sentence needs.
        self.affairs_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.affairs: dict[str, QLineEdit] = {}
        case_form.addRow(self.affairs_box)
        self.resources = _area("minutesResources")
        case_form.addRow("Ressourcen && &Ziele:", self.resources)
        self.disagreements = _area("minutesDisagreements")
        case_form.addRow("&Dissens:", self.disagreements)
        self.gaps = _area("minutesGaps")
        self.gap_button = QPushButton("In das &Lückenregister übernehmen…")
        self.gap_button.setObjectName("offerGap")
        case_form.addRow("Lücken im S&ystem:", self.gaps)
        case_form.addRow("", left_aligned(self.gap_button))
        self.next_review = date_edit(optional=True)
        self.next_review.setObjectName("minutesNextReview")
        case_form.addRow("&Nächste Überprüfung:", self.next_review)
        self.save_button = QPushButton("Protokoll &speichern")
        self.save_button.setObjectName("saveMinutes")
        case_form.addRow("", left_aligned(self.save_button))
        # addRow with a text makes the label the field's buddy (its Alt key, its name).

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
        right.addWidget(case_box)
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
        self.case.currentIndexChanged.connect(lambda _i: self._show_case())
        self.save_button.clicked.connect(self.save)
        self.gap_button.clicked.connect(lambda: self.gap_requested.emit(self.gaps.toPlainText()))
        self.decisions.changed.connect(self.changed)

    # --- showing ------------------------------------------------------------------------------

    @property
    def attendance(self) -> dict[str, QComboBox]:
        return self.attendance_box.combos

    def writable(self) -> bool:
        d = self.detail
        return d is not None and d.status in (HELD, DRAFTED) and not d.locked

    def show_detail(self, detail: ConferenceDetail, gate: ConsentGate | None) -> None:
        if self.shown is not None and self.writable():  # typed, not saved: kept over a reload
            self.edits[self.shown] = self.typed()
        self.detail, self.gate = detail, gate
        self.edits = {k: v for k, v in self.edits.items()
                      if any(a.uuid == k for a in detail.agenda)} if self.writable() else {}
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
        current = self.shown
        self.case.blockSignals(True)
        self.case.clear()
        for a in detail.agenda:
            self.case.addItem(f"{a.case_number} · {a.client}", a.uuid)
        self.case.setCurrentIndex(max(self.case.findData(current), 0))
        self.case.blockSignals(False)
        self.shown = None
        self._show_case()
        self.amendments.clear()
        for amendment in detail.amendments:
            who = f", {amendment.author}" if amendment.author else ""
            self.amendments.addItem(
                f"Nachtrag {amendment.number} vom {fmt_datetime(amendment.made_at)}{who}\n"
                f"Begründung: {amendment.reason}\n{amendment.text}")
        if not detail.amendments:
            self.amendments.addItem("Keine Nachträge.")

    def current_agenda(self) -> AgendaDetail | None:
        uuid = self.case.currentData()
        return next((a for a in self.detail.agenda if a.uuid == uuid), None) \
            if self.detail else None

    def _show_case(self) -> None:
        if self.shown is not None and self.writable():
            self.edits[self.shown] = self.typed()
        agenda = self.current_agenda()
        self.shown = agenda.uuid if agenda else None
        minutes = (self.edits.get(agenda.uuid, agenda.minutes) if agenda else CaseMinutes())
        while self.affairs_form.rowCount():
            self.affairs_form.removeRow(0)
        self.affairs = {}
        for uuid, name in self._covered(agenda):
            edit = QLineEdit(minutes.state_of_affairs.get(uuid, ""))
            edit.setCursorPosition(0)  # show how the sentence begins, not how it ends
            edit.setObjectName(f"affairs_{uuid}")
            label = QLabel(f"{name}:")
            label.setBuddy(edit)
            self.affairs_form.addRow(label, edit)
            self.affairs[uuid] = edit
        if agenda is not None and not self.affairs:
            self.affairs_form.addRow(QLabel("Keine teilnehmende Institution ist für diesen "
                                            "Fall abgedeckt."))
        self.legal_basis.setText(minutes.legal_basis_note or "")
        self.legal_basis.setCursorPosition(0)
        self.resources.setPlainText(minutes.resources_goals or "")
        self.disagreements.setPlainText(minutes.disagreements or "")
        self.gaps.setPlainText(minutes.system_gap_notes or "")
        set_date(self.next_review, minutes.next_review_on)
        writable = self.writable() and agenda is not None
        for edit in (self.legal_basis, *self.affairs.values()):
            edit.setReadOnly(not writable)
        for area in (self.resources, self.disagreements, self.gaps):
            area.setReadOnly(not writable)
        self.next_review.setReadOnly(not writable)
        self.save_button.setEnabled(writable)
        self.gap_button.setEnabled(agenda is not None)
        self.decisions.show_agenda(agenda, writable)

    def _covered(self, agenda: AgendaDetail | None) -> list[tuple[str, str]]:
        if agenda is None or self.detail is None:
            return []
        names: dict[str, str] = {}
        for p in self.detail.participants:
            if p.institution_uuid and p.institution_name:
                names.setdefault(p.institution_uuid, p.institution_name)
        gate = self.gate
        return [(uuid, name) for uuid, name in names.items()
                if gate is not None and agenda.case_id in gate.covered_cases(uuid)]

    def typed(self) -> CaseMinutes:
        try:
            review = read_date(self.next_review)
        except ValidationFailed:
            review = None
        return CaseMinutes(
            legal_basis_note=self.legal_basis.text().strip() or None,
            state_of_affairs={u: e.text().strip() for u, e in self.affairs.items()
                              if e.text().strip()},
            resources_goals=_text(self.resources), disagreements=_text(self.disagreements),
            system_gap_notes=_text(self.gaps), next_review_on=review)

    def unsaved_minutes(self) -> dict[str, CaseMinutes]:
        """The minutes typed and not saved, per agenda uuid (for the drafts across a lock)."""
        if not self.writable() or self.detail is None:
            return {}
        if self.shown is not None:
            self.edits[self.shown] = self.typed()
        stored = {a.uuid: a.minutes for a in self.detail.agenda}
        return {k: m for k, m in self.edits.items() if m != stored.get(k)}

    def restore_minutes(self, edits: dict[str, CaseMinutes]) -> None:
        """Minutes typed before a lock, over what was loaded (only while they may change)."""
        if not self.writable() or self.detail is None:
            return
        known = {a.uuid for a in self.detail.agenda}
        self.edits.update({k: m for k, m in edits.items() if k in known})
        self.shown = None  # show the current case from the restored edits, not over them
        self._show_case()

    def has_unsaved_changes(self) -> bool:
        if not self.writable() or self.detail is None:
            return False
        if self.shown is not None:
            self.edits[self.shown] = self.typed()
        stored = {a.uuid: a.minutes for a in self.detail.agenda}
        return any(m != stored.get(k) for k, m in self.edits.items()) \
            or self.decisions.has_unsaved_changes()

    # --- storing ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.detail is None or not self.writable():
            return
        try:
            read_date(self.next_review)
        except ValidationFailed as exc:
            self.message.setText(german_message(exc))
            return
        if self.shown is not None:
            self.edits[self.shown] = self.typed()
        stored = {a.uuid: a.minutes for a in self.detail.agenda}
        todo = {k: m for k, m in self.edits.items() if m != stored.get(k)}

        def store(vault: Vault) -> None:
            for agenda_uuid, minutes in todo.items():
                record_case_minutes(vault, agenda_uuid, minutes)

        self.message.clear()
        self.save_button.setEnabled(False)
        run_guarded(self, self.ctx, store, lambda _r: self._stored("Protokoll gespeichert."),
                    self._failed)

    def _stored(self, note: str) -> None:
        self.edits = {}
        self.message.setStyleSheet("")
        self.message.setText(note)
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.writable())
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

