"""Anwesenheit: per participant present, absent or excused, stored as soon as it is chosen
(the minutes list it; an absent institution's copy still follows from the consent gate)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel

from app.services.conferences.records import ATTENDANCE_LABELS, ConferenceDetail
from app.services.conferences.write import set_attendance
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message


class AttendanceBox(QGroupBox):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Anwesenheit")
        self.ctx = ctx
        self.form = QFormLayout(self)
        # Name and institution above the choice: long institution names have the width.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.combos: dict[str, QComboBox] = {}  # participant uuid -> choice
        self.problem = QLabel()
        self.problem.setWordWrap(True)

    def show_detail(self, detail: ConferenceDetail, writable: bool) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        for p in detail.participants:
            combo = QComboBox()
            combo.setObjectName(f"attendance_{p.uuid}")
            combo.addItem("– noch offen –", None)
            for code, label in ATTENDANCE_LABELS.items():
                combo.addItem(label, code)
            combo.setCurrentIndex(max(combo.findData(p.attendance), 0))
            combo.setEnabled(writable)
            combo.currentIndexChanged.connect(
                lambda _i, uuid=p.uuid, c=combo: self._chosen(uuid, c.currentData()))
            name = QLabel(p.name + (f"\n{p.institution_name}" if p.institution_name else ""))
            name.setBuddy(combo)
            self.form.addRow(name, combo)
            self.combos[p.uuid] = combo
        if not detail.participants:
            self.form.addRow(QLabel("Noch keine Teilnehmenden."))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.form.addRow(self.problem)

    def _chosen(self, participant_uuid: str, code: object) -> None:
        if not isinstance(code, str):
            return

        def failed(exc: BaseException) -> None:
            self.problem.setText(german_message(exc))
            self.problem.show()

        run_guarded(self, self.ctx, lambda vault: set_attendance(vault, participant_uuid, code),
                    lambda _r: self.problem.hide(), failed)
