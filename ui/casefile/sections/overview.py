"""Section "Person & Haushalt": the client's data (editable, Strg+S) and the household."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.errors import ValidationFailed
from app.services.cases import read as casefile_read
from app.services.cases.records import PersonData
from app.services.cases.write import update_person
from ui.casefile._form import (
    EditForm,
    FieldErrors,
    date_edit,
    error_label,
    field_row,
    fmt_date,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._section import DraftState
from ui.casefile.sections._origin_fields import CountryCombo, LanguagePicker
from ui.context import AppContext, german_message

GENDERS = (("", "keine Angabe"), ("f", "weiblich"), ("m", "männlich"), ("d", "divers"))
FIELDS = (
    ("given_names", "&Vornamen:"), ("family_name", "&Familienname:"),
    ("birth_name", "&Geburtsname:"), ("place_of_birth", "Geburts&ort:"),
    ("nationality", "Staatsangehörig&keit:"), ("languages", "S&prachen:"),
    ("phone", "&Telefon:"), ("email", "&E-Mail:"), ("address_street", "St&raße:"),
    ("address_postcode", "PL&Z:"), ("address_city", "&Wohnort:"),
)
Value = str | bool | date | list[str] | None


def check(values: dict[str, Value]) -> None:
    """The plain checks the caseworker should hear before anything is sent to the core."""
    for name in ("family_name", "given_names"):
        if not str(values.get(name) or "").strip():
            raise ValidationFailed("Bitte Vor- und Familiennamen angeben.", "name missing",
                                   field=name)
    email = str(values.get("email") or "")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValidationFailed(
            "Die E-Mail-Adresse sieht unvollständig aus (z. B. name@beispiel.de).",
            "bad e-mail", field="email")
    postcode = str(values.get("address_postcode") or "")
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        raise ValidationFailed("Die Postleitzahl hat fünf Ziffern.", "bad postcode",
                               field="address_postcode")


class PersonSection(EditForm):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.base: dict[str, Value] | None = None  # as last loaded or saved
        self._pending_draft: DraftState | None = None
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.edits: dict[str, QLineEdit] = {}
        person = QGroupBox("Person")
        form = QFormLayout(person)
        self.nationality = CountryCombo()
        self.languages = LanguagePicker()
        for name, text in FIELDS:
            if name == "nationality":
                field_row(form, text, self.nationality, self.errors, name)
            elif name == "languages":
                field_row(form, text, self.languages, self.errors, name)
            else:
                edit = QLineEdit()
                self.edits[name] = edit
                field_row(form, text, edit, self.errors, name)
            if name == "place_of_birth":
                self.birth_date = date_edit(optional=True)
                field_row(form, "Geburts&datum:", self.birth_date, self.errors, "date_of_birth")
        self.gender = QComboBox()
        for code, label in GENDERS:
            self.gender.addItem(label, code)
        field_row(form, "Ges&chlecht:", self.gender, self.errors, "gender")
        self.interpreter = QCheckBox("Dolmetschung nötig")
        field_row(form, "Dolmetsch&ung:", self.interpreter)
        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Personendaten speichern (Strg+S)")
        self.save_button.clicked.connect(self.save)
        self.saved_note = QLabel()
        form.addRow(self.general_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_note, 1)
        form.addRow(buttons)

        household = QGroupBox("Haushalt")
        box = QVBoxLayout(household)
        self.household_label = QLabel("Kein Haushalt zugeordnet.")
        self.household_label.setWordWrap(True)
        self.household = QListWidget()
        self.household.setMaximumHeight(140)
        members_label = QLabel("&Weitere Mitglieder:")
        members_label.setBuddy(self.household)
        box.addWidget(self.household_label)
        box.addWidget(members_label)
        box.addWidget(self.household)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(person)
        layout.addWidget(household)
        layout.addStretch(1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setEnabled(False)  # until the data is there: nothing to type over

    # --- form values --------------------------------------------------------------------------

    def values(self) -> dict[str, Value]:
        result: dict[str, Value] = {}
        for name, edit in self.edits.items():
            result[name] = edit.text().strip() or None
        result["nationality"] = self.nationality.code()
        result["languages"] = self.languages.codes()
        result["date_of_birth"] = read_date(self.birth_date)
        result["gender"] = self.gender.currentData() or None
        result["interpreter_needed"] = self.interpreter.isChecked()
        return result

    def set_values(self, values: dict[str, object]) -> None:
        for name, edit in self.edits.items():
            value = values.get(name)
            edit.setText(str(value) if value else "")
        nationality = values.get("nationality")
        self.nationality.set_code(str(nationality) if nationality else None)
        languages = values.get("languages")
        self.languages.set_codes([str(v) for v in languages] if isinstance(languages, list) else [])
        birth = values.get("date_of_birth")
        set_date(self.birth_date, birth if isinstance(birth, date) else None)
        gender = str(values.get("gender") or "")
        if self.gender.findData(gender) < 0:
            self.gender.addItem(gender, gender)  # a value from elsewhere is kept, not dropped
        self.gender.setCurrentIndex(self.gender.findData(gender))
        self.interpreter.setChecked(bool(values.get("interpreter_needed")))

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: casefile_read.person_data(vault, case_id),
                    self._loaded, self._failed)

    def _loaded(self, data: PersonData) -> None:
        if not self.has_unsaved_changes():  # never type over what the caseworker is editing
            self.set_values(data.values)
            self.base = self.values()
        if self._pending_draft is not None:
            self._apply_draft(self._pending_draft)
            self._pending_draft = None
        self.setEnabled(True)
        self.household_label.setText(f"Haushalt: {data.household_label}" if data.household_label
                                     else "Kein Haushalt zugeordnet.")
        self.household.clear()
        for m in data.household:
            born = f", geb. {fmt_date(m.date_of_birth)}" if m.date_of_birth else ""
            role = f" ({m.role})" if m.role else ""
            self.household.addItem(f"{m.family_name}, {m.given_names}{role}{born}")
        if data.household_label and not data.household:
            self.household.addItem("Keine weiteren Mitglieder erfasst.")

    def _failed(self, exc: BaseException) -> None:
        self.general_error.setText(german_message(exc))
        self.general_error.show()

    # --- saving -------------------------------------------------------------------------------

    def precheck(self, values: dict[str, Any]) -> None:
        check(values)

    def persist(self, vault: Any, case_id: int, changes: dict[str, Any]) -> None:
        update_person(vault, case_id, **changes)

    def restore_draft(self, state: DraftState) -> None:
        if self.base is None:
            self._pending_draft = dict(state)  # applied on top of the data once it is loaded
        else:
            self._apply_draft(state)

    def _apply_draft(self, state: DraftState) -> None:
        values: dict[str, object] = dict(self.base or {})
        for key, value in state.items():
            if key == "date_of_birth" and isinstance(value, str):
                values[key] = date.fromisoformat(value)
            else:
                values[key] = value
        self.set_values(values)

