"""The "Fall" group at the top of "Klärung & Vereinbarungen": target group, municipality and
case manager of the case, correctable after creation. Choosing another case manager is a
handover: the note for the colleague becomes required (the service refuses without it)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit

from app import catalogues
from app.services.staff.read import case_managers
from app.services.staff.records import StaffMember
from ui.casefile._form import FieldErrors, error_label, run_guarded
from ui.context import AppContext

NO_TARGET_GROUP = "keine Angabe"
NOTE_HINT = "Nur beim Wechsel der Fallmanager:in: was die Kollegin / der Kollege wissen muss."


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    return combo


class CaseFields(QGroupBox):
    def __init__(self, ctx: AppContext, errors: FieldErrors) -> None:
        super().__init__("Fall")
        self.setObjectName("caseFields")
        self.ctx = ctx
        self.loaded_manager: str | None = None  # the case manager as stored (uuid)
        # One line for the three choices (the section must fit a 720-pixel laptop screen); the
        # note appears below only while another case manager is chosen.
        grid = QGridLayout(self)
        self.target_group = _combo("caseTargetGroup")
        self.target_group.addItem(NO_TARGET_GROUP, None)
        for group in catalogues.target_groups():
            self.target_group.addItem(group.label, group.code)
        self.municipality = _combo("caseMunicipality")
        for place in catalogues.municipalities():
            self.municipality.addItem(place.label, place.code)
        self.manager = _combo("caseManager")
        for column, (text, widget, field) in enumerate((
                ("Ziel&gruppe:", self.target_group, "target_group"),
                ("&Kommune:", self.municipality, "municipality"),
                ("&Fallmanager:in:", self.manager, "case_manager_uuid"))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, 2 * column)
            grid.addWidget(widget, 0, 2 * column + 1)
            grid.setColumnStretch(2 * column + 1, 1)
            message = error_label()
            grid.addWidget(message, 1, 2 * column + 1)
            errors.add(field, message, widget)
        self.note = QLineEdit()  # a sentence or two; one line keeps the section on the screen
        self.note.setObjectName("handoverNote")
        self.note.setPlaceholderText(NOTE_HINT)
        self.note_label = QLabel("Übergabe&notiz:")
        self.note_label.setBuddy(self.note)
        grid.addWidget(self.note_label, 2, 0)
        grid.addWidget(self.note, 2, 1, 1, 5)
        message = error_label()
        grid.addWidget(message, 3, 1, 1, 5)
        errors.add("handover", message, self.note)
        self.manager.currentIndexChanged.connect(self._update_note)
        self._update_note()

    def load_staff(self) -> None:
        run_guarded(self, self.ctx, lambda v: case_managers(v, include_inactive=True),
                    self.set_staff)

    def set_staff(self, staff: list[StaffMember]) -> None:
        """Active colleagues to choose from, and the current case manager even if inactive."""
        chosen = self.manager.currentData()
        self.manager.blockSignals(True)
        self.manager.clear()
        for member in staff:
            if member.active or member.uuid in (chosen, self.loaded_manager):
                self.manager.addItem(member.display_name, member.uuid)
        self.manager.setCurrentIndex(max(self.manager.findData(chosen), 0))
        self.manager.blockSignals(False)
        self._update_note()

    def handing_over(self) -> bool:
        chosen = self.manager.currentData()
        return chosen is not None and self.loaded_manager is not None \
            and chosen != self.loaded_manager

    def _update_note(self) -> None:
        handing_over = self.handing_over()
        self.note.setEnabled(handing_over)
        self.note.setVisible(handing_over)
        self.note_label.setVisible(handing_over)

    def values(self) -> dict[str, str | None]:
        note = self.note.text().strip() if self.handing_over() else ""
        return {"target_group": self.target_group.currentData(),
                "municipality": self.municipality.currentData(),  # codes, a uuid, the note
                "case_manager_uuid": self.manager.currentData() or self.loaded_manager,
                "handover": note or None}

    def set_values(self, values: dict[str, object]) -> None:
        self.target_group.setCurrentIndex(max(self.target_group.findData(
            values.get("target_group")), 0))
        index = self.municipality.findData(values.get("municipality"))
        if index >= 0:
            self.municipality.setCurrentIndex(index)
        manager = values.get("case_manager_uuid")
        if manager is not None and self.manager.findData(manager) < 0:
            self.manager.addItem("…", manager)  # named when the staff list arrives
        if manager is not None:
            self.manager.setCurrentIndex(self.manager.findData(manager))
        self.note.setText(str(values.get("handover") or ""))
        self._update_note()

    def saved(self) -> None:
        """After a save: the chosen case manager is the stored one, the note went with it."""
        self.loaded_manager = self.manager.currentData()
        self.note.clear()
        self._update_note()

