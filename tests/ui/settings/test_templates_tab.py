"""Einstellungen → Vorlagen, driven from the keyboard at 1280×720 on a real vault: edit a
default's text, insert a placeholder, save, preview as PDF; an unknown placeholder is refused
with nothing stored; the default comes back; unsaved edits are not dropped unasked."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from app.services.templates.read import default_templates, template
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.settings.settings_helpers import WAIT
from tests.ui.settings.tabs_helpers import ALT, CTRL, TEMPLATES, focused, open_tab
from ui.context import AppContext
from ui.settings.page import SettingsPage
from ui.settings.templates_tab import TemplatesTab


def templates_tab(qtbot: QtBot, ctx: AppContext) -> tuple[SettingsPage, TemplatesTab]:
    page = open_tab(qtbot, ctx, TEMPLATES)
    tab = page.templates_tab
    assert tab is not None  # None only in a steering committee's vault
    qtbot.waitUntil(lambda: tab.editor.loaded is not None, timeout=WAIT)
    return page, tab


def type_at_end(qtbot: QtBot, tab: TemplatesTab, text: str) -> None:
    """A new paragraph at the end of the text, typed key by key."""
    editor = tab.editor.text
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


def pick_placeholder(qtbot: QtBot, tab: TemplatesTab, name: str) -> None:
    """Alt+P to the list, arrow keys to ``{name}``, Enter inserts it at the text's cursor."""
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_P, ALT)
    listing = tab.editor.placeholders
    assert listing.hasFocus()
    for _ in range(listing.count()):
        item = listing.currentItem()
        if item is not None and item.text().startswith(f"{{{name}}}"):
            break
        qtbot.keyClick(listing, Qt.Key.Key_Down)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert tab.editor.text.hasFocus()  # back where the person writes


def test_edit_insert_placeholder_save_preview_and_restore(qtbot: QtBot,
                                                          ctx: AppContext) -> None:
    _page, tab = templates_tab(qtbot, ctx)
    edited = tab.editor.loaded
    assert edited is not None and edited.builtin and not edited.modified
    assert tab.list.rowCount() == len(tab.items) >= 2
    assert not tab.editor.kind.isEnabled()  # a default keeps its kind

    type_at_end(qtbot, tab, "Ausgestellt in ")
    pick_placeholder(qtbot, tab, "ort")
    qtbot.keyClicks(tab.editor.text, " nach Aktenlage.")
    assert tab.editor.text.toPlainText().endswith("Ausgestellt in {ort} nach Aktenlage.")
    assert tab.editor.has_unsaved_changes()
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: tab.message.text() == "Die Vorlage wurde gespeichert.",
                    timeout=WAIT)
    ctx.wait_idle()
    stored = template(ctx.vault(), edited.key)
    assert stored.blocks[-1] == "Ausgestellt in {ort} nach Aktenlage."
    assert stored.blocks[:-1] == edited.blocks and stored.modified
    assert not tab.editor.has_unsaved_changes()
    assert tab.list.item(tab.list.currentRow(), 2).text() == "angepasst"

    # Vorschau: the real renderer, the sample values filled in, shown as a PDF.
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_U, ALT)
    qtbot.waitUntil(lambda: tab.preview.pdf is not None, timeout=WAIT)
    assert tab.preview.document.status() == QPdfDocument.Status.Ready
    assert tab.preview.document.pageCount() == 1
    assert tab.preview.pdf is not None and tab.preview.pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=tab.preview.pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Ausgestellt in" in text and "{ort}" not in text and "nach Aktenlage." in text

    # Standard wiederherstellen, after a confirmation.
    assert tab.reset_button.isEnabled()
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_W, ALT)
    question = answer_confirmation(qtbot, tab, "Standard &wiederherstellen")
    assert "Standardfassung" in question
    qtbot.waitUntil(lambda: tab.message.text() == "Die Standardfassung wurde wiederhergestellt.",
                    timeout=WAIT)
    ctx.wait_idle()
    default = next(t for t in default_templates() if t.key == edited.key)
    restored = template(ctx.vault(), edited.key)
    assert restored.blocks == default.blocks and not restored.modified
    qtbot.waitUntil(lambda: tab.editor.loaded == restored, timeout=WAIT)
    assert "Aktenlage" not in tab.editor.text.toPlainText()


def test_unknown_placeholder_is_refused_and_nothing_stored(qtbot: QtBot,
                                                           ctx: AppContext) -> None:
    _page, tab = templates_tab(qtbot, ctx)
    assert tab.editor.loaded is not None
    key = tab.editor.loaded.key
    ctx.wait_idle()
    before = template(ctx.vault(), key)
    type_at_end(qtbot, tab, "Wohnhaft im Stadtteil {stadtteil}.")
    blocks_error = tab.editor.errors["blocks"]
    assert not blocks_error.isHidden()  # at the text, while typing
    assert "stadtteil" in blocks_error.text() and "Platzhalter" in blocks_error.text()
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_S, CTRL)
    assert tab.editor.check_message.text().startswith("Die Vorlage wurde nicht gespeichert.")
    ctx.wait_idle()
    assert template(ctx.vault(), key) == before
    assert tab.editor.has_unsaved_changes()  # the text stays for correcting


