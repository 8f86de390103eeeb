"""The tab "Fortbildung" of the page "Bescheinigungen": per case manager the modules of
"Einwanderung erfolgreich managen", the practice case and the colloquium, the DGCC criteria
checked one by one with what is still missing in plain sentences, and the training
certificate, which can be issued only once every criterion is met."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.errors import ValidationFailed
from app.services.certificates.records import IssuedCertificate
from app.services.training.read import training_overview
from app.services.training.records import COURSE_LABELS, TrainingModule, TrainingStatus
from app.services.training.write import (
    issue_training_certificate,
    record_colloquium,
    record_practice_case,
    remove_training_module,
)
from ui.casefile._form import date_edit, fmt_date, read_date, run_guarded, set_date
from ui.casefile._table import Row, RowsModel, make_table
from ui.certificates.training_module import ModuleDialog
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import error_label

if TYPE_CHECKING:
    from app.vault.store import Vault

HEADERS = ["Kurs", "Modul", "UE", "davon Präsenz", "Datum", "Institut", "anerkannt"]
MET, NOT_MET = "✓", "✗"
MET_COLOUR, NOT_MET_COLOUR = "#1b5e20", "#a4262c"


def module_row(m: TrainingModule) -> Row:
    return Row((COURSE_LABELS.get(m.course, m.course), m.module, str(m.teaching_units),
                str(m.presence_units), fmt_date(m.held_on), m.institute or "",
                "ja" if m.institute_recognised else "nein"), m.uuid, tooltip=m.note)


def summary(status: TrainingStatus) -> str:
    if status.certificate_serial:
        return f"{status.staff_name} – Zertifikat {status.certificate_serial}"
    if status.complete:
        return f"{status.staff_name} – vollständig"
    open_ = sum(1 for c in status.criteria if not c.met)
    return f"{status.staff_name} – {open_} von {len(status.criteria)} Kriterien offen"


class TrainingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("trainingTab")
        self.statuses: list[TrainingStatus] = []

        self.people = QListWidget()
        self.people.setObjectName("trainingPeople")
        self.people.setAccessibleName("Fallmanagerinnen und Fallmanager")
        people_label = QLabel("Fall&manager:innen:")
        people_label.setBuddy(self.people)
        left = QVBoxLayout()
        left.addWidget(people_label)
        left.addWidget(self.people, 1)

        self.heading = QLabel()
        self.heading.setObjectName("trainingHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.model = RowsModel(HEADERS, self)
        self.table = make_table("trainingModules", self.model, stretch=1)
        self.table.setAccessibleName("Module")
        modules_label = QLabel("M&odule:")
        modules_label.setBuddy(self.table)
        self.add_button = QPushButton("Modul &hinzufügen …")
        self.edit_button = QPushButton("Modul b&earbeiten …")
        self.remove_button = QPushButton("Modul ent&fernen …")
        module_buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            module_buttons.addWidget(button)
        module_buttons.addStretch(1)

        self.practice = date_edit(optional=True, past=True)
        self.practice.setObjectName("practiceCaseOn")
        practice_label = QLabel("&Praxisfall angenommen am:")
        practice_label.setBuddy(self.practice)
        self.colloquium = date_edit(optional=True, past=True)
        self.colloquium.setObjectName("colloquiumOn")
        colloquium_label = QLabel("&Kolloquium abgelegt am:")
        colloquium_label.setBuddy(self.colloquium)
        self.save_dates = QPushButton("Daten &speichern")
        self.save_dates.setObjectName("saveTrainingDates")
        self.dates_error = error_label()
        self.dates_error.setObjectName("trainingDatesError")
        self.practice.attach_message(self.dates_error, "practice_case_on")
        self.colloquium.attach_message(self.dates_error, "colloquium_on")
        dates = QGridLayout()
        dates.addWidget(practice_label, 0, 0)
        dates.addWidget(self.practice, 0, 1)
        dates.addWidget(colloquium_label, 1, 0)
        dates.addWidget(self.colloquium, 1, 1)
        dates.addWidget(self.save_dates, 1, 2)
        dates.setColumnStretch(3, 1)

        self.criteria_box = QGroupBox("DGCC-Kriterien")
        self.criteria_grid = QGridLayout(self.criteria_box)
        self.criteria_labels: list[QLabel] = []
        self.missing = QLabel()
        self.missing.setObjectName("trainingMissing")
        self.missing.setWordWrap(True)
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        self.issue_button = QPushButton("&Zertifikat ausstellen …")
        self.issue_button.setObjectName("issueTrainingCertificate")
        self.message = QLabel()
        self.message.setObjectName("trainingMessage")
        self.message.setWordWrap(True)
        issue_row = QHBoxLayout()
        issue_row.addWidget(self.issue_button)
        issue_row.addWidget(self.message, 1)

        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(modules_label)
        right.addWidget(self.table, 1)
        right.addLayout(module_buttons)
        right.addLayout(dates)
        right.addWidget(self.dates_error)
        right.addWidget(self.criteria_box)
        right.addWidget(self.missing)
        right.addLayout(issue_row)
        self.detail = QWidget()
        self.detail.setLayout(right)
        # A laptop at 150 % has room for the modules or the criteria, not both: it scrolls.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        row = QHBoxLayout(self)
        row.addLayout(left, 2)  # wide enough for "Name – Zertifikat DO-2026-…" at 1280
        row.addWidget(scroll, 5)
        self.setFocusProxy(self.people)

        self.people.currentRowChanged.connect(self._person_changed)
        self.add_button.clicked.connect(self.add_module)
        self.edit_button.clicked.connect(self.edit_module)
        self.remove_button.clicked.connect(self.remove_module)
        self.table.activated.connect(self._module_activated)
        self.save_dates.clicked.connect(self.save_dates_now)
        self.issue_button.clicked.connect(self.issue_certificate)
        ctx.changes.connect(self._on_changes)  # bound methods only (see the workspace)
        ctx.locked.connect(self.clear)
        self._show_person(None)

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload from the vault (the page calls it when the tab is shown)."""
        run_guarded(self, self.ctx, training_overview, self._loaded, self._failed)

    def _on_changes(self, changes: Changes) -> None:
        # What this tab saved comes back this way too, so it never reloads by itself.
        if changes.touches(Kind.STAFF, Kind.CERTIFICATE):
            self.refresh()

    def _loaded(self, statuses: list[TrainingStatus]) -> None:
        shown = self.current()
        keep = shown.staff_uuid if shown is not None else None
        self.statuses = statuses
        self.people.blockSignals(True)
        self.people.clear()
        for status in statuses:
            item = QListWidgetItem(summary(status))
            item.setData(Qt.ItemDataRole.UserRole, status.staff_uuid)
            self.people.addItem(item)
        at = next((i for i, s in enumerate(statuses) if s.staff_uuid == keep),
                  0 if statuses else -1)
        self.people.setCurrentRow(at)
        self.people.blockSignals(False)
        self._show_person(statuses[at] if at >= 0 else None)
        if not statuses:
            self.heading.setText("Keine Fallmanager:innen in diesem Tresor.")

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def clear(self) -> None:
        self.statuses = []
        self.people.clear()
        self.model.set_rows([])

    def current(self) -> TrainingStatus | None:
        row = self.people.currentRow()
        return self.statuses[row] if 0 <= row < len(self.statuses) else None

    def _person_changed(self, _row: int) -> None:
        self._show_person(self.current())

    # --- one person --------------------------------------------------------------------------

    def _show_person(self, status: TrainingStatus | None) -> None:
        self.detail.setEnabled(status is not None)
        self.message.clear()
        self.dates_error.hide()
        if status is None:
            self.heading.clear()
            self.model.set_rows([])
            self._show_criteria(None)
            return
        self.heading.setText(f"Fortbildung von {status.staff_name}")
        self.model.set_rows([module_row(m) for m in status.modules])
        if status.modules:
            self.table.selectRow(0)
        set_date(self.practice, status.practice_case_on)
        set_date(self.colloquium, status.colloquium_on)
        self._show_criteria(status)

    def _show_criteria(self, status: TrainingStatus | None) -> None:
        for label in self.criteria_labels:
            self.criteria_grid.removeWidget(label)
            label.hide()  # deleteLater waits for the event loop; until then it would show
            label.deleteLater()
        self.criteria_labels = []
        criteria = status.criteria if status is not None else ()
        for r, c in enumerate(criteria):
            mark = QLabel(MET if c.met else NOT_MET)
            mark.setStyleSheet(f"color: {MET_COLOUR if c.met else NOT_MET_COLOUR}; "
                               "font-weight: bold; font-size: 14pt;")
            name = QLabel(c.label)
            detail = QLabel(c.detail)
            detail.setWordWrap(True)
            said = f"{c.label}: {'erfüllt' if c.met else 'nicht erfüllt'} – {c.detail}"
            for column, label in enumerate((mark, name, detail)):
                label.setAccessibleName(said)
                label.setObjectName(f"criterion_{c.key}_{column}")
                self.criteria_grid.addWidget(label, r, column)
                self.criteria_labels.append(label)
        self.criteria_grid.setColumnStretch(2, 1)
        if status is None:
            self.missing.clear()
            self.issue_button.setEnabled(False)
            return
        if status.certificate_serial:
            self.missing.setText(f"Alle Kriterien sind erfüllt. Das Zertifikat "
                                 f"{status.certificate_serial} ist ausgestellt; es steht im "
                                 "Register.")
        elif status.complete:
            self.missing.setText("Alle Kriterien sind erfüllt: das Zertifikat kann ausgestellt "
                                 "werden.")
        else:
            self.missing.setText("Was noch fehlt:\n" + "\n".join(f"• {line}"
                                                                 for line in status.missing))
        self.missing.setAccessibleName(self.missing.text())
        ready = status.complete and not status.certificate_serial
        self.issue_button.setEnabled(ready)
        self.issue_button.setToolTip(
            "Das DGCC-Zertifikat ausstellen" if ready else
            f"Schon ausgestellt: {status.certificate_serial}" if status.certificate_serial else
            "Noch nicht möglich. " + " ".join(status.missing))
        self.edit_button.setEnabled(bool(status.modules))
        self.remove_button.setEnabled(bool(status.modules))

    def current_module(self) -> TrainingModule | None:
        status = self.current()
        row = self.table.currentIndex().row()
        if status is None or not 0 <= row < len(status.modules):
            return None
        return status.modules[row]

    # --- changing ----------------------------------------------------------------------------

    def add_module(self) -> None:
        status = self.current()
        if status is not None:
            self._open_module(status, None)

    def edit_module(self) -> None:
        status, module = self.current(), self.current_module()
        if status is not None and module is not None:
            self._open_module(status, module)

    def _module_activated(self, _index: object) -> None:
        self.edit_module()

    def _open_module(self, status: TrainingStatus, module: TrainingModule | None) -> None:
        dialog = ModuleDialog(self.ctx, status.staff_uuid, status.staff_name, module, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._module_saved)
        dialog.open()

    def _module_saved(self, _uuid: str) -> None:
        self.message.setText("Modul gespeichert.")

    def remove_module(self) -> None:
        module = self.current_module()
        if module is None:
            return
        uuid = module.uuid
        confirm(self, "Modul entfernen", f"Das Modul „{module.module}“ aus der Fortbildung "
                "entfernen?", "&Entfernen", lambda: self._remove(uuid))

    def _remove(self, uuid: str) -> None:
        run_guarded(self, self.ctx, lambda vault: remove_training_module(vault, uuid),
                    self._removed, self._failed)

    def save_dates_now(self) -> None:
        status = self.current()
        if status is None:
            return
        self.dates_error.hide()
        try:
            practice, colloquium = read_date(self.practice), read_date(self.colloquium)
        except ValidationFailed:
            return  # the field says what is wrong
        staff = status.staff_uuid
        old_practice, old_colloquium = status.practice_case_on, status.colloquium_on

        def save(vault: Vault) -> None:
            if practice != old_practice:
                record_practice_case(vault, staff, practice)
            if colloquium != old_colloquium:
                record_colloquium(vault, staff, colloquium)

        run_guarded(self, self.ctx, save, self._dates_saved, self._dates_failed)

    def _dates_saved(self, _result: object) -> None:
        self.message.setText("Gespeichert.")

    def _dates_failed(self, exc: BaseException) -> None:
        self.dates_error.setText(german_message(exc))
        self.dates_error.show()

    def _removed(self, _result: object) -> None:
        self.message.setText("Modul entfernt.")

    def issue_certificate(self) -> None:
        status = self.current()
        if status is None or not status.complete or status.certificate_serial:
            return
        staff = status.staff_uuid
        confirm(self, "Zertifikat ausstellen",
                f"Das Zertifikat Case Management für {status.staff_name} ausstellen? Es erhält "
                "eine Nummer im Register und ein Prüfsiegel.", "&Ausstellen",
                lambda: self._issue(staff))

    def _issue(self, staff: str) -> None:
        self.issue_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: issue_training_certificate(vault, staff),
                    self._issued, self._failed)

    def _issued(self, issued: IssuedCertificate) -> None:
        self.message.setText(f"Zertifikat {issued.serial} ausgestellt.")
        from ui.certificates.output import show_certificate

        show_certificate(self.ctx, self, issued.document, issued.serial)
