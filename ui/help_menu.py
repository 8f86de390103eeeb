"""The "Hilfe" menu (Alt+I, F1): Tastenkürzel, Einführung, Bescheinigung prüfen, Über Lotse.

The shortcut list is read from the QShortcut and QAction objects the window holds at that
moment (pages, open case files), merged with the ones that exist only while a case file is
open, so it cannot go stale: a new shortcut shows up by itself (with its action's text, or a
description from SHORTCUT_TEXTS).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import german_message
from ui.orientation import show_orientation

if TYPE_CHECKING:  # the window loads only Qt before unlocking; the core comes later
    from app.about import About
    from ui.context import AppContext

# What a shortcut does, by its portable key text; the actions' own texts complement it.
SHORTCUT_TEXTS: dict[str, str] = {
    "F1": "Hilfe: diese Liste der Tastenkürzel",
    "F5": "Jetzt synchronisieren (Bündel senden und übernehmen)",
    "Ctrl+L": "Lotse sofort sperren",
    "Ctrl+N": "Neuen Fall anlegen",
    "Ctrl+S": "Speichern (im Formular, in dem Sie gerade schreiben)",
    "Ctrl+W": "Geöffnete Fallakte oder Fallkonferenz schließen",
    "Ctrl+F": "Suchen",
    "Ctrl+Tab": "Zum nächsten Reiter",
    "Ctrl+Shift+Tab": "Zum vorigen Reiter",
    "Ctrl+Shift+P": "Bescheinigung prüfen (PDF, Scan oder Prüfnummer)",
    "Ctrl+Return": "Bescheinigung ausstellen (im Dialog „Bescheinigung ausstellen“)",
    "Ctrl+Enter": "Bescheinigung ausstellen (Eingabetaste des Ziffernblocks)",
    "Ctrl+P": "Drucken (in der Vorschau einer Bescheinigung)",
}
# Shortcuts of a case file exist only while one is open: listed anyway where case files can be
# opened (not in a steering committee's vault, which holds no case).
CASE_FILE: tuple[tuple[str, str], ...] = (
    ("Ctrl+S", "Speichern (in der Fallakte: das Formular, in dem Sie schreiben)"),
    ("Alt+1 … Alt+0", "Abschnitt der geöffneten Fallakte wählen"),
)
# Ctrl+1 … as far as the workspace has pages (eight, or three in a steering committee's vault).
PAGES_TEXT = "Seite oder Reiter wählen (in der Reihenfolge der Reiter)"
ALWAYS: tuple[tuple[str, str], ...] = (
    ("Alt + unterstrichener Buchstabe", "Feld oder Knopf mit diesem Buchstaben"),
    ("Tab / Umschalt+Tab", "Zum nächsten / vorigen Feld"),
)
NO_TEXT = "(ohne Beschreibung)"  # a new shortcut lacks its line in SHORTCUT_TEXTS
GERMAN_KEYS = (("Ctrl+", "Strg+"), ("Shift+", "Umschalt+"), ("Meta+", "Meta+"))


def german_keys(text: str) -> str:
    for english, german in GERMAN_KEYS:
        text = text.replace(english, german)
    return text


def _numbered(key: str) -> bool:
    """Ctrl+1..9 and Alt+0..9 are one row each (the pages', the case file's)."""
    head, _, last = key.rpartition("+")
    return head in ("Ctrl", "Alt") and last.isdigit()


def _pages_row(keys: set[str]) -> tuple[tuple[str, str], ...]:
    """The Ctrl+digit row for the pages the window holds (none while locked)."""
    last = max((int(key[-1]) for key in keys if key.startswith("Ctrl+")), default=0)
    if last == 0:
        return ()
    return (("Ctrl+1" if last == 1 else f"Ctrl+1 … Ctrl+{last}", PAGES_TEXT),)


def collect_shortcuts(window: QWidget, *, case_files: bool = True) -> list[tuple[str, str]]:
    """(German key text, what it does) for every shortcut the window holds, then the case
    file's (``case_files``: not in a steering committee's vault), the pages' and ALWAYS."""
    found: dict[str, str] = {}
    numbered: set[str] = set()
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)
        if key and _numbered(key):
            numbered.add(key)
        elif key:
            found.setdefault(key, shortcut.whatsThis() or SHORTCUT_TEXTS.get(key, ""))
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if key and not _numbered(key):
                text = action.text().replace("&", "").rstrip("…. ")
                found[key] = SHORTCUT_TEXTS.get(key) or text
    listed = (CASE_FILE if case_files else ()) + _pages_row(numbered) + ALWAYS
    always = {key for key, _text in listed}
    rows = [(german_keys(key), text or NO_TEXT) for key, text in found.items()
            if key not in always]
    rows.sort(key=lambda row: (len(row[0]), row[0]))
    return rows + [(german_keys(key), text) for key, text in listed]


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts")
        self.setWindowTitle("Tastenkürzel")
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Tasten", "Wirkung"])
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for r, (key, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(key))
            self.table.setItem(r, 1, QTableWidgetItem(text))
        label = QLabel("&Tastenkürzel in Lotse:")
        label.setBuddy(self.table)
        self.table.setAccessibleName("Tastenkürzel")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        self.resize(620, 480)

    def rows(self) -> list[tuple[str, str]]:
        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]


class AboutDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.setWindowTitle("Über Lotse")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from app.about import installed_version

        self.show_facts(installed_version(), folder, "(nach dem Entsperren)", "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(_close_buttons(self))

    def show_facts(self, version: str, folder: Path, revision: str, extra: str) -> None:
        lines = [f"Lotse, Version {version}", f"Tresor: {folder}",
                 f"Datenbankschema: {revision}"]
        self.text.setText("\n".join(lines + ([extra] if extra else [])))

    def show_about(self, info: About) -> None:
        extra = f"Tresorkürzel: {info.vault_code}"
        if info.demo:
            extra += "\nDemo-Tresor: nur erfundene Daten"
        self.show_facts(info.version, info.vault_folder, info.schema_revision, extra)


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Schließen")
    buttons.rejected.connect(dialog.reject)
    return buttons


class HelpMenu:
    """Builds the menu on the window's menu bar; the dialogs open window-modal (``open``)."""

    def __init__(self, window: QMainWindow, folder: Path,
                 context: Callable[[], AppContext | None],
                 steering: Callable[[], bool] = lambda: False) -> None:
        self.window, self.folder, self.context = window, folder, context
        self.steering = steering  # a steering committee's vault (known once unlocked)
        menu = window.menuBar().addMenu("H&ilfe")  # Alt+H is Heute
        menu.setObjectName("helpMenu")
        self.shortcuts_action = QAction("&Tastenkürzel …", window)
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.orientation_action = QAction("&Einführung …", window)
        self.orientation_action.triggered.connect(
            lambda: show_orientation(window, steering=self.steering()))
        # Anyone with Lotse can check a certificate handed to them, from wherever they are.
        self.verify_action = QAction("Bescheinigung &prüfen …", window)
        self.verify_action.setObjectName("verifyCertificateAction")
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.verify_action.triggered.connect(self.verify_certificate)
        self.about_action = QAction("Ü&ber Lotse …", window)
        self.about_action.triggered.connect(self.show_about)
        for action in (self.shortcuts_action, self.orientation_action, self.verify_action,
                       self.about_action):
            menu.addAction(action)
        self.menu = menu

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(collect_shortcuts(self.window, case_files=not self.steering()),
                                 self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def verify_certificate(self) -> QWidget | None:
        """The "Bescheinigung prüfen" dialog; it reads the keys this vault trusts, so it
        needs an unlocked vault."""
        ctx = self.context()
        if ctx is None:
            self.window.statusBar().showMessage(
                "Zum Prüfen einer Bescheinigung entsperren Sie bitte zuerst Lotse.", 10000)
            return None
        from ui.certificates.verify_dialog import open_verify_dialog

        return open_verify_dialog(ctx, self.window)

    def show_about(self) -> AboutDialog:
        from app.about import about, installed_version

        dialog = AboutDialog(self.folder, self.window)  # kept: a late answer finds it alive
        ctx = self.context()
        if ctx is not None:  # unlocked: the schema revision comes from the store
            ctx.run(about, dialog.show_about,
                    lambda exc: dialog.show_facts(installed_version(), self.folder,
                                                  german_message(exc), ""))
        dialog.open()
        return dialog


def install_help_menu(window: QMainWindow, folder: Path,
                      context: Callable[[], AppContext | None],
                      steering: Callable[[], bool] = lambda: False) -> HelpMenu:
    return HelpMenu(window, folder, context, steering)
