"""Section "Klärung & Vereinbarungen": what the DGCC phases ask to be documented on the case.

Zugangsweg, Indikation, Datenschutzinformation, Arbeitsbündnis, signed plan, the client's
feedback and the hand-over note — the items the phase checklist names when a step is blocked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.services.cases.read import case_documentation
from app.services.cases.records import CaseDocumentation
from app.services.cases.write import update_case
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
from ui.casefile.sections._case_fields import CaseFields
from ui.code_combo import code_combo, combo_code, set_combo_code
from ui.context import AppContext, german_message
from ui.date_field import DateField

FLAGS = (("complex_needs", "Komplexe Problemlage (mehrere Lebensbereiche)"),
         ("several_agencies", "Mehrere Stellen / Rechtskreise beteiligt"),
         ("regular_services_insufficient", "Regelangebote reichen nicht aus"))
DATES = (("dp_info_given_on", "&Datenschutzinformation am:"),
         ("working_agreement_on", "&Arbeitsbündnis am:"),
         ("plan_signed_on", "&Hilfeplan unterschrieben am:"))
TEXTS = (("indication", "&Indikation:"), ("client_feedback", "&Rückmeldung Klient:in:"),
         ("handover_note", "Ü&bergabe:"))
Value = str | bool | date | None


class DocumentationSection(EditForm):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.base: dict[str, Value] | None = None
        self._pending: DraftState | None = None
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.case_fields = CaseFields(ctx, self.errors)  # target group, municipality, manager
        intake = QGroupBox("Klärung / Zugang")
        form = QFormLayout(intake)
        self.access_route = code_combo(catalogues.access_routes())
        field_row(form, "&Zugangsweg:", self.access_route, self.errors, "access_route")
        self.texts: dict[str, QPlainTextEdit] = {}
        for name, _label in TEXTS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)  # Tab leaves the field, as in every other input
            edit.setMaximumHeight(70)
            self.texts[name] = edit
        field_row(form, TEXTS[0][1], self.texts["indication"], self.errors, "indication")
        self.flags: dict[str, QCheckBox] = {}
        for name, label in FLAGS:
            self.flags[name] = QCheckBox(label)
            form.addRow("", self.flags[name])
        self.dates: dict[str, DateField] = {name: date_edit(optional=True) for name, _ in DATES}
        field_row(form, DATES[0][1], self.dates["dp_info_given_on"], self.errors,
                  "dp_info_given_on")
        self.dp_language = code_combo(catalogues.languages())
        field_row(form, "&Sprache der Information:", self.dp_language, self.errors,
                  "dp_info_language")
        field_row(form, DATES[1][1], self.dates["working_agreement_on"], self.errors,
                  "working_agreement_on")
        later = QGroupBox("Hilfeplan, Evaluation, Abschluss")
        later_form = QFormLayout(later)
        field_row(later_form, DATES[2][1], self.dates["plan_signed_on"], self.errors,
                  "plan_signed_on")
        for name, label in TEXTS[1:]:
            field_row(later_form, label, self.texts[name], self.errors, name)
        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Angaben speichern (Strg+S)")
        self.save_button.clicked.connect(self.save)
        self.saved_note = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved_note, 1)
        # Scrolls rather than squeezing its fields on a 720-pixel laptop screen or at 150 %.
        content = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.case_fields)
        layout.addWidget(intake)
        layout.addWidget(later)
        layout.addWidget(self.general_error)
        layout.addLayout(row)
        layout.addStretch(1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setEnabled(False)

    def values(self) -> dict[str, Value]:
        result: dict[str, Value] = {
            "access_route": combo_code(self.access_route),
            "dp_info_language": combo_code(self.dp_language),
        }
        result.update({n: (e.toPlainText().strip() or None) for n, e in self.texts.items()})
        result.update({n: box.isChecked() for n, box in self.flags.items()})
        result.update({n: read_date(e) for n, e in self.dates.items()})
        result.update(self.case_fields.values())
        return result

    def set_values(self, values: dict[str, object]) -> None:
        set_combo_code(self.access_route, values.get("access_route"))
        set_combo_code(self.dp_language, values.get("dp_info_language"))
        for name, text_edit in self.texts.items():
            text_edit.setPlainText(str(values.get(name) or ""))
        for name, box in self.flags.items():
            box.setChecked(bool(values.get(name)))
        for name, edit in self.dates.items():
            set_date(edit, values.get(name))  # a date, a draft's ISO text or None (empty)
        self.case_fields.set_values(values)

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: case_documentation(vault, case_id), self._loaded,
                    self._failed)
        self.case_fields.load_staff()

    def _loaded(self, doc: CaseDocumentation) -> None:
        if not self.has_unsaved_changes():
            manager = doc.values.get("case_manager_uuid")
            self.case_fields.loaded_manager = manager if isinstance(manager, str) else None
            self.set_values(dict(doc.values))
            self.base = self.values()
        if self._pending is not None:
            self.set_values({**self.values(), **self._pending})
            self._pending = None
        self.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.general_error.setText(german_message(exc))
        self.general_error.show()

    def persist(self, vault: Any, case_id: int, changes: dict[str, Any]) -> None:
        update_case(vault, case_id, **changes)

    def _saved(self, changes: dict[str, Any]) -> None:
        super()._saved(changes)
        self.case_fields.saved()  # a handover's note went with it; the new manager is stored
        if self.base is not None:
            self.base["handover"] = None

    def restore_draft(self, state: DraftState) -> None:
        if self.base is None:
            self._pending = dict(state)
        else:
            self.set_values({**self.values(), **state})
