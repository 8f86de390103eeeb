"""Correcting the case's target group and municipality and handing it to a colleague, in
"Klärung & Vereinbarungen" with the keyboard; the case list, the header and the Protokoll
follow."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.cases.read import header
from db.models import CaseFile
from tests.support.staff import add_colleague
from tests.ui.casefile.casefile_helpers import TIMEOUT, history_of, open_case, row, section_of
from tests.ui.caselist.caselist_helpers import cell_text, wait_rows
from ui.casefile.sections.documentation import DocumentationSection
from ui.caselist.model import COL_MANAGER, COL_MUNI, COL_TARGET
from ui.caselist.page import CaseListPage
from ui.context import AppContext


def test_the_case_is_corrected_and_handed_over_with_a_note(qtbot: QtBot, ctx: AppContext,
                                                             case_id: int) -> None:
    vault = ctx.vault()
    colleague = add_colleague(vault, "Jonas Becker")
    add_colleague(vault, "Erika Alt", active=False)  # gone: not offered
    cases = CaseListPage(ctx)
    qtbot.addWidget(cases)
    cases.resize(1200, 700)
    cases.show()
    wait_rows(qtbot, cases)
    assert cell_text(cases.model, 0, COL_MANAGER) == "Test Fallmanagerin"

    widget = open_case(qtbot, ctx, case_id)  # at the overview
    doc = section_of(widget, "documentation", DocumentationSection)
    fields = doc.case_fields
    widget.header_change.setFocus()
    qtbot.keyClick(widget.header_change, Qt.Key.Key_Space)  # "Ändern …" in the header
    assert widget.current_section() == "documentation"
    qtbot.waitUntil(lambda: doc.isEnabled() and fields.manager.count() == 2, timeout=TIMEOUT)
    assert [fields.manager.itemText(i) for i in range(2)] == ["Jonas Becker",
                                                              "Test Fallmanagerin"]
    assert fields.manager.currentText() == "Test Fallmanagerin"
    assert fields.municipality.currentText() == "Dortmund"
    assert not fields.note.isEnabled()  # a note only goes with a handover

    fields.target_group.setFocus()
    qtbot.keyClick(fields.target_group, Qt.Key.Key_Down)  # the first target group
    fields.municipality.setFocus()
    qtbot.keyClicks(fields.municipality, "Bielefeld")  # a closed combo jumps to what is typed
    assert fields.municipality.currentData() == "BI"
    fields.manager.setFocus()
    qtbot.keyClick(fields.manager, Qt.Key.Key_Up)  # Jonas Becker
    assert fields.manager.currentData() == colleague and fields.note.isEnabled()
    assert widget.has_unsaved_changes()

    # No note: refused at the note field, nothing saved.
    qtbot.keyClick(fields.manager, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    message = doc.errors.labels["handover"]
    qtbot.waitUntil(lambda: message.isVisibleTo(doc), timeout=TIMEOUT)
    assert message.text().startswith("Bitte eine Übergabenotiz schreiben")
    assert fields.note.hasFocus()
    with vault.read_session() as s:
        assert s.get_one(CaseFile, case_id).municipality == "DO"

    qtbot.keyClicks(fields.note, "Termin ABH am 12.12. steht, Unterlagen liegen bei Frau Schulz.")
    qtbot.keyClick(fields.note, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: doc.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)
    with vault.read_session() as s:
        case = s.get_one(CaseFile, case_id)
        assert (case.target_group, case.municipality) == ("long_term_tolerated", "BI")
        assert (case.handover_note or "").endswith(
            "Übergabe von Test Fallmanagerin an Jonas Becker: Termin ABH am 12.12. steht, "
            "Unterlagen liegen bei Frau Schulz.")
    assert header(vault, case_id).case_manager == "Jonas Becker"
    qtbot.waitUntil(lambda: widget.header_manager.text() == "Fallmanager:in: Jonas Becker",
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: cell_text(cases.model, 0, COL_MANAGER) == "Jonas Becker",
                    timeout=TIMEOUT)  # the open case list follows
    assert cell_text(cases.model, 0, COL_MUNI) == "Bielefeld"
    assert cell_text(cases.model, 0, COL_TARGET) == "Langjährig Geduldete"
    # The form shows what is stored: the handover text in "Übergabe", nothing left unsaved.
    qtbot.waitUntil(lambda: "Frau Schulz" in doc.texts["handover_note"].toPlainText(),
                    timeout=TIMEOUT)
    assert fields.note.text() == "" and not fields.note.isEnabled()
    assert not widget.has_unsaved_changes()

    history = history_of(qtbot, widget)
    lines = [row(history, r)[1:] for r in range(history.rowCount())]
    assert ["Fallmanager:in gewechselt", "mit Übergabenotiz"] in lines
    assert ["Falldaten korrigiert", "Zielgruppe, Kommune"] in lines


def test_a_handover_being_typed_survives_as_a_draft(qtbot: QtBot, ctx: AppContext,
                                                     case_id: int) -> None:
    vault = ctx.vault()
    colleague = add_colleague(vault, "Jonas Becker")
    widget = open_case(qtbot, ctx, case_id, "documentation")
    fields = section_of(widget, "documentation", DocumentationSection).case_fields
    qtbot.waitUntil(lambda: fields.manager.count() == 2 and fields.isEnabled(), timeout=TIMEOUT)
    fields.manager.setFocus()
    qtbot.keyClick(fields.manager, Qt.Key.Key_Up)  # Jonas Becker
    qtbot.keyClicks(fields.note, "Bitte Termin am Montag wahrnehmen.")
    draft = json.loads(json.dumps(widget.draft_state()))  # sealed at lock as JSON
    widget.close()

    again = open_case(qtbot, ctx, case_id, "documentation")
    again.restore_draft(draft)
    doc = section_of(again, "documentation", DocumentationSection)
    fields = doc.case_fields
    qtbot.waitUntil(lambda: doc.isEnabled() and fields.manager.currentText() == "Jonas Becker",
                    timeout=TIMEOUT)
    assert fields.note.text() == "Bitte Termin am Montag wahrnehmen." and fields.note.isEnabled()
    fields.note.setFocus()
    qtbot.keyClick(fields.note, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: doc.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)
    with vault.read_session() as s:
        case = s.get_one(CaseFile, case_id)
        assert (case.handover_note or "").endswith("Bitte Termin am Montag wahrnehmen.")
    assert header(vault, case_id).case_manager == "Jonas Becker"
    assert fields.loaded_manager == colleague
