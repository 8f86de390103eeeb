"""'Neuer Fall': open a case for a new client; the core validates, messages appear at the field."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.duplicates.read import possible_duplicates
from app.services.duplicates.records import DuplicateCandidate
from ui.casefile._form import date_edit, read_date
from ui.caselist._duplicates import DuplicateWarning
from ui.code_combo import code_combo, combo_code
from ui.context import AppContext, german_message

if TYPE_CHECKING:
    from app.vault.store import Vault

def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


class NewCaseDialog(QDialog):
    """Modal form; on success it announces the new case and asks the shell to open it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created_id: int | None = None
        self.setWindowTitle("Neuer Fall")
        self.given_names = QLineEdit()
        self.family_name = QLineEdit()
        # The one date field: 12.03.1990, 12.03.90, 120390 or the calendar; may stay empty.
        self.date_of_birth = date_edit(optional=True, past=True)
        self.municipality = QComboBox()
        for m in catalogues.municipalities():
            self.municipality.addItem(m.label, m.code)
        # The vault owner's municipality: set at vault creation, not case data.
        home = self.municipality.findData(ctx.vault().info.municipality)
        self.municipality.setCurrentIndex(max(home, 0))
        self.target_group = QComboBox()
        self.target_group.addItem("– keine Angabe –", None)
        for t in catalogues.target_groups():
            self.target_group.addItem(t.label, t.code)
        self.access_route = code_combo(catalogues.access_routes())  # the one Zugangsweg list
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        for key, text, field in (
                ("given_names", "&Vorname(n):", self.given_names),
                ("family_name", "&Familienname:", self.family_name),
                ("date_of_birth", "&Geburtsdatum:", self.date_of_birth),
                ("municipality", "&Kommune:", self.municipality),
                ("target_group", "&Zielgruppe:", self.target_group),
                ("access_route", "Zugangs&weg:", self.access_route)):
            self._add_row(form, key, text, field)
        self.general_error = _error_label()
        buttons = QDialogButtonBox()
        self.create_button = QPushButton("Fall &anlegen")
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.duplicates = DuplicateWarning()
        self.duplicates.open_requested.connect(self._open_existing)
        self.duplicates.create_anyway.connect(self._create_anyway)
        for edit in (self.given_names, self.family_name, self.date_of_birth):
            edit.textEdited.connect(self.duplicates.hide)  # another person: check again
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.duplicates)
        layout.addWidget(buttons)
        # Enter anywhere in the form creates: the default is only registered once the button
        # belongs to the dialog (set before, Qt forgot it and Enter did nothing).
        self.create_button.setDefault(True)
        self.given_names.setFocus()

    def _add_row(self, form: QFormLayout, key: str, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        error = _error_label()
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field)
        box.addWidget(error)
        form.addRow(label, column)
        self.errors[key] = error
        self.fields[key] = field
        if key == "date_of_birth":  # its own "no date" message shows in the same row
            self.date_of_birth.attach_message(error, key)

    # --- submitting ----------------------------------------------------------------------

    def _parsed_birth_date(self) -> date | None:
        """The birth date typed; DateInputError (shown at the field) when it is no date."""
        value = read_date(self.date_of_birth)
        if value is not None and value > self._ctx.vault().clock.today():
            raise ValidationFailed("Das Geburtsdatum liegt in der Zukunft.",
                                   "birth date in the future", field="date_of_birth")
        return value

    def new_case(self) -> NewCase:
        return NewCase(given_names=self.given_names.text(),
                       family_name=self.family_name.text(),
                       municipality=str(self.municipality.currentData()),
                       target_group=self.target_group.currentData(),
                       date_of_birth=self._parsed_birth_date(),
                       access_route=combo_code(self.access_route))

    def submit(self) -> None:
        self.clear_errors()
        try:
            new = self.new_case()
        except ValidationFailed as exc:
            self.show_error(exc)
            return
        self.create_button.setEnabled(False)
        # Checked every time: only "Trotzdem neuen Fall anlegen" creates a likely duplicate.
        def check(vault: Vault) -> list[DuplicateCandidate]:
            return possible_duplicates(vault, new.given_names, new.family_name,
                                       new.date_of_birth)

        self._ctx.run(check, lambda found: self._checked(new, found), self._failed)

    def _checked(self, new: NewCase, found: list[DuplicateCandidate]) -> None:
        """Warn before creating a likely duplicate; otherwise create at once."""
        if not found:
            self._create(new, [])
            return
        self.create_button.setEnabled(True)
        self.duplicates.show_candidates(found)
        self.adjustSize()

    def _create(self, new: NewCase, duplicate_of: list[str]) -> None:
        self.create_button.setEnabled(False)
        self._ctx.run(lambda vault: create_case(vault, new, duplicate_of=duplicate_of),
                      self._created, self._failed)

    def _create_anyway(self) -> None:
        self.clear_errors()
        try:
            new = self.new_case()
        except ValidationFailed as exc:
            self.show_error(exc)
            return
        self._create(new, self.duplicates.uuids())

    def _open_existing(self, case_id: int) -> None:
        """The client has a case: open it instead, nothing is created."""
        self._ctx.case_open_requested.emit(case_id, "")
        self.reject()

    def _created(self, case_id: int) -> None:
        self.created_id = case_id
        self._ctx.case_open_requested.emit(case_id, "")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.show_error(exc)

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()
        for field in self.fields.values():
            field.setAccessibleDescription("")
        self.date_of_birth.clear_problem()

    def show_error(self, exc: BaseException) -> None:
        """Next to the field it belongs to (and focus there), else below the form."""
        field = exc.field if isinstance(exc, ValidationFailed) else None
        label = self.errors.get(field or "", self.general_error)
        label.setText(german_message(exc))
        label.show()
        if label is not self.general_error:
            target = self.fields[str(field)]
            target.setAccessibleDescription(label.text())  # screen readers hear it on focus
            target.setFocus(Qt.FocusReason.OtherFocusReason)
