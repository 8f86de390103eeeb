"""Einstellungen → Vorlagen: the certificate templates of the team, one edited at a time.

The list shows every template (inactive ones too); choosing another one, starting a new one or
restoring a default asks first when the edited one has unsaved changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.certificates.records import KIND_LABELS
from app.services.templates.read import templates
from app.services.templates.records import Template
from app.services.templates.write import reset_template
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.settings.template_editor import TemplateEditor
from ui.settings.template_preview import TemplatePreview

HEADERS = ("Titel", "Art", "Fassung", "Aktiv")
DISCARD_DE = "Änderungen &verwerfen"


def kind_label(t: Template) -> str:
    """German for the kind; a kind without a label (a default's own) is named by its title."""
    return KIND_LABELS.get(t.kind, t.title)


def origin_label(t: Template) -> str:
    if not t.builtin:
        return "eigene"
    return "angepasst" if t.modified else "Standard"


class TemplatesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("templatesTab")
        self.items: list[Template] = []
        self.loaded_once = False
        self._build()

    def _build(self) -> None:
        self.list = QTableWidget(0, len(HEADERS))
        self.list.setObjectName("templateList")
        self.list.setAccessibleName("Vorlagen")
        self.list.setHorizontalHeaderLabels(HEADERS)
        self.list.setTabKeyNavigation(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().hide()
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentCellChanged.connect(self._row_changed)
        list_label = QLabel("&Liste der Vorlagen:")
        list_label.setBuddy(self.list)
        self.new_button = QPushButton("&Neue Vorlage")
        self.new_button.setToolTip("Eine Kopie der gewählten Vorlage als neue Vorlage anlegen")
        self.new_button.clicked.connect(self.new_template)
        self.reset_button = QPushButton("Standard &wiederherstellen …")
        self.reset_button.clicked.connect(self.ask_reset)
        self.message = QLabel()
        self.message.setObjectName("templatesMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        # The list on top (a team has a handful of templates), editor and preview side by side
        # below: at 1280×720 both get the width they need.
        self.list.setMaximumHeight(130)
        actions = QVBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.message)
        actions.addStretch(1)
        actions_box = QWidget()
        actions_box.setLayout(actions)
        actions_box.setFixedWidth(280)
        listing = QVBoxLayout()
        listing.addWidget(list_label)
        listing.addWidget(self.list)
        top = QHBoxLayout()
        top.addLayout(listing, 1)
        top.addWidget(actions_box)

        self.editor = TemplateEditor(self.ctx)
        self.editor.saved.connect(self._saved)
        self.editor.dirty_changed.connect(self._dirty_changed)
        self.preview = TemplatePreview(self.ctx)
        self.editor.preview_button.clicked.connect(self.show_preview)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.editor)
        editing = QWidget()
        editing_column = QVBoxLayout(editing)
        editing_column.setContentsMargins(0, 0, 0, 0)
        editing_column.addWidget(scroll, 1)
        editing_column.addWidget(self.editor.footer)
        splitter = QSplitter()
        splitter.addWidget(editing)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 500])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(splitter, 1)
        self._enable()

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.loaded_once:  # read when first opened, not with the settings page
            self.loaded_once = True
            self.reload()

    def reload(self, select: str | None = None, done: str = "") -> None:
        """Read the list again; ``done`` is said once the list shows the stored state."""
        keep = select or (self.editor.loaded.key if self.editor.loaded else None)
        self.ctx.run(lambda vault: templates(vault, include_inactive=True),
                     lambda items: self._listed(items, keep, done), self._failed)

    def _listed(self, items: list[Template], keep: str | None, done: str = "") -> None:
        self.items = list(items)
        blocked = self.list.blockSignals(True)
        self.list.setRowCount(0)
        for t in self.items:
            row = self.list.rowCount()
            self.list.insertRow(row)
            for column, text in enumerate((t.title, kind_label(t),
                                           origin_label(t), "ja" if t.active else "nein")):
                self.list.setItem(row, column, QTableWidgetItem(text))
        row = next((i for i, t in enumerate(self.items) if t.key == keep), 0)
        if self.items:
            self.list.setCurrentCell(row, 0)  # signals blocked: shown here, with no question
        self.list.blockSignals(blocked)
        if self.items:
            self.editor.show_template(self.items[row])
        self._enable()
        self.message.setText(done)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _enable(self) -> None:
        t = self.editor.loaded
        self.new_button.setEnabled(t is not None)
        self.reset_button.setEnabled(t is not None and t.builtin and not self.editor.is_new
                                     and (t.modified or self.editor.has_unsaved_changes()))

    def _dirty_changed(self, _dirty: bool) -> None:
        self.preview_stale()
        self._enable()

    def preview_stale(self) -> None:
        if self.preview.pdf is not None:
            self.preview.status.setText("Die Vorschau zeigt einen früheren Stand – "
                                        "„Vorschau“ zeigt den jetzigen.")

    # -- choosing ----------------------------------------------------------------------------

    def selected(self) -> Template | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _row_changed(self, row: int, _column: int, previous: int, _previous_column: int) -> None:
        if not 0 <= row < len(self.items):
            return
        chosen = self.items[row]
        if self.editor.loaded is not None and chosen.key == self.editor.loaded.key \
                and not self.editor.is_new:
            return
        if not self.editor.has_unsaved_changes():
            self._open(chosen)
            return
        # Stay on the edited one until the person decided.
        blocked = self.list.blockSignals(True)
        self.list.setCurrentCell(previous, 0)
        self.list.blockSignals(blocked)
        self.ask_discard(lambda: self._choose(chosen.key))

    def _choose(self, key: str) -> None:
        row = next((i for i, t in enumerate(self.items) if t.key == key), -1)
        if row >= 0:
            blocked = self.list.blockSignals(True)
            self.list.setCurrentCell(row, 0)
            self.list.blockSignals(blocked)
            self._open(self.items[row])

    def _open(self, template: Template) -> None:
        self.message.clear()
        self.preview.forget()
        self.editor.show_template(template)
        self._enable()

    def ask_discard(self, then: Callable[[], None]) -> None:
        title = self.editor.loaded.title if self.editor.loaded else ""
        confirm(self, "Ungespeicherte Änderungen",
                f"In der Vorlage „{title}“ gibt es ungespeicherte Änderungen. Verwerfen?",
                DISCARD_DE, then)

    def discard(self) -> None:
        """Back to the stored version of the template being edited."""
        chosen = self.selected()
        if chosen is not None:
            self._open(chosen)

    # -- new, reset, preview -----------------------------------------------------------------

    def new_template(self) -> None:
        if self.editor.has_unsaved_changes():
            self.ask_discard(self._new_copy)
        else:
            self._new_copy()

    def _new_copy(self) -> None:
        base = self.selected()
        if base is None:
            return
        keys = {t.key for t in self.items}
        stem = base.key.split("_kopie")[0]
        key = f"{stem}_kopie"
        n = 2
        while key in keys:
            key, n = f"{stem}_kopie{n}", n + 1
        copy = replace(base, key=key, title=f"{base.title} (Kopie)", builtin=False,
                       modified=False)
        self.preview.forget()
        self.editor.show_template(copy, new=True)
        self.message.setText("Neue Vorlage als Kopie angelegt; sie wird mit „Speichern“ "
                             "gespeichert.")
        self._enable()
        self.editor.title.setFocus()
        self.editor.title.selectAll()

    def ask_reset(self) -> None:
        t = self.editor.loaded
        if t is None or not t.builtin:
            return
        confirm(self, "Standard wiederherstellen",
                f"Die Vorlage „{t.title}“ bekommt wieder den Text, die Felder und die "
                "Einstellungen der Standardfassung. Die Änderungen des Teams daran gehen "
                "verloren. Bereits ausgestellte Bescheinigungen bleiben, wie sie sind.",
                "Standard &wiederherstellen", self._reset)

    def _reset(self) -> None:
        t = self.editor.loaded
        if t is None:
            return
        key = t.key
        self.reset_button.setEnabled(False)
        self.ctx.run(lambda vault: reset_template(vault, key), lambda _r: self._was_reset(key),
                     self._failed)

    def _was_reset(self, key: str) -> None:
        self.editor.loaded = None  # nothing unsaved any more: the stored default is shown
        self.reload(select=key, done="Die Standardfassung wurde wiederhergestellt.")

    def show_preview(self) -> None:
        template = self.editor.current()
        if template is not None:
            self.preview.render_template(template)

    def _saved(self, key: str) -> None:
        self.editor.loaded = None  # stored: the list's fresh copy becomes the loaded one
        self.reload(select=key, done="Die Vorlage wurde gespeichert.")

    def has_unsaved_changes(self) -> bool:
        return self.editor.has_unsaved_changes()

