"""The case file's journal quick entry: outreach contacts stored and listed, labelled inputs."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services.cases.read import get_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    column,
    history_of,
    loaded_journal,
    next_row,
    open_case,
    row,
)
from tests.ui.model_check import check_model
from ui.context import AppContext

# The fixture lives in the helper module; naming it here makes pytest use it.


def test_outreach_contact_is_stored_and_listed(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    check_model(journal.model)
    facilities = catalogues.municipality("DO").reception_facilities
    assert [journal.place.itemText(i) for i in range(journal.place.count())] == list(facilities)
    # Outreach kinds come first, and the first one is preselected.
    assert journal.contact_kind.currentData() == "reception_facility"
    assert journal.contact_kind.itemData(1) == "home_visit"
    assert not widget.has_unsaved_changes()
    journal.place.setCurrentIndex(0)
    qtbot.keyClick(journal.interpreter, Qt.Key.Key_Space)
    assert journal.language.isEnabled()
    qtbot.keyClicks(journal.language, "Arabisch")
    journal.duration.setValue(45)
    qtbot.keyClicks(journal.text, "Erstgespraech in der Unterkunft, Termin beim Jobcenter")
    assert widget.has_unsaved_changes()
    qtbot.mouseClick(journal.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=TIMEOUT)
    cells = row(journal.model, 0)
    assert cells[1:] == ["Aufsuchend in der Aufnahmeeinrichtung/Unterkunft", facilities[0],
                         "ja (Arabisch)", "45 Min.", "Erstgespraech in der Unterkunft, "
                         "Termin beim Jobcenter"]
    journal.table.setCurrentIndex(journal.model.index(0, 0))
    assert journal.detail.toPlainText() == \
        "Erstgespraech in der Unterkunft, Termin beim Jobcenter"
    # The entry form is empty again, so nothing is left to lose.
    assert journal.text.toPlainText() == "" and not widget.has_unsaved_changes()
    ctx.wait_idle()
    [entry] = get_case(ctx.vault(), case_id).journal
    assert (entry.contact_kind, entry.place, entry.interpreter_used,
            entry.interpreter_language, entry.duration_minutes) == (
        "reception_facility", facilities[0], True, "ar", 45)  # the name is stored as its code
    events = column(history_of(qtbot, widget), 1)
    assert events.index("Angelegt: Verlaufseintrag") < events.index("Fall angelegt")


def test_outreach_without_place_explains_and_keeps_text(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    journal.text.setFocus()  # as when typing; Strg+S belongs to the section holding focus
    qtbot.keyClicks(journal.text, "Kurzer Besuch, Unterlagen mitgebracht")
    qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Strg+S
    place_error = journal.errors.labels["place"]
    qtbot.waitUntil(lambda: place_error.text() != "", timeout=TIMEOUT)
    assert place_error.text() == "Bei aufsuchender Arbeit bitte den Ort angeben."
    assert next_row(place_error, journal.place) and not place_error.isHidden()
    assert journal.place.accessibleDescription() == place_error.text()
    assert journal.text.toPlainText() == "Kurzer Besuch, Unterlagen mitgebracht"
    assert widget.has_unsaved_changes() and journal.save_button.isEnabled()
    ctx.wait_idle()
    assert get_case(ctx.vault(), case_id).journal == []


def test_quick_entry_inputs_are_named_by_their_labels(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    inputs = {journal.contact_kind: "Kontaktart:", journal.place: "Ort:",
              journal.interpreter: "Dolmetschung:",
              journal.language: "Sprache:", journal.duration: "Dauer:",
              journal.occurred_at: "Datum und Uhrzeit:", journal.text: "Inhalt:"}
    # A row with two inputs: its label's buddy is the pair, which hands focus to the first.
    labels = {}
    for label in widget.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            labels[buddy] = label
            if buddy.focusProxy() is not None:
                labels[buddy.focusProxy()] = label
    for field, expected in inputs.items():
        assert labels[field].text().replace("&", "") == expected
        assert not labels[field].isHidden()
    # What a screen reader hears for the text inputs is the label's text.
    for field in (journal.language, journal.text, journal.duration):
        iface = QAccessible.queryAccessibleInterface(field)
        assert iface is not None
        assert iface.text(QAccessible.Text.Name).rstrip(":") == \
            inputs[field].rstrip(":"), field
    assert journal.table.tabKeyNavigation() is False
    # Tab walks from the kind through every input, in reading order, to the save button.
    chain: list[QWidget] = []
    current: QWidget = journal.contact_kind
    while current is not journal.save_button and len(chain) < 60:
        if current in inputs and current not in chain:
            chain.append(current)
        following = current.nextInFocusChain()
        assert following is not None
        current = following
    assert current is journal.save_button
    assert chain == list(inputs)


def test_interpreter_language_is_suggested_in_german(qtbot: QtBot, ctx: AppContext,
                                                     case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    completer = journal.language.completer()
    assert completer is not None
    completer.setCompletionPrefix("arab")
    suggestions = [completer.completionModel().index(i, 0).data()
                   for i in range(completer.completionCount())]
    assert "Arabisch" in suggestions
    completer.setCompletionPrefix("kurd")  # found inside the name as well
    assert completer.completionCount() >= 1


def test_the_newest_entry_is_shown_in_full(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    now = ctx.vault().clock.now()
    for days, text in ((9, "Erstgespräch mit Sprachmittlung"),
                       (2, "Rückruf Jobcenter: Termin zur Anerkennung steht fest")):
        add_journal_entry(ctx.vault(), case_id,
                          NewJournalEntry("phone", text, now - timedelta(days=days)))
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 2, timeout=20000)
    assert journal.table.currentIndex().row() == 0
    assert "Termin zur Anerkennung steht fest" in journal.detail.toPlainText()
