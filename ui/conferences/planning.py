"""Planung: title, date and time, place, chair and minute-taker; who takes part (from the
directory, the client, an interpreter); the cases on the agenda with occasion and data
categories. One "Speichern" sends all three to the services (create or update, participants,
agenda); the window reloads from what was stored."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.cases.records import CaseRow
from app.services.conferences.records import (
    PLANNED,
    AgendaInput,
    ConferenceDetail,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    set_agenda,
    set_participants,
    update_plan,
)
from app.services.staff.read import case_managers
from app.services.staff.records import StaffMember
from app.vault.store import Vault
from ui.casefile._form import FieldErrors, error_label, run_guarded
from ui.casefile._table import Row, RowsModel, make_table
from ui.conferences.pickers import (
    CaseSearch,
    ClientPicker,
    DirectoryPicker,
    InterpreterPicker,
    Picked,
)
from ui.context import AppContext
from ui.datetime_field import DateTimeField


@dataclass(frozen=True)
class AgendaEntry:
    case_ref: int
    label: str  # "DO-2026-K7-0042 · Öztürk, Ayşe"
    client: str
    occasion: str = ""
    categories: tuple[str, ...] = ()
    uuid: str | None = None

    def input(self) -> AgendaInput:
        return AgendaInput(self.case_ref, self.occasion, self.categories, self.uuid)


def kind_text(p: ParticipantInput) -> str:
    if p.is_client:
        return "Klient:in"
    if p.is_interpreter:
        return f"Dolmetscher:in ({catalogues.language_label(p.language or '')})"
    return "Verzeichnis" if p.contact_uuid else "Institution"


class PlanningTab(QWidget):
    saved = Signal(str)  # the conference's uuid, new or known

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.uuid: str | None = None
        self.people: list[Picked] = []
        self.agenda: list[AgendaEntry] = []
        self.base: Any = None  # the state as last loaded or saved: unsaved input differs
        self.labels = {c.code: c.label for c in catalogues.data_categories()}

        facts = QGroupBox("Termin")
        form = QFormLayout(facts)
        self.title = QLineEdit()
        self.title.setObjectName("conferenceTitle")
        self.when = DateTimeField()
        self.when.setObjectName("conferenceWhen")
        self.place = QLineEdit()
        self.place.setObjectName("conferencePlace")
        self.chair = QComboBox()
        self.chair.setObjectName("conferenceChair")
        self.chair.setEditable(True)  # a case manager of the vault, or a partner as written
        self.minute_taker = QLineEdit()
        self.minute_taker.setObjectName("conferenceMinuteTaker")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        for text, widget, field in (("&Titel:", self.title, "title"),
                                    ("&Datum:", self.when, "scheduled_at"),
                                    ("&Ort:", self.place, "place"),
                                    ("&Moderation:", self.chair, "chair"),
                                    ("Protokoll&führung:", self.minute_taker, "minute_taker")):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            message = error_label()
            form.addRow("", message)
            self.errors.add(field, message, widget)
        self.when.date.attach_message(self.errors.labels["scheduled_at"], "scheduled_at")

        self.people_model = RowsModel(["Name", "Institution", "Rolle", "Art"], self)
        self.people_table = make_table("conferenceParticipants", self.people_model, stretch=1)
        self.people_table.setAccessibleName("Teilnehmende")
        self.add_directory = QPushButton("Aus dem &Verzeichnis hinzufügen…")
        self.add_directory.setObjectName("addFromDirectory")
        self.add_client = QPushButton("&Klient:in hinzufügen")
        self.add_client.setObjectName("addClient")
        self.add_interpreter = QPushButton("Dolmetscher:&in hinzufügen")
        self.add_interpreter.setObjectName("addInterpreter")
        self.remove_person = QPushButton("Teilnehmende entfe&rnen")
        self.remove_person.setObjectName("removeParticipant")
        people_box = QGroupBox("Teilnehmende")
        people = QVBoxLayout(people_box)
        people.addWidget(self.people_table, 1)
        row = QHBoxLayout()
        for b in (self.add_directory, self.add_client, self.add_interpreter, self.remove_person):
            row.addWidget(b)
        row.addStretch(1)
        people.addLayout(row)

        self.agenda_model = RowsModel(["Fall", "Anlass", "Datenkategorien"], self)
        self.agenda_table = make_table("conferenceAgenda", self.agenda_model, stretch=2)
        self.agenda_table.setAccessibleName("Tagesordnung")
        self.add_case = QPushButton("Fall &hinzufügen…")
        self.add_case.setObjectName("addCase")
        self.remove_case = QPushButton("Fall &entnehmen")
        self.remove_case.setObjectName("removeCase")
        self.occasion = QLineEdit()
        self.occasion.setObjectName("agendaOccasion")
        self.occasion.setPlaceholderText("Frage oder Anlass für diesen Fall")
        self.categories = QListWidget()
        self.categories.setObjectName("agendaCategories")
        self.categories.setAccessibleName("Datenkategorien, die besprochen werden")
        for c in catalogues.data_categories():
            item = QListWidgetItem(c.label)
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        agenda_box = QGroupBox("Tagesordnung (Enter öffnet die Fallakte)")
        agenda = QHBoxLayout(agenda_box)
        left = QVBoxLayout()
        left.addWidget(self.agenda_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_case)
        row.addWidget(self.remove_case)
        row.addStretch(1)
        left.addLayout(row)
        right = QFormLayout()
        right.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        occasion_label = QLabel("&Anlass des gewählten Falls:")
        occasion_label.setBuddy(self.occasion)
        right.addRow(occasion_label, self.occasion)
        categories_label = QLabel("Date&nkategorien (Leertaste kreuzt an):")
        categories_label.setBuddy(self.categories)
        right.addRow(categories_label, self.categories)
        agenda.addLayout(left, 3)
        agenda.addLayout(right, 2)

        self.save_button = QPushButton("&Speichern")
        self.save_button.setObjectName("savePlan")
        self.note = QLabel()
        self.note.setObjectName("planNote")
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.note, 1)

        upper = QHBoxLayout()
        upper.addWidget(facts, 2)
        upper.addWidget(people_box, 3)
        column = QVBoxLayout(self)
        column.addLayout(upper, 1)
        column.addWidget(agenda_box, 1)
        column.addWidget(self.general)
        column.addLayout(bottom)

        self.add_directory.clicked.connect(self._pick_directory)
        self.add_client.clicked.connect(self._pick_client)
        self.add_interpreter.clicked.connect(self._pick_interpreter)
        self.remove_person.clicked.connect(self._remove_person)
        self.add_case.clicked.connect(self._pick_case)
        self.remove_case.clicked.connect(self._remove_case)
        self.agenda_table.activated.connect(self._open_case)  # Enter: the case file
        self.agenda_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_agenda_entry())
        self.occasion.textEdited.connect(lambda _t: self._edit_entry())
        self.categories.itemChanged.connect(lambda _i: self._edit_entry())
        self.save_button.clicked.connect(self.save)
        self._show_agenda_entry()
        run_guarded(self, ctx, case_managers, self._staff_loaded)
        self.base = self.state()

    # --- loading ----------------------------------------------------------------------------

    def _staff_loaded(self, staff: list[StaffMember]) -> None:
        text = self.chair.currentText()
        self.chair.blockSignals(True)
        self.chair.clear()
        self.chair.addItem("", None)
        for member in staff:
            self.chair.addItem(member.display_name, member.uuid)
        self.chair.setCurrentText(text)
        self.chair.blockSignals(False)
        if self.base is not None and self.base[3] == text:
            self.base = self.state()

    def add_case_entry(self, case_id: int, label: str, client: str) -> None:
        """A case put on the agenda by the opener (a case file's "Neue Fallkonferenz")."""
        if all(e.case_ref != case_id for e in self.agenda):
            self.agenda.append(AgendaEntry(case_id, label, client))
            self._show_agenda(len(self.agenda) - 1)

    def show_detail(self, detail: ConferenceDetail) -> None:
        self.uuid = detail.uuid
        self.title.setText(detail.title)
        self.when.set_value(detail.scheduled_at)
        self.place.setText(detail.place or "")
        chair = detail.chair or ""
        index = self.chair.findData(detail.chair_staff_uuid) if detail.chair_staff_uuid else -1
        if index >= 0:
            self.chair.setCurrentIndex(index)
        else:
            self.chair.setCurrentText(detail.chair_text or chair)
        self.minute_taker.setText(detail.minute_taker_text or "")
        self.people = [Picked(ParticipantInput(
            name=p.name, uuid=p.uuid, institution_uuid=p.institution_uuid,
            contact_uuid=p.contact_uuid, role=p.role, is_client=p.is_client,
            is_interpreter=p.is_interpreter, language=p.language), p.institution_name)
            for p in detail.participants]
        self.agenda = [AgendaEntry(a.case_id, f"{a.case_number} · {a.client}", a.client,
                                   a.occasion or "", tuple(a.data_categories), a.uuid)
                       for a in detail.agenda]
        self.show_lists()
        self.base = self.state()
        # The services take plan, participants and agenda while it is planned: what was held
        # is on record (the disclosures happened to exactly these people).
        self.set_read_only(detail.status != PLANNED)

    def show_lists(self) -> None:
        self._show_people()
        self._show_agenda(0)

    def set_read_only(self, locked: bool) -> None:
        for widget in (self.title, self.place, self.minute_taker, self.occasion):
            widget.setReadOnly(locked)
        self.when.setEnabled(not locked)
        self.chair.setEnabled(not locked)
        self.categories.setEnabled(not locked)
        for button in (self.add_directory, self.add_client, self.add_interpreter,
                       self.remove_person, self.add_case, self.remove_case, self.save_button):
            button.setEnabled(not locked)

    # --- participants -------------------------------------------------------------------------

    def _show_people(self) -> None:
        self.people_model.set_rows([Row((p.participant.name, p.institution_name or "",
                                         p.participant.role or "", kind_text(p.participant)))
                                    for p in self.people])

    def _add_person(self, picked: Picked) -> None:
        self.people.append(picked)
        self._show_people()
        self.people_table.selectRow(len(self.people) - 1)
        self.people_table.setFocus()

    def _pick_directory(self) -> None:
        dialog = DirectoryPicker(self.ctx, self)
        dialog.chosen.connect(self._add_person)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _pick_interpreter(self) -> None:
        dialog = InterpreterPicker(self)
        dialog.chosen.connect(self._add_person)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _pick_client(self) -> None:
        if not self.agenda:
            self.note.setText("Zuerst einen Fall auf die Tagesordnung setzen.")
            return
        dialog = ClientPicker([(e.label, e.client) for e in self.agenda], self)
        dialog.chosen.connect(self._add_person)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _remove_person(self) -> None:
        row = self.people_table.currentIndex().row()
        if 0 <= row < len(self.people):
            del self.people[row]
            self._show_people()

    # --- agenda -------------------------------------------------------------------------------

    def _agenda_row(self, e: AgendaEntry) -> Row:
        labels = ", ".join(self.labels.get(c, c) for c in e.categories)
        return Row((e.label, e.occasion, labels or "noch keine gewählt"),
                   highlight=not e.categories)

    def _show_agenda(self, select: int) -> None:
        self.agenda_model.set_rows([self._agenda_row(e) for e in self.agenda])
        if 0 <= select < len(self.agenda):
            self.agenda_table.selectRow(select)
        self._show_agenda_entry()

    def _show_agenda_entry(self) -> None:
        row = self.agenda_table.currentIndex().row()
        entry = self.agenda[row] if 0 <= row < len(self.agenda) else None
        self.occasion.setEnabled(entry is not None)
        self.categories.setEnabled(entry is not None)
        self.occasion.setText(entry.occasion if entry else "")
        self.categories.blockSignals(True)
        for i in range(self.categories.count()):
            item = self.categories.item(i)
            on = entry is not None and item.data(Qt.ItemDataRole.UserRole) in entry.categories
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.categories.blockSignals(False)

    def _edit_entry(self) -> None:
        row = self.agenda_table.currentIndex().row()
        if not 0 <= row < len(self.agenda):
            return
        codes = tuple(str(self.categories.item(i).data(Qt.ItemDataRole.UserRole))
                      for i in range(self.categories.count())
                      if self.categories.item(i).checkState() == Qt.CheckState.Checked)
        self.agenda[row] = replace(self.agenda[row], occasion=self.occasion.text(),
                                   categories=codes)
        self.agenda_model.set_rows([self._agenda_row(e) for e in self.agenda])
        self.agenda_table.blockSignals(True)
        self.agenda_table.selectRow(row)
        self.agenda_table.blockSignals(False)

    def _open_case(self) -> None:
        """The case file at its tasks, where the conference's decisions arrive."""
        row = self.agenda_table.currentIndex().row()
        if 0 <= row < len(self.agenda):
            self.ctx.case_open_requested.emit(self.agenda[row].case_ref, "tasks")

    def _pick_case(self) -> None:
        dialog = CaseSearch(self.ctx, self)
        dialog.chosen.connect(self._case_chosen)
        dialog.accepted.connect(self.occasion.setFocus)  # after the dialog gave focus back
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _case_chosen(self, row: CaseRow) -> None:
        client = f"{row.family_name}, {row.given_names}"
        self.add_case_entry(row.id, f"{row.case_number} · {client}", client)

    def _remove_case(self) -> None:
        row = self.agenda_table.currentIndex().row()
        if 0 <= row < len(self.agenda):
            del self.agenda[row]
            self._show_agenda(min(row, len(self.agenda) - 1))

    # --- saving -------------------------------------------------------------------------------

    def plan(self) -> ConferencePlan:
        when = self.when.value().astimezone(UTC)  # typed in local time, stored in UTC
        chair = self.chair.currentText().strip()
        index = self.chair.findText(chair, Qt.MatchFlag.MatchExactly)
        staff = self.chair.itemData(index) if index > 0 else None
        return ConferencePlan(
            title=self.title.text().strip(), scheduled_at=when,
            place=self.place.text().strip() or None, chair_staff_uuid=staff,
            chair_text=None if staff else chair or None,
            minute_taker_text=self.minute_taker.text().strip() or None)

    def state(self) -> tuple[Any, ...]:
        return (self.title.text(), self.when.date.text(), self.when.time.text(),
                self.chair.currentText(), self.place.text(), self.minute_taker.text(),
                tuple(p.participant for p in self.people), tuple(self.agenda))

    def has_unsaved_changes(self) -> bool:
        return self.save_button.isEnabled() and self.state() != self.base

    def save(self) -> None:
        self.errors.clear()
        self.note.clear()
        try:
            plan = self.plan()
        except ValidationFailed as exc:
            self.errors.show(exc)
            return
        uuid = self.uuid
        people = [p.participant for p in self.people]
        agenda = [e.input() for e in self.agenda]

        created: list[str] = []  # a new conference stays known when a later step fails

        def store(vault: Vault) -> str:
            target = uuid
            if target is None:
                target = create_conference(vault, plan)
                created.append(target)
            else:
                update_plan(vault, target, plan)
            set_agenda(vault, target, agenda)  # first: a client takes part through a case
            set_participants(vault, target, people)
            return target

        def failed(exc: BaseException) -> None:
            if created:
                self.uuid = created[0]
            self._failed(exc)

        self.save_button.setEnabled(False)
        run_guarded(self, self.ctx, store, self._saved, failed)

    def _saved(self, uuid: str) -> None:
        self.save_button.setEnabled(True)
        self.uuid = uuid
        self.base = self.state()
        self.note.setText("Gespeichert.")
        self.saved.emit(uuid)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(exc)