def test_switching_template_asks_before_dropping_edits(qtbot: QtBot, ctx: AppContext) -> None:
    page, tab = templates_tab(qtbot, ctx)
    first = tab.editor.loaded
    assert first is not None
    type_at_end(qtbot, tab, "Noch nicht gespeichert.")
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Down)
    answer_confirmation(qtbot, tab, "&Abbrechen")
    assert tab.editor.loaded == first and tab.list.currentRow() == 0
    assert tab.editor.text.toPlainText().endswith("Noch nicht gespeichert.")

    # Leaving the tab asks as well; "Abbrechen" stays.
    qtbot.keyClick(tab.list, Qt.Key.Key_M, ALT)
    answer_confirmation(qtbot, page, "&Abbrechen")
    assert page.tabs.currentWidget() is tab

    qtbot.keyClick(tab.list, Qt.Key.Key_Down)
    answer_confirmation(qtbot, tab, "Änderungen &verwerfen")
    second = tab.items[1]
    assert tab.editor.loaded == second and tab.list.currentRow() == 1
    assert not tab.editor.has_unsaved_changes()
    ctx.wait_idle()
    assert template(ctx.vault(), first.key) == first  # nothing stored


def test_new_template_is_a_copy_with_a_new_key(qtbot: QtBot, ctx: AppContext) -> None:
    _page, tab = templates_tab(qtbot, ctx)
    base = tab.editor.loaded
    assert base is not None
    qtbot.keyClick(tab.list, Qt.Key.Key_N, ALT)  # a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: tab.editor.is_new, timeout=WAIT)
    assert tab.editor.title.hasFocus()
    qtbot.keyClicks(tab.editor.title, "Bescheinigung Sprachcafe")
    qtbot.keyClick(tab.editor.title, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: tab.message.text() == "Die Vorlage wurde gespeichert.",
                    timeout=WAIT)
    ctx.wait_idle()
    new_key = f"{base.key}_kopie"
    stored = template(ctx.vault(), new_key)
    assert stored.title == "Bescheinigung Sprachcafe" and not stored.builtin
    assert stored.blocks == base.blocks and stored.kind == base.kind
    assert template(ctx.vault(), base.key) == base
    assert tab.editor.loaded == stored and not tab.editor.is_new


def type_in_cell(qtbot: QtBot, table: QTableWidget, text: str) -> None:
    """Type into the cell being edited and confirm with Enter, as in any spreadsheet."""
    editing = QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: table.state() == editing, timeout=WAIT)
    cell = QApplication.focusWidget()
    assert cell is not None and table.isAncestorOf(cell)
    qtbot.keyClicks(cell, text)
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != editing, timeout=WAIT)


def test_a_field_added_is_a_placeholder_and_removing_it_is_caught(qtbot: QtBot,
                                                                   ctx: AppContext) -> None:
    _page, tab = templates_tab(qtbot, ctx)
    # The shortest default: the others come close to the one-page budget with a field more.
    tab.list.setFocus()
    for _ in range(len(tab.items)):
        if tab.editor.loaded is not None and tab.editor.loaded.key == "vorsprache":
            break
        qtbot.keyClick(tab.list, Qt.Key.Key_Down)
    edited = tab.editor.loaded
    assert edited is not None
    fields = tab.editor.fields
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_H, ALT)  # Feld &hinzufügen
    qtbot.waitUntil(lambda: fields.table.rowCount() == len(edited.fields) + 1, timeout=WAIT)
    row = fields.table.rowCount() - 1
    assert tab.editor.errors["fields"].isVisible()  # a field without a key is not valid yet
    type_in_cell(qtbot, fields.table, "kurs")  # the key cell is in edit mode already
    qtbot.keyClick(fields.table, Qt.Key.Key_Right)
    qtbot.keyClick(fields.table, Qt.Key.Key_F2)
    type_in_cell(qtbot, fields.table, "Name des Kurses")
    assert fields.fields()[row].key == "kurs"
    assert not tab.editor.errors["fields"].isVisible()

    type_at_end(qtbot, tab, "Kurs: ")
    pick_placeholder(qtbot, tab, "kurs")  # the new field is offered as a placeholder
    qtbot.keyClick(tab.editor.text, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: tab.message.text() == "Die Vorlage wurde gespeichert.",
                    timeout=WAIT)
    ctx.wait_idle()
    stored = template(ctx.vault(), edited.key)
    assert stored.blocks[-1] == "Kurs: {kurs}"
    assert stored.fields[-1].key == "kurs" and stored.fields[-1].label == "Name des Kurses"

    # Removing the field leaves {kurs} in the text: caught at once, not storable.
    fields.table.setFocus()
    fields.table.setCurrentCell(fields.table.rowCount() - 1, 0)
    qtbot.keyClick(fields.table, Qt.Key.Key_F, ALT)  # Feld ent&fernen
    qtbot.waitUntil(lambda: fields.table.rowCount() == len(stored.fields) - 1, timeout=WAIT)
    assert "{kurs}" in tab.editor.errors["blocks"].text()
    assert tab.editor.errors["blocks"].isVisible()


def test_both_tabs_leave_tables_on_tab_and_name_their_inputs(qtbot: QtBot,
                                                            ctx: AppContext) -> None:
    page, _tab = templates_tab(qtbot, ctx)
    for index in (1, 2):
        if index == 2:
            qtbot.keyClick(focused(page), Qt.Key.Key_Udiaeresis, ALT)
            qtbot.waitUntil(lambda: page.keys_tab.own is not None, timeout=WAIT)
        shown = page.tabs.widget(index)
        views = [v for v in shown.findChildren(QAbstractItemView) if v.isVisibleTo(shown)]
        assert views and all(not v.tabKeyNavigation() for v in views), index
        fields = [w for kind in (QLineEdit, QComboBox, QPlainTextEdit)
                  for w in shown.findChildren(kind)
                  if w.isVisibleTo(shown) and not isinstance(w.parent(), QComboBox)]
        assert fields
        unnamed = [w.objectName() or type(w).__name__ for w in fields
                   if not QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)]
        assert unnamed == [], index
