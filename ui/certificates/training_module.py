"""One module of the case-management course, added or changed in a small dialog: course,
module, teaching units and how many of them in presence, date, institute. Wrong input is
named at its field, in German, before anything is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.training.records import COURSE_LABELS, TrainingInput, TrainingModule
from app.services.training.write import add_training_module, update_training_module
from ui.casefile._form import FieldErrors, date_edit, error_label, field_row, read_date, run_guarded
from ui.context import AppContext

if TYPE_CHECKING:
    from app.vault.store import Vault

MAX_UNITS = 200  # one module; the whole course has 144
MODULE_MISSING = "Bitte geben Sie den Namen des Moduls an."
UNITS_MISSING = "Ein Modul hat mindestens eine Unterrichtseinheit."
PRESENCE_TOO_MANY = "Es können nicht mehr Einheiten in Präsenz sein, als das Modul hat."


def problem(field: str, message_de: str) -> ValidationFailed:
    return ValidationFailed(message_de, f"invalid {field}", field=field)


class ModuleDialog(QDialog):
    saved = Signal(str)  # the module's uuid

    def __init__(self, ctx: AppContext, staff_uuid: str, staff_name: str,
                 module: TrainingModule | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.staff_uuid = staff_uuid
        self.module_uuid = module.uuid if module is not None else None
        self.setObjectName("trainingModuleDialog")
        self.setWindowTitle(f"Modul {'bearbeiten' if module else 'hinzufügen'} – {staff_name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        self.course = QComboBox()
        self.course.setObjectName("moduleCourse")
        for code, label in COURSE_LABELS.items():
            self.course.addItem(label, code)
        self.module = QLineEdit()
        self.module.setObjectName("moduleName")
        self.module.setMaxLength(120)
        self.units = QSpinBox()
        self.units.setObjectName("moduleUnits")
        self.units.setRange(0, MAX_UNITS)
        self.units.setSuffix(" UE")
        self.presence = QSpinBox()
        self.presence.setObjectName("modulePresence")
        self.presence.setRange(0, MAX_UNITS)
        self.presence.setSuffix(" UE")
        self.held_on = date_edit(optional=True, past=True)
        self.held_on.setObjectName("moduleDate")
        self.institute = QLineEdit()
        self.institute.setObjectName("moduleInstitute")
        self.institute.setMaxLength(120)
        self.recognised = QCheckBox("vom DGCC &anerkanntes Weiterbildungsinstitut")
        self.recognised.setObjectName("moduleRecognised")

        self.general = error_label()
        self.errors = FieldErrors(self.general)
        form = QFormLayout()
        field_row(form, "&Kurs:", self.course, self.errors, "course")
        field_row(form, "&Modul:", self.module, self.errors, "module")
        field_row(form, "&Unterrichtseinheiten:", self.units, self.errors, "teaching_units")
        field_row(form, "davon in &Präsenz:", self.presence, self.errors, "presence_units")
        field_row(form, "&Datum:", self.held_on, self.errors, "held_on")
        field_row(form, "&Institut:", self.institute, self.errors, "institute")
        form.addRow("", self.recognised)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Speichern", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        if module is not None:
            self._fill(module)
        self.module.setFocus()

    def _fill(self, m: TrainingModule) -> None:
        self.course.setCurrentIndex(max(0, self.course.findData(m.course)))
        self.module.setText(m.module)
        self.units.setValue(m.teaching_units)
        self.presence.setValue(m.presence_units)
        self.held_on.set_value(m.held_on)
        self.institute.setText(m.institute or "")
        self.recognised.setChecked(m.institute_recognised)

    def read(self) -> TrainingInput:
        """What was typed, checked field by field (the service checks again)."""
        name = self.module.text().strip()
        if not name:
            raise problem("module", MODULE_MISSING)
        if self.units.value() < 1:
            raise problem("teaching_units", UNITS_MISSING)
        if self.presence.value() > self.units.value():
            raise problem("presence_units", PRESENCE_TOO_MANY)
        return TrainingInput(course=str(self.course.currentData()), module=name,
                             teaching_units=self.units.value(),
                             presence_units=self.presence.value(),
                             held_on=read_date(self.held_on),
                             institute=self.institute.text().strip() or None,
                             institute_recognised=self.recognised.isChecked())

    def save(self) -> None:
        self.errors.clear()
        try:
            inp = self.read()
        except ValidationFailed as exc:
            self._problem(exc)
            return
        self.save_button.setEnabled(False)
        staff, uuid = self.staff_uuid, self.module_uuid
        if uuid is None:
            run_guarded(self, self.ctx, lambda vault: add_training_module(vault, staff, inp),
                        self._saved, self._failed)
        else:
            module_uuid = uuid  # narrowed for the closure

            def update(vault: Vault) -> str:
                update_training_module(vault, module_uuid, inp)
                return module_uuid

            run_guarded(self, self.ctx, update, self._saved, self._failed)

    def _saved(self, uuid: str) -> None:
        self.saved.emit(uuid)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._problem(exc)

    def _problem(self, exc: BaseException) -> None:
        self.errors.show(exc)
        self.adjustSize()  # the message row needs its height, not squeezed into the old one
