"""Planung: title, date and time, place, chair and minute-taker; who takes part (from the
directory, the client, an interpreter); the cases on the agenda with occasion and data
categories. One "Speichern" sends all three to the services (create or update, participants,
agenda); the window reloads from what was stored."""

from __future__ import annotations

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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.conferences.records import (
    PLANNED,
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
from ui.conferences.agenda import AgendaBox, AgendaEntry
from ui.conferences.pickers import (
    ClientPicker,
    DirectoryPicker,
    InterpreterPicker,
    Picked,
)
from ui.context import AppContext
from ui.datetime_field import DateTimeField


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
        self.base: Any = None  # the state as last loaded or saved: unsaved input differs

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

        self.agenda_box = AgendaBox(ctx)
        # The names the window, the drafts and the tests know the agenda's parts by.
        self.occasion, self.categories = self.agenda_box.occasion, self.agenda_box.categories
        self.add_case, self.remove_case = self.agenda_box.add_case, self.agenda_box.remove_case

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
        column.addWidget(self.agenda_box, 1)
        column.addWidget(self.general)
        column.addLayout(bottom)

        self.add_directory.clicked.connect(self._pick_directory)
        self.add_client.clicked.connect(self._pick_client)
        self.add_interpreter.clicked.connect(self._pick_interpreter)
        self.remove_person.clicked.connect(self._remove_person)
        self.save_button.clicked.connect(self.save)
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

    @property
    def agenda(self) -> list[AgendaEntry]:
        return self.agenda_box.entries

    @agenda.setter
    def agenda(self, entries: list[AgendaEntry]) -> None:
        self.agenda_box.entries = entries

    def add_case_entry(self, case_id: int, label: str, client: str) -> None:
        """A case put on the agenda by the opener (a case file's "Neue Fallkonferenz")."""
        self.agenda_box.add_entry(case_id, label, client)

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
        self.agenda_box.show_entries(0)

    def set_read_only(self, locked: bool) -> None:
        for widget in (self.title, self.place, self.minute_taker):
            widget.setReadOnly(locked)
        self.when.setEnabled(not locked)
        self.chair.setEnabled(not locked)
        self.agenda_box.set_read_only(locked)
        for button in (self.add_directory, self.add_client, self.add_interpreter,
                       self.remove_person, self.save_button):
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

