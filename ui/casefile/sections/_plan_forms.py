"""The entry forms of the plan section: assessment, goal, measure, evaluation, referral.

Each form knows its inputs by the service's field names, so a ValidationFailed lands next to
the right field, and drafts are saved and restored generically. A form either adds a record or,
after ``start_edit``, corrects an existing one (same fields, pre-filled).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app import catalogues
from app.date_input import DateInputError
from app.services.plan.records import NewGoal
from ui.casefile._form import (
    date_edit,
    errors_below,
    read_date,
    set_date,
)
from ui.date_field import DateField

ATTAINMENT_CHOICES = (("erreicht", "erreicht"), ("teilweise", "teilweise"),
                      ("nicht_erreicht", "nicht erreicht"))


def text_of(widget: QWidget) -> str:
    """Free text typed into ``widget``; a date field is no free text (it is never blank)."""
    if isinstance(widget, DateField):
        return ""
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return ""


def long_text(name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setMaximumHeight(70)
    return edit


def domain_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for d in catalogues.life_domains():
        combo.addItem(d.label, d.code)
    return combo


EDITING = "_editing"  # draft key: the uuid of the record being corrected


class FormBox(QGroupBox):
    """A titled form with a save button; ``inputs`` maps service field names to widgets."""

    save_requested = Signal()
    edit_title = ""

    def __init__(self, title: str, name: str) -> None:
        super().__init__(title)
        self.setObjectName(name)
        self.layout_ = QFormLayout(self)
        self.inputs: dict[str, QWidget] = {}
        self.editing: str | None = None  # uuid of the record being corrected, None = adding
        self._base: dict[str, object] = {}
        self._add_title = title

    def add(self, field: str, label: str, widget: QWidget) -> None:
        self.layout_.addRow(label, widget)
        self.inputs[field] = widget

    def finish(self, save_text: str, error_fields: tuple[str, ...]) -> None:
        self.general = QLabel()
        self.layout_.addRow(self.general)
        self._add_save_text = save_text
        self.save = QPushButton(save_text)
        self.save.setObjectName(f"{self.objectName()}Save")
        self.save.clicked.connect(self._request_save)
        self.cancel = QPushButton("Abbrechen")
        self.cancel.setObjectName(f"{self.objectName()}Cancel")
        self.cancel.setToolTip("Bearbeiten abbrechen, nichts ändern")
        self.cancel.clicked.connect(self.reset)
        self.cancel.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        self.layout_.addRow("", buttons)
        fields = {f: self.inputs[f] for f in error_fields}
        # Every date gets a message row: a date that cannot be read is refused at the field.
        fields.update({f: w for f, w in self.inputs.items() if isinstance(w, DateField)})
        self.errors = errors_below(self.layout_, fields, self.general)

    def _request_save(self) -> None:
        """Ask the section to save, unless a date cannot be read: then say so at the field and
        send nothing (the section's save reads the dates again, now known to be readable)."""
        self.errors.clear()
        for w in self.inputs.values():
            if isinstance(w, DateField):
                try:
                    read_date(w)
                except DateInputError as exc:
                    self.errors.show(exc)
                    return
        self.save_requested.emit()

    # --- correcting an existing record -------------------------------------------------------

    def start_edit(self, key: str, values: dict[str, object]) -> None:
        """Show the record ``key`` in this form; saving then changes it instead of adding."""
        self.reset()
        self.restore(values)
        self._enter_edit(key)
        self._base = self.values()
        next(iter(self.inputs.values())).setFocus()

    def _enter_edit(self, key: str) -> None:
        self.editing = key
        self.setTitle(self.edit_title)
        self.save.setText("Änderungen &speichern")
        self.cancel.show()

    def values(self) -> dict[str, object]:
        """The inputs as the services take them: texts trimmed, empty texts None."""
        return {name: (str(value).strip() or None) if isinstance(value, str) else value
                for name, value in self.state().items()}

    def changes(self) -> dict[str, object]:
        """While editing: the fields that differ from the record as it was loaded."""
        return {k: v for k, v in self.values().items() if k not in self._base or v != self._base[k]}

    def is_dirty(self) -> bool:
        if self.editing is not None:
            return bool(self.changes())
        return any(text_of(w).strip() for w in self.inputs.values()) or any(
            w.isChecked() for w in self.inputs.values() if isinstance(w, QCheckBox))

    def draft(self) -> dict[str, object]:
        state = self.state()
        if self.editing is not None:
            state[EDITING] = self.editing
        return state

    def state(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, w in self.inputs.items():
            if isinstance(w, DateField):  # first: it is a QLineEdit too
                out[name] = read_date(w)
            elif isinstance(w, QLineEdit | QPlainTextEdit):
                out[name] = text_of(w)
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
        return out

    def restore(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            w = self.inputs.get(name)
            if isinstance(w, DateField):  # first: it is a QLineEdit too
                set_date(w, value)
            elif isinstance(w, QLineEdit):
                w.setText(str(value or ""))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(str(value or ""))
            elif isinstance(w, QComboBox):
                index = w.findData(value)
                if index >= 0:
                    w.setCurrentIndex(index)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
        editing = state.get(EDITING)
        if isinstance(editing, str):  # a draft of a correction stays a correction
            self._enter_edit(editing)
            self._base = {}

    def reset(self) -> None:
        """Empty the form and go back to adding (after saving, or "Abbrechen")."""
        for w in self.inputs.values():
            if isinstance(w, DateField):  # a date left from the last record is no default
                w.reset()
            elif isinstance(w, QLineEdit | QPlainTextEdit):
                w.clear()
            elif isinstance(w, QCheckBox):
                w.setChecked(False)
        self.errors.clear()
        self.editing, self._base = None, {}
        self.setTitle(self._add_title)
        self.save.setText(self._add_save_text)
        self.cancel.hide()

    def text(self, field: str) -> str | None:
        return text_of(self.inputs[field]).strip() or None

    def date(self, field: str) -> date | None:
        widget = self.inputs[field]
        assert isinstance(widget, DateField)
        return read_date(widget)

    def choice(self, field: str) -> str:
        widget = self.inputs[field]
        assert isinstance(widget, QComboBox)
        return str(widget.currentData() or "")


class AssessmentForm(FormBox):
    edit_title = "Assessment bearbeiten"

    def __init__(self) -> None:
        super().__init__("Assessment erfassen", "assessmentForm")
        self.add("life_domain", "&Lebensbereich:", domain_combo("assessmentDomain"))
        self.add("resources", "&Ressourcen:", long_text("assessmentResources"))
        self.add("needs", "&Bedarfe:", long_text("assessmentNeeds"))
        self.add("client_view", "Sicht der Klientin / des &Klienten:",
                 long_text("assessmentClientView"))
        self.add("assessed_on", "Erhoben &am:", date_edit())
        self.add("is_reassessment", "", QCheckBox("Re-Assess&ment"))
        self.finish("Assessment &speichern", ("life_domain", "needs"))


class GoalForm(FormBox):
    edit_title = "Ziel bearbeiten"

    def __init__(self) -> None:
        super().__init__("Neues Ziel", "goalForm")
        self.add("life_domain", "&Lebensbereich:", domain_combo("goalDomain"))
        self.add("description", "&Ziel:", long_text("goalDescription"))
        self.add("indicator", "&Indikator (woran erkennbar):", QLineEdit())
        self.add("target_date", "Ziel&datum:", date_edit(optional=True))
        self.add("responsible", "&Verantwortlich:", QLineEdit())
        self.add("agreed_on", "Vereinbart a&m:", date_edit(optional=True))
        self.finish("Ziel &anlegen", ("life_domain", "description"))

    def value(self) -> NewGoal:
        return NewGoal(life_domain=self.choice("life_domain"),
                       description=text_of(self.inputs["description"]),
                       indicator=self.text("indicator"), target_date=self.date("target_date"),
                       responsible=self.text("responsible"), agreed_on=self.date("agreed_on"))


class MeasureForm(FormBox):
    edit_title = "Maßnahme bearbeiten"

    def __init__(self) -> None:
        super().__init__("Maßnahme zum gewählten Ziel", "measureForm")
        self.add("description", "Ma&ßnahme:", QLineEdit())
        self.add("responsible_text", "Zust&ändig:", QLineEdit())
        self.add("due_on", "&Fällig am:", date_edit(optional=True))
        self.finish("Maßnahme &hinzufügen", ("description",))


class EvaluationForm(FormBox):
    def __init__(self) -> None:
        super().__init__("Zielerreichung bewerten", "evaluationForm")
        combo = QComboBox()
        combo.setObjectName("attainment")
        combo.addItem("– bitte wählen –", "")
        for code, label in ATTAINMENT_CHOICES:
            combo.addItem(label, code)
        self.add("attainment", "Ziel&erreichung:", combo)
        self.add("note", "A&nmerkung:", QLineEdit())
        self.add("evaluated_on", "&Bewertet am:", date_edit())
        self.finish("Bewertung &speichern", ("attainment",))


class CategoryChecks(QGroupBox):
    """One check box per data category of the consent catalogue."""

    def __init__(self, title: str, name: str) -> None:
        super().__init__(title)
        self.setObjectName(name)
        grid = QGridLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for i, c in enumerate(catalogues.data_categories()):
            box = QCheckBox(c.label)
            box.setObjectName(f"{name}_{c.code}")
            self.boxes[c.code] = box
            grid.addWidget(box, i, 0)  # one column: the form stays narrow at 150 %

    def codes(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_codes(self, codes: object) -> None:
        chosen = set(codes) if isinstance(codes, list | tuple) else set()
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)


class ReferralForm(FormBox):
    """A referral hands data to the institution: the form asks which categories go, and the
    service checks them against consents and legal bases before anything is saved."""

    edit_title = "Vermittlung bearbeiten"

    def __init__(self) -> None:
        super().__init__("Vermittlung erfassen", "referralForm")
        combo = QComboBox()
        combo.setObjectName("referralInstitution")
        self.add("institution", "&Institution:", combo)
        self.add("purpose", "&Anlass / Zweck:", QLineEdit())
        self.add("referred_on", "Vermittelt a&m:", date_edit())
        self.categories = CategoryChecks("Weitergegebene &Datenkategorien",
                                         "referralCategories")
        self.layout_.addRow(self.categories)  # across the form: narrow enough at 150 %
        self.inputs["data_categories"] = self.categories
        self.finish("Vermittlung &speichern", ("institution", "purpose", "data_categories"))

    def set_institutions(self, items: list[tuple[str, str]]) -> None:
        combo = self.inputs["institution"]
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        combo.clear()
        combo.addItem("– bitte wählen –", "")
        for uuid, name in items:
            combo.addItem(name, uuid)
        combo.setCurrentIndex(max(combo.findData(current), 0))

    def _enter_edit(self, key: str) -> None:
        super()._enter_edit(key)
        # What already went is in the disclosure log; ticked here is what goes (again) now.
        self.categories.setTitle("Jetzt (erneut) weitergegebene &Datenkategorien")

    def state(self) -> dict[str, object]:
        return {**super().state(), "data_categories": self.categories.codes()}

    def values(self) -> dict[str, object]:
        return {**super().values(), "data_categories": self.categories.codes()}

    def restore(self, state: dict[str, object]) -> None:
        super().restore(state)
        if "data_categories" in state:
            self.categories.set_codes(state["data_categories"])

    def is_dirty(self) -> bool:
        return super().is_dirty() or bool(self.categories.codes())

    def reset(self) -> None:
        super().reset()
        self.categories.set_codes([])
        self.categories.setTitle("Weitergegebene &Datenkategorien")
