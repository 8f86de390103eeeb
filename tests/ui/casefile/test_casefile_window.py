"""The case-file window on the real encrypted store: header, section keys, drafts, the person."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.cases import read as casefile_read
from app.services.cases.read import get_case
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    loaded_journal,
    next_row,
    open_case,
    section_of,
)
from ui.casefile.sections.journal import JournalSection
from ui.casefile.sections.overview import PersonSection
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext

# The fixture lives in the helper module; naming it here makes pytest use it.


def test_header_and_tab_title(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    widget = CaseFileWidget(ctx, case_id)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.title_changed, timeout=TIMEOUT) as title:
        widget.show()
    ctx.wait_idle()  # the sections are still reading; the test may only use an idle vault
    number = get_case(ctx.vault(), case_id).case_number
    assert title.args == [f"Öztürk, A. – {number}"]
    shown = [label.text() for label in (widget.header_name, widget.header_number,
             widget.header_phase, widget.header_manager, widget.header_deadline)]
    assert shown == ["Öztürk, Ayşe", f"Aktenzeichen: {number}", "Phase: Klärung / Zugang",
                     "Fallmanager:in: Test Fallmanagerin", "Nächste Frist: keine"]


def test_draft_survives_on_a_new_widget(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    first = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, first)
    journal.contact_kind.setCurrentIndex(journal.contact_kind.findData("home_visit"))
    journal.place.setEditText("Lindenstraße 4")
    journal.interpreter.setChecked(True)
    journal.language.setText("Türkisch")
    journal.duration.setValue(30)
    journal.text.setPlainText("Hausbesuch: Schulanmeldung der Tochter besprochen")
    first.show_section("")  # the person turns to Person & Haushalt: it loads when shown
    person = section_of(first, "", PersonSection)
    qtbot.waitUntil(person.isEnabled, timeout=TIMEOUT)
    person.edits["phone"].setText("0231 123456")
    assert first.has_unsaved_changes()
    state = first.draft_state()
    assert set(state) == {"", "journal"}

    second = CaseFileWidget(ctx, case_id)
    qtbot.addWidget(second)
    second.restore_draft(state)  # before the person data arrived: applied once it is loaded
    restored = section_of(second, "journal", JournalSection)
    assert restored.text.toPlainText() == "Hausbesuch: Schulanmeldung der Tochter besprochen"
    assert (restored.contact_kind.currentData(), restored.place.currentText(),
            restored.interpreter.isChecked(), restored.language.text(),
            restored.duration.value()) == ("home_visit", "Lindenstraße 4", True, "Türkisch", 30)
    assert restored.occurred_at.value() == journal.occurred_at.value()
    second_person = section_of(second, "", PersonSection)
    qtbot.waitUntil(second_person.isEnabled, timeout=TIMEOUT)
    assert second_person.edits["phone"].text() == "0231 123456"
    assert second_person.edits["family_name"].text() == "Öztürk"
    assert second.has_unsaved_changes()


def test_person_form_validates_and_saves(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id)
    person = section_of(widget, "", PersonSection)
    qtbot.waitUntil(person.isEnabled, timeout=TIMEOUT)
    person.edits["family_name"].clear()
    person.edits["address_postcode"].setText("44135")
    assert widget.has_unsaved_changes()
    person.edits["address_postcode"].setFocus()
    qtbot.keyClick(person.edits["address_postcode"], Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)
    message = person.errors.labels["family_name"]
    assert message.text() == "Bitte Vor- und Familiennamen angeben."
    assert next_row(message, person.edits["family_name"])
    person.edits["family_name"].setText("Öztürk-Yılmaz")
    qtbot.mouseClick(person.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: person.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)
    assert not widget.has_unsaved_changes()
    qtbot.waitUntil(lambda: widget.header_name.text() == "Öztürk-Yılmaz, Ayşe", timeout=TIMEOUT)
    ctx.wait_idle()
    stored = casefile_read.person_data(ctx.vault(), case_id).values
    assert (stored["family_name"], stored["address_postcode"]) == ("Öztürk-Yılmaz", "44135")


def test_section_shortcuts_and_navigation(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id)
    assert widget.current_section() == ""
    qtbot.keyClick(widget.nav, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert widget.stack.currentWidget() is widget.section(widget.current_section())
    assert widget.current_section() == "journal"
    qtbot.keyClick(widget.nav, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert widget.current_section() == "phase"
    qtbot.keyClick(widget.nav, Qt.Key.Key_Up)  # arrows move through the sections, too
    assert widget.current_section() == "documents"
    qtbot.keyClick(widget.nav, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert widget.current_section() == "history"
    qtbot.keyClick(widget.nav, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert widget.stack.currentWidget() is widget.section("")
    widget.show_section("history")
    assert (widget.nav.currentItem().text(), widget.nav.currentItem().toolTip()) == \
        ("0  Protokoll", "Alt+0")
