"""Editing one certificate template: title, kind, the text (one paragraph per line, shown with
a blank line between them: what a team lead knows from any letter), the fields, the flags, the
placeholders to insert, a live check with the German message at the field it concerns, preview
and save.

Nothing is stored before "Speichern", and "Speichern" stores nothing that fails
``check_template`` (the service checks again: the editor is a convenience, not the guard).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.certificates.records import KIND_LABELS
from app.services.templates.read import check_template
from app.services.templates.records import PLACEHOLDERS, Template
from app.services.templates.write import save_template
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.forms import ERROR_STYLE, error_label, labelled_row
from ui.settings.template_fields import FieldsTable

LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
PLACEHOLDER_ROLE = Qt.ItemDataRole.UserRole
NOT_SAVED_DE = "Die Vorlage wurde nicht gespeichert."


def split_blocks(text: str) -> tuple[str, ...]:
    """Paragraphs as the lead typed them: every line break starts a new one (a printed block
    has no line breaks of its own); blank lines only make the text easier to read."""
    return tuple(p.strip() for p in LINE_BREAKS.split(text) if p.strip())


def error_key(field: str | None, message: str = "") -> str:
    """The editor's input a service message belongs to. The placeholder syntax check names the
    whole template; its message says where ("Der Titel: …" or "Textblock 2: …")."""
    if field == "template":
        return "title" if message.startswith("Der Titel") else "blocks"
    return field or ""


class TemplateEditor(QWidget):
    saved = Signal(str)  # the key of the template just stored
    dirty_changed = Signal(bool)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("templateEditor")
        self.loaded: Template | None = None  # as stored (or as copied, for a new one)
        self.is_new = False
        self.errors: dict[str, QLabel] = {}
        self._filling = False
        self._was_dirty = False
        self._build()
        self.setEnabled(False)  # until a template is chosen

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        self.origin = QLabel()
        self.origin.setObjectName("templateOrigin")
        self.origin.setWordWrap(True)
        form.addRow(self.origin)
        self.title = QLineEdit()
        labelled_row(form, "&Titel:", self.title, self.errors, "title")
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        labelled_row(form, "A&rt:", self.kind, self.errors, "kind")

        self.text = QPlainTextEdit()
        self.text.setObjectName("templateText")
        self.text.setTabChangesFocus(True)  # Tab goes on to the placeholders
        self.text.setPlaceholderText("Jeder Absatz in einer eigenen Zeile")
        self.placeholders = QListWidget()
        self.placeholders.setObjectName("templatePlaceholders")
        self.placeholders.setToolTip("Doppelklick oder Eingabetaste fügt den Platzhalter an "
                                     "der Schreibmarke im Text ein")
        self.placeholders.itemActivated.connect(self.insert_placeholder)
        self.placeholders.setWordWrap(True)
        self.placeholders.setFixedWidth(230)
        text_row = QHBoxLayout()
        self.text.setMinimumHeight(220)
        text_row.addWidget(self.text, 1)
        side = QVBoxLayout()
        side.addWidget(self.placeholders, 1)
        hint = QLabel("Doppelklick oder Eingabetaste fügt ein.")
        hint.setWordWrap(True)
        side.addWidget(hint)
        text_row.addLayout(side)
        # Built by hand, not with labelled_row: the label's mnemonic must reach the text itself.
        text_holder = QWidget()
        text_column = QVBoxLayout(text_holder)
        text_column.setContentsMargins(0, 0, 0, 0)
        text_column.addLayout(text_row)
        self.errors["blocks"] = error_label()
        self.errors["blocks"].setObjectName("blocksError")
        text_column.addWidget(self.errors["blocks"])
        text_label = QLabel("Te&xt (jede Zeile ein Absatz):")
        text_label.setBuddy(self.text)
        form.addRow(text_label, text_holder)
        self.text.setAccessibleName("Text der Vorlage")
        placeholder_label = QLabel("&Platzhalter:")
        placeholder_label.setBuddy(self.placeholders)
        self.placeholders.setAccessibleName("Platzhalter")
        side.insertWidget(0, placeholder_label)

        self.fields = FieldsTable()
        labelled_row(form, "F&elder:", self.fields, self.errors, "fields")
        self.fields.table.setAccessibleName("Felder der Vorlage")
        self.initials_only = QCheckBox("&Initialen statt Name")
        self.show_birth_date = QCheckBox("&Geburtsdatum zeigen")
        self.active = QCheckBox("Vorlage a&ktiv (bei der Ausstellung wählbar)")
        flags = QVBoxLayout()
        for box in (self.initials_only, self.show_birth_date, self.active):
            flags.addWidget(box)
            box.toggled.connect(self._changed)
        form.addRow("Optionen:", flags)

        self.check_message = QLabel()
        self.check_message.setObjectName("templateCheck")
        self.check_message.setWordWrap(True)
        self.check_message.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Vorlage speichern (Strg+S)")
        self.save_button.clicked.connect(self.save)
        self.preview_button = QPushButton("Vorscha&u")
        self.preview_button.setToolTip("Die Vorlage mit Beispielwerten als PDF zeigen")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form, 1)
        # Outside the scrolling form (the tab places it below): "Speichern" and the check's
        # verdict stay in sight however long the template is.
        self.footer = QWidget()
        footer = QVBoxLayout(self.footer)
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.check_message)
        footer.addLayout(buttons)
        self.footer.setEnabled(False)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.title.textChanged.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self.text.textChanged.connect(self._changed)
        self.fields.changed.connect(self._changed)

    # -- showing -----------------------------------------------------------------------------

    def show_template(self, template: Template, *, new: bool = False) -> None:
        self._filling = True
        self.loaded, self.is_new = template, new
        self.title.setText(template.title)
        index = self.kind.findData(template.kind)
        if index < 0:  # a default's own kind, not in KIND_LABELS: named by its title
            self.kind.addItem(template.title, template.kind)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)
        self.kind.setEnabled(not template.builtin)  # a default's kind decides its layout
        self.text.setPlainText("\n\n".join(template.blocks))
        self.fields.set_fields(template.fields)
        self.initials_only.setChecked(template.initials_only)
        self.show_birth_date.setChecked(template.show_birth_date)
        self.active.setChecked(template.active)
        self.origin.setText(self._origin_text(template, new))
        self._filling = False
        self.setEnabled(True)
        self.footer.setEnabled(True)
        self._fill_placeholders()
        self.check()
        self._report_dirty()

    @staticmethod
    def _origin_text(t: Template, new: bool) -> str:
        if new:
            return f"Neue Vorlage „{t.key}“ – noch nicht gespeichert."
        if t.builtin:
            return (f"Standardvorlage „{t.key}“, "
                    + ("vom Team angepasst." if t.modified else "unverändert."))
        return f"Eigene Vorlage „{t.key}“."

    def _fill_placeholders(self) -> None:
        current = self.placeholders.currentRow()
        self.placeholders.clear()
        names = list(PLACEHOLDERS.items())
        names += [(f.key, f"Feld: {f.label}") for f in self.fields.fields() if f.key]
        for name, meaning in names:
            item = QListWidgetItem(f"{{{name}}} – {meaning}")
            item.setData(PLACEHOLDER_ROLE, name)
            self.placeholders.addItem(item)
        self.placeholders.setCurrentRow(max(0, min(current, self.placeholders.count() - 1)))

    def insert_placeholder(self, item: QListWidgetItem) -> None:
        """``{name}`` at the text's cursor; the keyboard goes back to the text."""
        self.text.insertPlainText(f"{{{item.data(PLACEHOLDER_ROLE)}}}")
        self.text.setFocus()

    # -- reading the form --------------------------------------------------------------------

    def current(self) -> Template | None:
        if self.loaded is None:
            return None
        return replace(self.loaded, title=self.title.text().strip(),
                       kind=str(self.kind.currentData() or self.loaded.kind),
                       blocks=split_blocks(self.text.toPlainText()),
                       fields=self.fields.fields(),
                       initials_only=self.initials_only.isChecked(),
                       show_birth_date=self.show_birth_date.isChecked(),
                       active=self.active.isChecked())

    def has_unsaved_changes(self) -> bool:
        return self.loaded is not None and (self.is_new or self.current() != self.loaded)

    def _changed(self) -> None:
        if self._filling:
            return
        self._fill_placeholders()  # a field added or renamed is a placeholder now
        self.check()
        self._report_dirty()

    def _report_dirty(self) -> None:
        dirty = self.has_unsaved_changes()
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    def check(self) -> bool:
        """The service's check on what is typed now; its message at the input it concerns."""
        for shown in self.errors.values():
            shown.hide()
        self.check_message.setStyleSheet("")
        template = self.current()
        if template is None:
            return False
        try:
            check_template(template)
        except ValidationFailed as exc:
            label = self.errors.get(error_key(exc.field, exc.message_de))
            if label is not None:
                label.setText(exc.message_de)
                label.show()
            self.check_message.setStyleSheet(ERROR_STYLE)
            self.check_message.setText(exc.message_de if label is None
                                       else "Bitte die markierte Angabe korrigieren.")
            return False
        self.check_message.setText("Die Vorlage ist in Ordnung."
                                   + (" Noch nicht gespeichert." if self.has_unsaved_changes()
                                      else ""))
        return True

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        template = self.current()
        if template is None or not self.save_button.isEnabled() or not self.isEnabled():
            return
        if not self.check():
            self.check_message.setText(NOT_SAVED_DE + " " + self.check_message.text())
            return
        self.save_button.setEnabled(False)
        self.check_message.setText("Die Vorlage wird gespeichert …")

        def store(vault: Vault) -> str:
            save_template(vault, template)
            return template.key

        self.ctx.run(store, self._saved, self._save_failed)

    def _saved(self, key: str) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(key)  # the tab reads the stored template back and shows it

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        field = exc.field if isinstance(exc, ValidationFailed) else None
        at_field = self.errors.get(error_key(field, german_message(exc)))
        if at_field is not None:
            at_field.setText(german_message(exc))
            at_field.show()
        self.check_message.setStyleSheet(ERROR_STYLE)
        self.check_message.setText(NOT_SAVED_DE + " " + german_message(exc))

