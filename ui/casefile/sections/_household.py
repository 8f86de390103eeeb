"""The household part of "Person & Haushalt": who lives with the client (relation, birth date,
age, own case), and the form to add, correct or remove a member."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app import catalogues
from app.services.household import read as household_read
from app.services.household import write as household_write
from app.services.household.records import HouseholdView, Member, NewMember
from ui.casefile._form import (
    FieldErrors,
    date_edit,
    error_label,
    field_row,
    fmt_date,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._row_actions import RowActions
from ui.context import AppContext, german_message
from ui.dialogs import confirm

HEADERS = ("Name", "Beziehung", "Geboren am", "Alter", "Eigener Fall")
NO_HOUSEHOLD = "Noch kein Haushalt erfasst. Das erste Mitglied legt ihn an."
CHOOSE = "– bitte wählen –"


def age_text(age: int | None) -> str:
    if age is None:
        return ""
    return "1 Jahr" if age == 1 else f"{age} Jahre"


class MemberForm(QGroupBox):
    """Add a member, or correct the one chosen in the table (then "Abbrechen" leaves that)."""

    submitted = Signal()

    def __init__(self) -> None:
        super().__init__("Neues Haushaltsmitglied")
        self.editing: str | None = None  # the uuid of the member being corrected
        self.given_names = QLineEdit()
        self.given_names.setObjectName("memberGivenNames")
        self.family_name = QLineEdit()
        self.family_name.setObjectName("memberFamilyName")
        self.relation = QComboBox()
        self.relation.setObjectName("memberRelation")
        self.relation.addItem(CHOOSE, "")
        for relation in catalogues.household_relations():
            self.relation.addItem(relation.label, relation.code)
        self.birth_date = date_edit(optional=True, past=True)
        self.birth_date.setObjectName("memberBirthDate")
        general = error_label()
        self.errors = FieldErrors(general)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        field_row(form, "Vorname(n):", self.given_names, self.errors, "given_names")
        field_row(form, "Familienname:", self.family_name, self.errors, "family_name")
        field_row(form, "Beziehung zur Person:", self.relation, self.errors, "relation")
        field_row(form, "Geboren am:", self.birth_date, self.errors, "date_of_birth")
        form.addRow(general)
        self.submit_button = QPushButton("Mitglied hinzufügen")
        self.submit_button.setObjectName("memberSubmit")
        self.submit_button.clicked.connect(self.submitted)
        self.cancel_button = QPushButton("Abbrechen")
        self.cancel_button.setObjectName("memberCancel")
        self.cancel_button.setToolTip("Die Änderung verwerfen (Esc); das Formular nimmt wieder "
                                      "ein neues Mitglied auf.")
        self.cancel_button.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        for edit in (self.given_names, self.family_name):
            edit.returnPressed.connect(self.submitted)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_edit)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reset()

    def values(self) -> dict[str, Any]:
        return {"given_names": self.given_names.text().strip(),
                "family_name": self.family_name.text().strip(),
                "relation": str(self.relation.currentData() or ""),
                "date_of_birth": read_date(self.birth_date)}

    def has_input(self) -> bool:
        """Typed but not yet added or saved (closing the case would lose it)."""
        if self.editing is not None:
            return True
        values = self.values()
        return bool(values["given_names"] or values["family_name"] or values["relation"]
                    or values["date_of_birth"])

    def edit(self, member: Member) -> None:
        self.editing = member.uuid
        self.setTitle(f"Haushaltsmitglied bearbeiten: {member.given_names} {member.family_name}")
        self.given_names.setText(member.given_names)
        self.family_name.setText(member.family_name)
        index = self.relation.findData(member.relation or "")
        if index < 0:  # an older free-text role is kept visible until it is corrected
            self.relation.addItem(member.relation or "", member.relation or "")
            index = self.relation.count() - 1
        self.relation.setCurrentIndex(index)
        set_date(self.birth_date, member.date_of_birth)
        self.submit_button.setText("Änderung speichern")
        self.cancel_button.show()
        self.errors.clear()
        self.given_names.setFocus()

    def cancel_edit(self) -> None:
        """Esc leaves a correction; a new member being typed is not thrown away by a key."""
        if self.editing is not None:
            self.reset()

    def reset(self) -> None:
        self.editing = None
        self.setTitle("Neues Haushaltsmitglied")
        for edit in (self.given_names, self.family_name):
            edit.clear()
        self.relation.setCurrentIndex(0)
        set_date(self.birth_date, None)
        self.submit_button.setText("Mitglied hinzufügen")
        self.cancel_button.hide()
        self.errors.clear()

    def draft(self) -> dict[str, object]:
        values = self.values()
        born = values["date_of_birth"]
        return {**values, "date_of_birth": born.isoformat() if born else None,
                "editing": self.editing}

    def restore(self, state: dict[str, object]) -> None:
        self.given_names.setText(str(state.get("given_names") or ""))
        self.family_name.setText(str(state.get("family_name") or ""))
        self.relation.setCurrentIndex(max(0, self.relation.findData(state.get("relation") or "")))
        set_date(self.birth_date, state.get("date_of_birth"))
        editing = state.get("editing")
        if isinstance(editing, str):
            self.editing = editing
            self.setTitle("Haushaltsmitglied bearbeiten")
            self.submit_button.setText("Änderung speichern")
            self.cancel_button.show()


class HouseholdBox(QGroupBox):
    """The household table with its actions and the member form. Writes go through the
    household service; the box reloads itself after each (a new member touches no row the case
    file watches)."""

    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__("Haushalt")
        self.ctx, self.case_id = ctx, case_id
        self.members: list[Member] = []
        self.title_label = QLabel(NO_HOUSEHOLD)
        self.title_label.setObjectName("householdLabel")
        self.title_label.setWordWrap(True)
        self.model = RowsModel(HEADERS, self)
        self.view = make_table("Haushaltsmitglieder", self.model, stretch=0)
        self.view.setObjectName("householdMembers")
        members_label = QLabel("Haushalts&angehörige:")
        members_label.setBuddy(self.view)
        self.row_actions = RowActions(self.view, self._key_of, "Mitglied bearbeiten",
                                  "Mitglied entfernen …", "member")
        self.row_actions.edit_requested.connect(self._edit)
        self.row_actions.delete_requested.connect(self._ask_remove)
        self.own_case_button = QPushButton("Eigenen Fall anlegen …")
        self.own_case_button.setObjectName("memberOwnCase")
        self.own_case_button.setToolTip("Für das gewählte Mitglied einen eigenen Fall in "
                                        "derselben Kommune eröffnen.")
        self.own_case_button.clicked.connect(self._ask_own_case)
        action_row = self.row_actions.layout()
        assert isinstance(action_row, QHBoxLayout)
        action_row.insertWidget(2, self.own_case_button)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.model.modelReset.connect(self._fit_height)
        self.message = QLabel()
        self.message.setObjectName("householdMessage")
        self.message.setWordWrap(True)
        self.form = MemberForm()
        self.form.submitted.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(members_label)
        layout.addWidget(self.view)
        layout.addWidget(self.row_actions)
        layout.addWidget(self.message)
        layout.addWidget(self.form)
        self._update_actions()

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: household_read.household(vault, case_id),
                    self._show, self._failed)

    def _show(self, view: HouseholdView) -> None:
        self.title_label.setText(view.label or NO_HOUSEHOLD)
        self.members = list(view.members)
        self.model.set_rows([Row((f"{m.family_name}, {m.given_names}", m.relation_label,
                                  fmt_date(m.date_of_birth), age_text(m.age),
                                  m.case_number or "kein eigener Fall"), m.uuid)
                             for m in self.members])

    def _fit_height(self) -> None:
        """As high as its rows (at least three, at most eight; more scroll in the table): the
        section scrolls as a whole, so a fixed tall table would only push the form away."""
        rows = min(max(self.model.rowCount(), 3), 8)
        self.view.resizeRowsToContents()
        row_height = max((self.view.rowHeight(r) for r in range(self.model.rowCount())),
                         default=self.view.verticalHeader().defaultSectionSize())
        height = (self.view.horizontalHeader().sizeHint().height() + rows * row_height
                  + 2 * self.view.frameWidth())
        self.view.setMinimumHeight(height)
        self.view.setMaximumHeight(height)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def clear(self) -> None:
        self.members = []
        self.model.set_rows([])
        self.message.clear()

    # --- actions ------------------------------------------------------------------------------

    def _key_of(self, row: int) -> str | None:
        found = self.model.row_at(row)
        return found.key if found else None

    def selected(self) -> Member | None:
        key = self.row_actions.selected_key()
        return next((m for m in self.members if m.uuid == key), None)

    def _update_actions(self) -> None:
        chosen = self.selected()
        self.own_case_button.setEnabled(chosen is not None and chosen.case_id is None)

    def submit(self) -> None:
        self.form.errors.clear()
        self.message.clear()
        values, case_id, editing = self.form.values(), self.case_id, self.form.editing
        if editing is None:
            new = NewMember(values["given_names"], values["family_name"], values["relation"],
                            values["date_of_birth"])

            def write(vault: Any) -> object:
                return household_write.add_member(vault, case_id, new)
            done = "Mitglied hinzugefügt."
        else:
            def write(vault: Any) -> object:
                return household_write.update_member(vault, case_id, editing, **values)
            done = "Änderung gespeichert."
        self.form.submit_button.setEnabled(False)
        run_guarded(self, self.ctx, write, lambda _r: self._written(done), self._write_failed)

    def _written(self, text: str) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.reset()
        self.message.setText(text)
        self.form.given_names.setFocus()  # ready for the next member
        self.refresh()

    def _write_failed(self, exc: BaseException) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.errors.show(exc)

    def _edit(self, uuid: str) -> None:
        member = next((m for m in self.members if m.uuid == uuid), None)
        if member is not None:
            self.form.edit(member)

    def _ask_remove(self, uuid: str) -> None:
        member = next((m for m in self.members if m.uuid == uuid), None)
        if member is None:
            return
        kept = (f" Der eigene Fall {member.case_number} bleibt bestehen; die Person wird nur "
                "aus dem Haushalt genommen." if member.case_number else "")
        confirm(self, "Haushaltsmitglied entfernen",
                f"{member.given_names} {member.family_name} aus dem Haushalt entfernen?{kept}",
                "Ent&fernen", lambda: self._remove(uuid))

    def _remove(self, uuid: str) -> None:
        case_id = self.case_id
        if self.form.editing == uuid:
            self.form.reset()
        run_guarded(self, self.ctx,
                    lambda vault: household_write.remove_member(vault, case_id, uuid),
                    lambda _none: self._written_keep_form("Mitglied entfernt."), self._failed)

    def _written_keep_form(self, text: str) -> None:
        self.message.setText(text)
        self.view.setFocus()
        self.refresh()

    def _ask_own_case(self) -> None:
        member = self.selected()
        if member is None or member.case_id is not None:
            return
        uuid = member.uuid
        confirm(self, "Eigenen Fall anlegen",
                f"Für {member.given_names} {member.family_name} einen eigenen Fall anlegen? "
                "Er beginnt in der Phase Klärung / Zugang, mit Ihnen als Fallmanager:in.",
                "Fall &anlegen", lambda: self._open_own_case(uuid))

    def _open_own_case(self, uuid: str) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx,
                    lambda vault: household_write.open_member_case(vault, case_id, uuid),
                    lambda _id: self._written_keep_form("Eigener Fall angelegt."), self._failed)

