"""Person & Haushalt: household members added, corrected, removed and given an own case with the
keyboard, read back from the vault; the new person fields typed and saved with Strg+S."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.services.cases import read as casefile_read
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.household.read import household
from app.services.household.records import NewMember
from app.services.household.write import add_member
from tests.ui.casefile.casefile_helpers import TIMEOUT, open_case, section_of
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.model_check import check_model
from ui.casefile._form import read_date, set_date
from ui.casefile.sections._household import HouseholdBox
from ui.casefile.sections.overview import PersonSection
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext


def _client(ctx: AppContext) -> int:
    return create_case(ctx.vault(), NewCase("Mariam", "Haidari", "DO"))


def _person(qtbot: QtBot, widget: CaseFileWidget) -> PersonSection:
    person = section_of(widget, "", PersonSection)
    qtbot.waitUntil(person.isEnabled, timeout=TIMEOUT)
    return person


def _loaded(qtbot: QtBot, box: HouseholdBox, rows: int) -> None:
    qtbot.waitUntil(lambda: box.model.rowCount() == rows, timeout=TIMEOUT)


def _members(ctx: AppContext, case_id: int) -> list[tuple[str, str, str | None, date | None]]:
    ctx.wait_idle()
    return [(m.given_names, m.family_name, m.relation, m.date_of_birth)
            for m in household(ctx.vault(), case_id).members]


def _tab(qtbot: QtBot) -> QWidget:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not None
    return after


def _select_row(qtbot: QtBot, box: HouseholdBox, row: int) -> None:
    box.view.setFocus()
    qtbot.keyClick(box.view, Qt.Key.Key_Home)
    if not box.view.selectionModel().selectedRows():  # the cursor was on the first row already
        qtbot.keyClick(box.view, Qt.Key.Key_Space)
    for _ in range(row):
        qtbot.keyClick(box.view, Qt.Key.Key_Down)
    assert box.view.selectionModel().selectedRows()[0].row() == row


def test_a_member_is_added_with_the_keyboard_and_saved(qtbot: QtBot, ctx: AppContext) -> None:
    case_id = _client(ctx)
    box = _person(qtbot, open_case(qtbot, ctx, case_id)).household
    check_model(box.model)
    assert box.title_label.text().startswith("Noch kein Haushalt erfasst")
    form = box.form
    form.given_names.setFocus()
    qtbot.keyClicks(form.given_names, "Omid")
    assert _tab(qtbot) is form.family_name
    qtbot.keyClicks(form.family_name, "Haidari")
    assert _tab(qtbot) is form.relation
    qtbot.keyClicks(form.relation, "Kind")  # type-ahead, as in any list box
    assert form.relation.currentText() == "Kind"
    assert _tab(qtbot) is form.birth_date
    set_date(form.birth_date, date(2015, 3, 4))
    # Tab out of the date field is the date field's own business (a Qt date edit walks its
    # sections with Tab, and another change replaces it): go on from the button.
    form.submit_button.setFocus()
    qtbot.keyClick(form.submit_button, Qt.Key.Key_Space)
    _loaded(qtbot, box, 1)
    assert _members(ctx, case_id) == [("Omid", "Haidari", "child", date(2015, 3, 4))]
    assert [box.model.index(0, c).data() for c in range(5)] == [
        "Haidari, Omid", "Kind", "04.03.2015", "11 Jahre", "kein eigener Fall"]
    assert box.title_label.text() == "Haushalt Haidari"
    assert box.message.text() == "Mitglied hinzugefügt."
    # The form is empty again and ready for the next member; Enter in a name field adds it.
    assert form.given_names.text() == "" and form.relation.currentIndex() == 0
    assert read_date(form.birth_date) is None and form.given_names.hasFocus()
    qtbot.keyClicks(form.given_names, "Reza")
    qtbot.keyClicks(form.family_name, "Haidari")
    form.relation.setCurrentIndex(form.relation.findText("Ehepartner:in/Partner:in"))
    qtbot.keyClick(form.given_names, Qt.Key.Key_Return)
    _loaded(qtbot, box, 2)
    assert _members(ctx, case_id)[1] == ("Reza", "Haidari", "partner", None)


def test_a_member_without_relation_is_refused_at_the_field(qtbot: QtBot,
                                                           ctx: AppContext) -> None:
    case_id = _client(ctx)
    box = _person(qtbot, open_case(qtbot, ctx, case_id)).household
    form = box.form
    form.given_names.setFocus()
    qtbot.keyClicks(form.given_names, "Omid")
    qtbot.keyClicks(form.family_name, "Haidari")
    qtbot.keyClick(form.family_name, Qt.Key.Key_Return)
    message = form.errors.labels["relation"]
    qtbot.waitUntil(lambda: message.isVisibleTo(form), timeout=TIMEOUT)
    assert message.text() == "Bitte die Beziehung zur Klientin / zum Klienten wählen."
    assert form.relation.hasFocus() and form.given_names.text() == "Omid"  # nothing lost
    assert _members(ctx, case_id) == []


def test_a_member_is_corrected_and_removed(qtbot: QtBot, ctx: AppContext) -> None:
    case_id = _client(ctx)
    son = add_member(ctx.vault(), case_id, NewMember("Omid", "Haidari", "child",
                                                     date(2015, 3, 4)))
    add_member(ctx.vault(), case_id, NewMember("Reza", "Haidari", "partner"))
    widget = open_case(qtbot, ctx, case_id)
    box = _person(qtbot, widget).household
    _loaded(qtbot, box, 2)
    _select_row(qtbot, box, 0)  # the son: by birth date, members without one last
    qtbot.keyClick(box.view, Qt.Key.Key_Return)  # Enter edits the row
    form = box.form
    assert form.editing == son and form.given_names.hasFocus()
    assert form.title() == "Haushaltsmitglied bearbeiten: Omid Haidari"
    assert widget.has_unsaved_changes()  # an open correction is not lost silently
    form.given_names.selectAll()
    qtbot.keyClicks(form.given_names, "Omid Ali")
    set_date(form.birth_date, date(2014, 3, 4))
    qtbot.keyClick(form.given_names, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.message.text() == "Änderung gespeichert.", timeout=TIMEOUT)
    assert _members(ctx, case_id) == [("Omid Ali", "Haidari", "child", date(2014, 3, 4)),
                                      ("Reza", "Haidari", "partner", None)]
    assert form.editing is None and not widget.has_unsaved_changes()
    qtbot.waitUntil(lambda: box.model.index(0, 0).data() == "Haidari, Omid Ali",
                    timeout=TIMEOUT)

    # Abbrechen (or Esc) leaves a correction without saving it.
    _select_row(qtbot, box, 0)
    qtbot.keyClick(box.view, Qt.Key.Key_Return)
    assert form.cancel_button.isVisibleTo(form)
    qtbot.keyClicks(form.given_names, "XX")
    qtbot.keyClick(form.given_names, Qt.Key.Key_Escape)
    assert form.editing is None and form.given_names.text() == ""
    assert not form.cancel_button.isVisibleTo(form)

    _select_row(qtbot, box, 0)
    qtbot.keyClick(box.view, Qt.Key.Key_Delete)
    question = answer_confirmation(qtbot, box, "Ent&fernen")
    assert question.startswith("Omid Ali Haidari aus dem Haushalt entfernen?")
    _loaded(qtbot, box, 1)
    assert _members(ctx, case_id) == [("Reza", "Haidari", "partner", None)]


def test_a_member_gets_an_own_case_shown_with_its_number(qtbot: QtBot,
                                                         ctx: AppContext) -> None:
    case_id = _client(ctx)
    add_member(ctx.vault(), case_id, NewMember("Reza", "Haidari", "partner"))
    box = _person(qtbot, open_case(qtbot, ctx, case_id)).household
    _loaded(qtbot, box, 1)
    assert not box.own_case_button.isEnabled()  # nothing chosen yet
    _select_row(qtbot, box, 0)
    assert box.own_case_button.isEnabled()
    qtbot.mouseClick(box.own_case_button, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, box, "Fall &anlegen")
    ctx.wait_idle()
    (member,) = household(ctx.vault(), case_id).members
    assert member.case_number is not None and member.case_number.startswith("DO-2026-")
    qtbot.waitUntil(lambda: box.model.index(0, 4).data() == member.case_number,
                    timeout=TIMEOUT)
    _select_row(qtbot, box, 0)
    assert not box.own_case_button.isEnabled()  # one own case is enough


def test_entry_date_accommodation_and_abh_number_typed_and_saved(qtbot: QtBot,
                                                                 ctx: AppContext) -> None:
    case_id = _client(ctx)
    widget = open_case(qtbot, ctx, case_id)
    person = _person(qtbot, widget)
    set_date(person.entered_on, date(2023, 9, 14))
    place = person.edits["accommodation"]
    place.setFocus()
    qtbot.keyClicks(place, "Hafenbecken")
    completer = place.completer()
    assert completer.currentCompletion() == "Gemeinschaftsunterkunft Am Hafenbecken"
    place.setText(completer.currentCompletion())  # as picking it from the popup does
    person.edits["abh_file_number"].setFocus()
    qtbot.keyClicks(person.edits["abh_file_number"], "ABH-DO 4711/23")
    assert set(person.changes()) == {"entered_germany_on", "accommodation", "abh_file_number"}
    qtbot.keyClick(person.edits["abh_file_number"], Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: person.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)
    ctx.wait_idle()
    stored = casefile_read.person_data(ctx.vault(), case_id).values
    assert (stored["entered_germany_on"], stored["accommodation"], stored["abh_file_number"]) == (
        date(2023, 9, 14), "Gemeinschaftsunterkunft Am Hafenbecken", "ABH-DO 4711/23")
    labels = {label.text() for label in person.findChildren(QLabel) if label.buddy() is not None}
    assert {"Einreise a&m:", "&Unterkunft:", "Aktenzeichen Ausländer&behörde:"} <= labels
    # Shown again when the case is opened anew.
    again = _person(qtbot, open_case(qtbot, ctx, case_id))
    assert read_date(again.entered_on) == date(2023, 9, 14)
    assert again.edits["abh_file_number"].text() == "ABH-DO 4711/23"


def test_a_member_being_typed_survives_a_lock_as_draft(qtbot: QtBot, ctx: AppContext) -> None:
    case_id = _client(ctx)
    first = open_case(qtbot, ctx, case_id)
    person = _person(qtbot, first)
    set_date(person.entered_on, date(2023, 9, 14))
    form = person.household.form
    form.given_names.setFocus()
    qtbot.keyClicks(form.given_names, "Sara")
    form.relation.setCurrentIndex(form.relation.findData("child"))
    set_date(form.birth_date, date(2019, 7, 1))
    state = first.draft_state()
    assert state[""] == {"entered_germany_on": "2023-09-14", "household_member": {
        "given_names": "Sara", "family_name": "", "relation": "child",
        "date_of_birth": "2019-07-01", "editing": None}}
    second = CaseFileWidget(ctx, case_id)
    qtbot.addWidget(second)
    second.restore_draft(state)
    restored_person = _person(qtbot, second)
    restored = restored_person.household.form
    assert (restored.given_names.text(), restored.relation.currentData(),
            read_date(restored.birth_date)) == ("Sara", "child", date(2019, 7, 1))
    assert read_date(restored_person.entered_on) == date(2023, 9, 14)
    assert second.has_unsaved_changes() and _members(ctx, case_id) == []
