"""Section "Person & Haushalt": the client's data (editable, Strg+S) and the household."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
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
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._section import DraftState
from ui.casefile.sections._household import HouseholdBox
from ui.casefile.sections._origin_fields import CountryCombo, LanguagePicker
from ui.context import AppContext, german_message

GENDERS = (("", "keine Angabe"), ("f", "weiblich"), ("m", "männlich"), ("d", "divers"))
# Field name and label per column; the mnemonics are unique over the whole section.
PERSON_ROWS = (
    ("given_names", "&Vornamen:"), ("family_name", "&Familienname:"),
    ("birth_name", "&Geburtsname:"), ("place_of_birth", "Geburts&ort:"),
    ("date_of_birth", "Geburts&datum:"), ("gender", "Ges&chlecht:"),
    ("nationality", "Staatsangehörig&keit:"), ("languages", "S&prachen:"),
)
CONTACT_ROWS = (
    ("phone", "&Telefon:"), ("email", "&E-Mail:"), ("address_street", "St&raße:"),
    ("address_postcode", "PL&Z:"), ("address_city", "&Wohnort:"),
    ("entered_germany_on", "Einreise a&m:"), ("accommodation", "&Unterkunft:"),
    ("abh_file_number", "Aktenzeichen Ausländer&behörde:"),
)
# Below this width of the visible area the two columns stand one below the other.
TWO_COLUMNS_FROM = 900
Value = str | bool | date | list[str] | None
DATE_FIELDS = ("date_of_birth", "entered_germany_on")
MEMBER_DRAFT = "household_member"  # the member form's input inside the section's draft


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


def facility_completer(parent: QLineEdit) -> QCompleter:
    """The reception facilities the catalogue knows, offered while typing; an address or any
    other facility is typed freely."""
    names = sorted({name for m in catalogues.municipalities() for name in m.reception_facilities})
    completer = QCompleter(names, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


class PersonSection(EditForm):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.base: dict[str, Value] | None = None  # as last loaded or saved
        self._pending_draft: DraftState | None = None
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.edits: dict[str, QLineEdit] = {}
        self.nationality = CountryCombo()
        self.languages = LanguagePicker()
        self.birth_date = date_edit(optional=True, past=True)
        self.entered_on = date_edit(optional=True, past=True)
        self.gender = QComboBox()
        for code, label in GENDERS:
            self.gender.addItem(label, code)
        self.interpreter = QCheckBox("Dolmetschung nöt&ig")
        person = QGroupBox("Person")
        form = self._form(person)
        for name, text in PERSON_ROWS:
            self._row(form, name, text)
        field_row(form, "Dolmetschung:", self.interpreter)
        contact = QGroupBox("Kontakt, Einreise und Unterkunft")
        form = self._form(contact)
        for name, text in CONTACT_ROWS:
            self._row(form, name, text)
        self.edits["accommodation"].setCompleter(facility_completer(self.edits["accommodation"]))
        self.edits["accommodation"].setPlaceholderText("Einrichtung oder Anschrift")
        self.edits["abh_file_number"].setPlaceholderText("wie auf Schreiben der ABH")

        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Personendaten speichern (Strg+S)")
        self.save_button.clicked.connect(self.save)
        self.saved_note = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_note, 1)

        self.household = HouseholdBox(ctx, case_id)
        ctx.locked.connect(self.household.clear)

        # Two columns side by side where the width allows, one below the other where it does
        # not; the whole section scrolls instead of squeezing fields (1280x720, 150 % scaling).
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addWidget(person, 1, Qt.AlignmentFlag.AlignTop)
        self.columns.addWidget(contact, 1, Qt.AlignmentFlag.AlignTop)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addLayout(self.columns)
        inner.addWidget(self.general_error)
        inner.addLayout(buttons)
        inner.addWidget(self.household)
        inner.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("personScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll_area.setWidget(content)
        self.scroll_area.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._set_tab_order()
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setEnabled(False)  # until the data is there: nothing to type over

    def _set_tab_order(self) -> None:
        """Tab follows the columns as they read, not the order the widgets were made in."""
        picker = self.languages
        e = self.edits
        chain: list[QWidget] = [
            e["given_names"], e["family_name"], e["birth_name"], e["place_of_birth"],
            self.birth_date, self.gender, self.nationality, picker.input, picker.add_button,
            picker.chosen, picker.remove_button, self.interpreter, e["phone"], e["email"],
            e["address_street"], e["address_postcode"], e["address_city"], self.entered_on,
            e["accommodation"], e["abh_file_number"], self.save_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels never clipped
        return form

    def _row(self, form: QFormLayout, name: str, text: str) -> None:
        widget: QWidget
        if name == "nationality":
            widget = self.nationality
        elif name == "languages":
            widget = self.languages
        elif name == "date_of_birth":
            widget = self.birth_date
        elif name == "entered_germany_on":
            widget = self.entered_on
        elif name == "gender":
            widget = self.gender
        else:
            widget = self.edits[name] = QLineEdit()
        field_row(form, text, widget, self.errors, name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            wide = self.scroll_area.viewport().width() >= TWO_COLUMNS_FROM
            self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                      else QBoxLayout.Direction.TopToBottom)
        return super().eventFilter(watched, event)

    # --- form values --------------------------------------------------------------------------

    def values(self) -> dict[str, Value]:
        result: dict[str, Value] = {}
        for name, edit in self.edits.items():
            result[name] = edit.text().strip() or None
        result["nationality"] = self.nationality.code()
        result["languages"] = self.languages.codes()
        result["date_of_birth"] = read_date(self.birth_date)
        result["entered_germany_on"] = read_date(self.entered_on)
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
        for name, field in (("date_of_birth", self.birth_date),
                            ("entered_germany_on", self.entered_on)):
            value = values.get(name)
            set_date(field, value if isinstance(value, date) else None)
        gender = str(values.get("gender") or "")
        if self.gender.findData(gender) < 0:
            self.gender.addItem(gender, gender)  # a value from elsewhere is kept, not dropped
        self.gender.setCurrentIndex(self.gender.findData(gender))
        self.interpreter.setChecked(bool(values.get("interpreter_needed")))

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.household.refresh()
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: casefile_read.person_data(vault, case_id),
                    self._loaded, self._failed)

    def _loaded(self, data: PersonData) -> None:
        if not self.changes():  # never type over what the caseworker is editing
            self.set_values(data.values)
            self.base = self.values()
        if self._pending_draft is not None:
            self._apply_draft(self._pending_draft)
            self._pending_draft = None
        self.setEnabled(True)

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
            if key == MEMBER_DRAFT and isinstance(value, dict):
                self.household.form.restore(value)
            elif key in DATE_FIELDS and isinstance(value, str):
                values[key] = date.fromisoformat(value)
            else:
                values[key] = value
        self.set_values(values)

    # --- the household member being typed counts as unsaved input too ------------------------

    def has_unsaved_changes(self) -> bool:
        return super().has_unsaved_changes() or self.household.form.has_input()

    def draft_state(self) -> DraftState | None:
        state = dict(super().draft_state() or {})
        if self.household.form.has_input():
            state[MEMBER_DRAFT] = self.household.form.draft()
        return state or None

