"""The person form's nationality and languages: German names to choose from, codes stored as
before, unknown stored codes kept, drafts, keyboard and screen-reader use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.services.cases import read as casefile_read
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from tests.ui.casefile.casefile_helpers import TIMEOUT, open_case, section_of
from tests.ui.model_check import check_model
from ui.casefile.sections.overview import PersonSection
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext


def _person(qtbot: QtBot, widget: CaseFileWidget) -> PersonSection:
    person = section_of(widget, "", PersonSection)
    qtbot.waitUntil(person.isEnabled, timeout=TIMEOUT)
    return person


def _shown_languages(person: PersonSection) -> list[str]:
    chosen = person.languages.chosen
    return [chosen.item(i).text() for i in range(chosen.count())]


def _stored(ctx: AppContext, case_id: int) -> dict[str, object]:
    ctx.wait_idle()
    return casefile_read.person_data(ctx.vault(), case_id).values


def _save(qtbot: QtBot, person: PersonSection) -> None:
    person.save_button.setFocus()
    qtbot.keyClick(person.save_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: person.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)


def test_german_names_offered_and_codes_stored(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id)
    person = _person(qtbot, widget)
    combo = person.nationality
    check_model(combo.model())
    names = [combo.itemText(i) for i in range(combo.count())]
    assert combo.currentText() == "– keine Angabe –" and names[0] == "– keine Angabe –"
    # German order: umlauts with their base letter, not after Z.
    assert names.index("Ägypten") < names.index("Albanien") < names.index("Äthiopien")
    assert _shown_languages(person) == ["Türkisch"]

    combo.setFocus()
    qtbot.keyClicks(combo, "Syr")  # type-ahead like a caseworker would
    assert combo.currentText() == "Syrien"
    person.languages.input.setFocus()
    qtbot.keyClicks(person.languages.input, "Arabisch")
    qtbot.keyClick(person.languages.input, Qt.Key.Key_Return)
    assert _shown_languages(person) == ["Türkisch", "Arabisch"]
    assert person.languages.input.text() == ""
    assert widget.has_unsaved_changes()
    _save(qtbot, person)
    assert not widget.has_unsaved_changes()
    stored = _stored(ctx, case_id)
    assert (stored["nationality"], stored["languages"]) == ("SY", ["tr", "ar"])

    # Back to "no entry", and a language removed with the Delete key.
    combo.setCurrentIndex(0)
    chosen = person.languages.chosen
    chosen.setFocus()
    chosen.setCurrentRow(0)
    qtbot.keyClick(chosen, Qt.Key.Key_Delete)
    assert _shown_languages(person) == ["Arabisch"]
    _save(qtbot, person)
    stored = _stored(ctx, case_id)
    assert (stored["nationality"], stored["languages"]) == (None, ["ar"])


def test_unknown_typed_language_is_refused_with_a_message(qtbot: QtBot, ctx: AppContext,
                                                          case_id: int) -> None:
    person = _person(qtbot, open_case(qtbot, ctx, case_id))
    picker = person.languages
    picker.input.setText("Klingonisch")
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert picker.error.isVisibleTo(person)
    assert picker.error.text() == ("„Klingonisch“ ist keine bekannte Sprache. "
                                   "Bitte aus der Liste wählen.")
    assert _shown_languages(person) == ["Türkisch"]
    qtbot.keyClick(picker.input, Qt.Key.Key_Backspace)  # typing again clears the message
    assert not picker.error.isVisibleTo(person)
    picker.input.setText("TÜRKISCH")  # case does not matter; a language is listed once only
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert not picker.error.isVisibleTo(person)
    assert _shown_languages(person) == ["Türkisch"]
    picker.input.setText("ku")  # the code works as well
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert _shown_languages(person) == ["Türkisch", "Kurdisch"]
    qtbot.mouseClick(picker.remove_button, Qt.MouseButton.LeftButton)  # the current one
    qtbot.mouseClick(picker.remove_button, Qt.MouseButton.LeftButton)
    assert _shown_languages(person) == [] and not picker.remove_button.isEnabled()


def test_unknown_stored_codes_are_shown_raw_and_kept(qtbot: QtBot, ctx: AppContext) -> None:
    case_id = create_case(ctx.vault(), NewCase(
        given_names="Omar", family_name="Haddad", municipality="DO", nationality="SYR",
        languages=["ar", "Syrisch-Arabisch"]))
    widget = open_case(qtbot, ctx, case_id)
    person = _person(qtbot, widget)
    assert person.nationality.currentText() == "SYR"
    assert _shown_languages(person) == ["Arabisch", "Syrisch-Arabisch"]
    assert not widget.has_unsaved_changes()
    person.edits["phone"].setText("0231 98765")
    assert set(person.changes()) == {"phone"}
    _save(qtbot, person)
    stored = _stored(ctx, case_id)
    assert (stored["nationality"], stored["languages"], stored["phone"]) == (
        "SYR", ["ar", "Syrisch-Arabisch"], "0231 98765")
    # Switching away and back again still offers the stored code.
    person.nationality.setCurrentIndex(person.nationality.findText("Türkei"))
    assert person.nationality.findData("SYR") >= 0


def test_draft_keeps_nationality_and_languages(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    first = open_case(qtbot, ctx, case_id)
    person = _person(qtbot, first)
    person.nationality.setCurrentIndex(person.nationality.findData("UA"))
    person.languages.input.setText("Ukrainisch")
    person.languages.add_typed()
    state = first.draft_state()
    assert state[""] == {"nationality": "UA", "languages": ["tr", "uk"]}

    second = CaseFileWidget(ctx, case_id)
    qtbot.addWidget(second)
    second.restore_draft(state)
    restored = _person(qtbot, second)
    assert restored.nationality.currentText() == "Ukraine"
    assert _shown_languages(restored) == ["Türkisch", "Ukrainisch"]
    assert second.has_unsaved_changes()
    assert _stored(ctx, case_id)["languages"] == ["tr"]  # a draft is not saved data


def _label_for(widget: QWidget, person: PersonSection) -> str:
    labels = [label.text() for label in person.findChildren(QLabel) if label.buddy() is widget]
    assert len(labels) == 1
    return labels[0]


def test_fields_are_labelled_and_reachable_by_keyboard(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    person = _person(qtbot, open_case(qtbot, ctx, case_id))
    picker = person.languages
    assert _label_for(person.nationality, person) == "Staatsangehörig&keit:"
    assert _label_for(picker, person) == "S&prachen:"
    assert _label_for(picker.chosen, person) == "Gewäh&lt:"
    interface = QAccessible.queryAccessibleInterface(picker.input)
    assert interface.text(QAccessible.Text.Name) == "Sprache hinzufügen"
    # The form label's mnemonic leads into the language input.
    person.edits["phone"].setFocus()
    qtbot.keyClick(person.edits["phone"], Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(picker.input.hasFocus, timeout=TIMEOUT)
    person.nationality.setFocus()
    chain: list[QWidget | None] = []
    for _ in range(5):  # Tab as a caseworker would, from the nationality on
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        chain.append(QApplication.focusWidget())
    assert chain[0] is picker.input
    assert chain.index(picker.input) < chain.index(picker.add_button) < chain.index(
        picker.chosen) < chain.index(picker.remove_button)
