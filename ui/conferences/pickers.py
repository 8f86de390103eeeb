"""The small dialogs of the planning part: a participant from the directory (institution and
contact person), an interpreter with the language, the client of a case on the agenda, and a
case found by number or name. Each opens window-modal without a nested event loop (``open``)
and hands its choice to ``chosen``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.services.cases.read import search_rows
from app.services.cases.records import CaseRow
from app.services.conferences.records import ParticipantInput
from app.services.directory.read import contacts_of, institutions
from app.services.directory.records import ContactEntry, InstitutionEntry
from ui.casefile._form import ERROR_STYLE, run_guarded
from ui.context import AppContext


@dataclass(frozen=True)
class Picked:
    """A participant as the plan holds it, with the institution's name for the table."""

    participant: ParticipantInput
    institution_name: str | None


def buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def problem_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


class DirectoryPicker(QDialog):
    """Institution, then one of its contact persons (or a name as written), and the role."""

    chosen = Signal(object)  # Picked

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Teilnehmende aus dem Verzeichnis")
        self.institutions: list[InstitutionEntry] = []
        self.contacts: list[ContactEntry] = []
        form = QFormLayout()
        self.institution = QComboBox()
        self.institution.setObjectName("pickInstitution")
        form.addRow("&Institution:", self.institution)
        self.contact = QComboBox()
        self.contact.setObjectName("pickContact")
        form.addRow("&Ansprechperson:", self.contact)
        self.name = QLineEdit()
        self.name.setObjectName("pickName")
        self.name.setPlaceholderText("wenn niemand aus dem Verzeichnis: Name wie geschrieben")
        form.addRow("&Name:", self.name)
        self.role = QLineEdit()
        self.role.setObjectName("pickRole")
        form.addRow("&Rolle:", self.role)
        self.problem = problem_label()
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons(self, "&Hinzufügen"))
        self.institution.currentIndexChanged.connect(self._institution_changed)
        self.contact.currentIndexChanged.connect(self._contact_changed)
        self.resize(560, 260)
        run_guarded(self, ctx, institutions, self._institutions_loaded)

    def _institutions_loaded(self, items: list[InstitutionEntry]) -> None:
        self.institutions = items
        self.institution.blockSignals(True)
        self.institution.addItem("– bitte wählen –", None)
        for i in items:
            self.institution.addItem(f"{i.name} ({i.kind_label})", i.uuid)
        self.institution.blockSignals(False)
        self.institution.setFocus()

    def _institution_changed(self, _index: int) -> None:
        uuid = self.institution.currentData()
        self.contact.clear()
        self.contacts = []
        if uuid:
            run_guarded(self, self.ctx, lambda vault: contacts_of(vault, uuid),
                        self._contacts_loaded)

    def _contacts_loaded(self, items: list[ContactEntry]) -> None:
        self.contacts = items
        self.contact.blockSignals(True)
        self.contact.clear()
        self.contact.addItem("– niemand aus dem Verzeichnis –", None)
        for c in items:
            self.contact.addItem(f"{c.name}, {c.role}" if c.role else c.name, c.uuid)
        self.contact.setCurrentIndex(1 if items else 0)
        self.contact.blockSignals(False)
        self._contact_changed(self.contact.currentIndex())

    def _contact_changed(self, _index: int) -> None:
        contact = next((c for c in self.contacts if c.uuid == self.contact.currentData()), None)
        self.name.setEnabled(contact is None)
        if contact is not None:
            self.name.setText(contact.name)
            self.role.setText(contact.role or "")

    def accept(self) -> None:
        institution = next((i for i in self.institutions
                            if i.uuid == self.institution.currentData()), None)
        name = self.name.text().strip()
        if institution is None or not name:
            self.problem.setText("Bitte eine Institution und eine Ansprechperson oder einen "
                                 "Namen angeben.")
            return
        contact_uuid = self.contact.currentData()
        self.chosen.emit(Picked(ParticipantInput(
            name=name, institution_uuid=institution.uuid, contact_uuid=contact_uuid or None,
            role=self.role.text().strip() or None), institution.name))
        super().accept()


class InterpreterPicker(QDialog):
    chosen = Signal(object)  # Picked

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dolmetscher:in hinzufügen")
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("interpreterName")
        form.addRow("&Name:", self.name)
        self.language = QComboBox()
        self.language.setObjectName("interpreterLanguage")
        self.language.addItem("– bitte wählen –", None)
        for lang in catalogues.languages():
            self.language.addItem(lang.label, lang.code)
        form.addRow("&Sprache:", self.language)
        self.problem = problem_label()
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons(self, "&Hinzufügen"))
        self.name.setFocus()

    def accept(self) -> None:
        name, language = self.name.text().strip(), self.language.currentData()
        if not name or not language:
            self.problem.setText("Bitte Name und Sprache angeben.")
            return
        self.chosen.emit(Picked(ParticipantInput(
            name=name, is_interpreter=True, language=language, role="Dolmetscher:in"), None))
        super().accept()


class ClientPicker(QDialog):
    """Which client takes part: the cases on the agenda, by number and name."""

    chosen = Signal(object)  # Picked

    def __init__(self, clients: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Klient:in hinzufügen")
        self.clients = clients  # (case label, client name)
        self.choice = QComboBox()
        self.choice.setObjectName("clientChoice")
        for label, _name in clients:
            self.choice.addItem(label)
        form = QFormLayout()
        form.addRow("&Fall:", self.choice)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(buttons(self, "&Hinzufügen"))

    def accept(self) -> None:
        index = self.choice.currentIndex()
        if 0 <= index < len(self.clients):
            self.chosen.emit(Picked(ParticipantInput(
                name=self.clients[index][1], is_client=True, role="Klient:in"), None))
        super().accept()


class CaseSearch(QDialog):
    """Type a case number or a name; Enter (or ↓ to the list, then Enter) takes the case."""

    chosen = Signal(object)  # CaseRow

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Fall auf die Tagesordnung")
        self.rows: list[CaseRow] = []
        self.query = QLineEdit()
        self.query.setObjectName("caseQuery")
        self.query.setPlaceholderText("Aktenzeichen oder Name")
        label = QLabel("&Suchen:")
        label.setBuddy(self.query)
        self.results = QListWidget()
        self.results.setObjectName("caseResults")
        self.results.setAccessibleName("Gefundene Fälle")
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.problem = problem_label()
        column = QVBoxLayout(self)
        column.addWidget(label)
        column.addWidget(self.query)
        column.addWidget(self.results, 1)
        column.addWidget(self.problem)
        column.addWidget(buttons(self, "&Übernehmen"))
        self.query.textChanged.connect(self._search)
        self.resize(520, 360)
        self.query.setFocus()

    def _search(self, text: str) -> None:
        query = text.strip()
        if not query:
            self._found([])
            return
        run_guarded(self, self.ctx, lambda vault: search_rows(vault, query, 20), self._found,
                    lambda exc: self.problem.setText(str(getattr(exc, "message_de", ""))))

    def _found(self, rows: list[CaseRow]) -> None:
        self.rows = rows
        self.results.clear()
        self.problem.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.case_number} · {row.family_name}, {row.given_names}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def accept(self) -> None:
        row = self.results.currentRow()
        if not 0 <= row < len(self.rows):
            self.problem.setText("Bitte einen Fall suchen und wählen.")
            return
        self.chosen.emit(self.rows[row])
        super().accept()
