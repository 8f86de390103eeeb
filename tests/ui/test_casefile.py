"""The case file on the real encrypted store: journal quick entry, phase step, drafts, keyboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services import casefile_read
from app.services.cases import NewCase, create_case, get_case, update_case
from app.services.consent import NewConsent, record_consent
from app.services.directory import NewInstitution, add_institution
from app.services.journal import NewStatus, add_status
from ui.casefile._table import RowsModel
from ui.casefile.history import HistorySection
from ui.casefile.journal import JournalSection
from ui.casefile.overview import PersonSection
from ui.casefile.phase import PhaseSection
from ui.casefile.status import StatusSection
from ui.casefile.window import CaseFileWidget
from ui.context import AppContext

TIMEOUT = 15000
S = TypeVar("S", bound=QWidget)


@pytest.fixture
def case_id(ctx: AppContext) -> int:
    # Test setup only: the database thread is idle, so the GUI thread may use the vault.
    return create_case(ctx.vault(), NewCase(given_names="Ayşe", family_name="Öztürk",
                                            municipality="DO", languages=["tr"]))


def open_case(qtbot: QtBot, ctx: AppContext, case_id: int, section: str = "") -> CaseFileWidget:
    widget = CaseFileWidget(ctx, case_id)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    widget.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(widget.isActiveWindow, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: widget.header_data is not None, timeout=TIMEOUT)
    if section:
        widget.show_section(section)
    return widget


def next_row(message: QLabel, field: QWidget) -> bool:  # the message sits right below the field
    form = field.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    return bool(form.getWidgetPosition(message)[0] == form.getWidgetPosition(field)[0] + 1)


def section_of(widget: CaseFileWidget, code: str, kind: type[S]) -> S:
    section = widget.section(code)
    assert isinstance(section, kind)
    return section


def row(model: RowsModel, r: int) -> list[str]:
    return [model.index(r, c).data() for c in range(model.columnCount())]


def column(model: RowsModel, c: int) -> list[str]:
    return [model.index(r, c).data() for r in range(model.rowCount())]


def history_of(qtbot: QtBot, widget: CaseFileWidget) -> RowsModel:
    widget.show_section("history")
    model = section_of(widget, "history", HistorySection).model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=TIMEOUT)
    QAbstractItemModelTester(model)
    return model


def loaded_journal(qtbot: QtBot, widget: CaseFileWidget) -> JournalSection:
    journal = section_of(widget, "journal", JournalSection)
    qtbot.waitUntil(lambda: journal.place.count() > 0, timeout=TIMEOUT)
    return journal


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


def test_outreach_contact_is_stored_and_listed(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    QAbstractItemModelTester(journal.model)
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
        "reception_facility", facilities[0], True, "Arabisch", 45)
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


def record_intake_documentation(ctx: AppContext, case_id: int) -> None:
    vault = ctx.vault()
    update_case(vault, case_id, access_route="aufsuchend in der Unterkunft",
                indication="mehrere Stellen, ungeklärter Aufenthalt", complex_needs=True,
                several_agencies=True, regular_services_insufficient=True,
                dp_info_given_on=date(2026, 11, 2), dp_info_language="tr",
                working_agreement_on=date(2026, 11, 9))
    inst = add_institution(vault, NewInstitution(name="Jobcenter Dortmund", kind="jobcenter"))
    record_consent(vault, case_id, NewConsent(inst, ["residence"], "Abstimmung der Leistungen",
                                              given_on=date(2026, 11, 9)))


def checklist(phase: PhaseSection) -> list[str]:
    return [phase.checklist.item(i).text() for i in range(phase.checklist.count())]


def test_blocked_phase_step_explains_then_succeeds(qtbot: QtBot, ctx: AppContext,
                                                   case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "phase")
    phase = section_of(widget, "phase", PhaseSection)
    qtbot.waitUntil(lambda: phase.target.count() > 0, timeout=TIMEOUT)
    QAbstractItemModelTester(phase.model)
    assert phase.target.currentText() == "Assessment (Situationsanalyse) (nächste Phase)"
    assert phase.steps["intake"].accessibleName() == "Klärung (aktuelle Phase)"
    assert catalogues.phase("intake").minimum_documentation[0].label == "Zugangsweg"
    assert any(line.startswith("✗ Zugangsweg – ") for line in checklist(phase))

    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: phase.explanation.text() != "", timeout=TIMEOUT)
    text = phase.explanation.text()
    for words in ("Assessment (Situationsanalyse)", "noch nicht möglich", "Zugangsweg",
                  "Schweigepflichtentbindung", "Arbeitsbündnis", "begründen Sie die Ausnahme"):
        assert words in text
    assert not phase.override.isHidden()  # the exception is offered
    assert widget.header_phase.text() == "Phase: Klärung / Zugang"  # nothing changed

    ctx.wait_idle()
    record_intake_documentation(ctx, case_id)
    ctx.changed.emit("cases")
    qtbot.waitUntil(lambda: not any(line.startswith("✗") for line in checklist(phase)),
                    timeout=TIMEOUT)
    assert "✓ Zugangsweg" in checklist(phase)
    assert phase.override.isHidden()  # nothing missing: no exception to give
    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.header_phase.text() == "Phase: Assessment (Situationsanalyse)",
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: phase.model.rowCount() == 2, timeout=TIMEOUT)
    newest = row(phase.model, 0)
    assert newest[:2] == ["Klärung / Zugang", "Assessment (Situationsanalyse)"]
    assert newest[4] == ""  # no exception was needed
    ctx.wait_idle()
    assert get_case(ctx.vault(), case_id).phase == "assessment"


def test_override_with_reason_is_stored_and_shown(qtbot: QtBot, ctx: AppContext,
                                                  case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "phase")
    phase = section_of(widget, "phase", PhaseSection)
    qtbot.waitUntil(lambda: phase.target.count() > 0, timeout=TIMEOUT)
    phase.override.setPlainText("Akute Krise, Einwilligung wird nachgereicht")
    assert widget.has_unsaved_changes()
    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.header_phase.text() == "Phase: Assessment (Situationsanalyse)",
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: phase.model.rowCount() == 2, timeout=TIMEOUT)
    exception = phase.model.index(0, 4).data()
    assert exception.startswith("Akute Krise, Einwilligung wird nachgereicht (fehlte: ")
    assert "Zugangsweg" in exception
    assert phase.override.toPlainText() == ""  # the draft is gone once stored
    ctx.wait_idle()
    step = get_case(ctx.vault(), case_id).phase_history[-1]
    assert step.override_reason == "Akute Krise, Einwilligung wird nachgereicht"
    assert "access_route" in step.missing_items
    # The case's own audit history names the exception, in German and without names.
    model = history_of(qtbot, widget)
    events, details = column(model, 1), column(model, 2)
    assert "Phasenschritt mit begründeter Ausnahme" in events
    assert "Phase gewechselt" in events and "Klärung → Assessment" in details
    assert "Fall angelegt" in events
    # Reads while the case is open are one line per visit, not one per section.
    assert events.count("Fallakte angesehen") == 2
    assert "Kopfdaten" in details[0] and "Phase" in details[0]
    every_cell = " ".join(" ".join(row(model, r)) for r in range(model.rowCount()))
    assert "Öztürk" not in every_cell and "Ayşe" not in every_cell


def test_draft_survives_on_a_new_widget(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    first = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, first)
    journal.contact_kind.setCurrentIndex(journal.contact_kind.findData("home_visit"))
    journal.place.setEditText("Lindenstraße 4")
    journal.interpreter.setChecked(True)
    journal.language.setText("Türkisch")
    journal.duration.setValue(30)
    journal.text.setPlainText("Hausbesuch: Schulanmeldung der Tochter besprochen")
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
    assert restored.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm") == \
        journal.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm")
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


def test_status_timeline_marks_expiry_and_adds(qtbot: QtBot, ctx: AppContext,
                                               case_id: int) -> None:
    today = date.today()
    add_status(ctx.vault(), case_id, NewStatus(kind="duldung", valid_from=today - timedelta(90),
                                               valid_until=today + timedelta(30),
                                               work_permission="with_consent",
                                               document_seen_on=today - timedelta(85)))
    widget = open_case(qtbot, ctx, case_id, "status")
    status = section_of(widget, "status", StatusSection)
    qtbot.waitUntil(lambda: status.model.rowCount() == 1, timeout=TIMEOUT)
    QAbstractItemModelTester(status.model)
    cells = row(status.model, 0)
    assert cells[0] == catalogues.status_kind("duldung").label
    assert cells[3] == f"{(today + timedelta(30)).strftime('%d.%m.%Y')} (läuft in 30 Tagen ab)"
    assert cells[4] == "mit Zustimmung der Ausländerbehörde"
    assert status.model.rows[0].highlight
    assert "markiert" in status.status.text()

    status.kind.setCurrentIndex(status.kind.findData("aufenthaltserlaubnis_25b"))
    status.valid_from.setDate(status.valid_from.date().currentDate())
    status.valid_until.setDate(status.valid_from.date().addYears(2))
    qtbot.mouseClick(status.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.model.rowCount() == 2, timeout=TIMEOUT)
    assert not status.model.rows[0].highlight  # two years ahead: nothing to do yet
    assert not status.model.rows[1].highlight  # the old Duldung is superseded, not urgent
    ctx.wait_idle()
    assert len(get_case(ctx.vault(), case_id).statuses) == 2


def test_quick_entry_inputs_are_named_by_their_labels(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    inputs = {journal.contact_kind: "Kontaktart:", journal.place: "Ort:",
              journal.interpreter: "Dolmetschung:",
              journal.language: "Sprache der Dolmetschung:", journal.duration: "Dauer:",
              journal.occurred_at: "Datum und Uhrzeit:", journal.text: "Inhalt:"}
    labels = {label.buddy(): label for label in widget.findChildren(QLabel)}
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
        current = current.nextInFocusChain()
    assert current is journal.save_button
    assert chain == list(inputs)


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


def test_closing_asks_for_reason_and_handover(qtbot: QtBot, ctx: AppContext,
                                              case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "phase")
    phase = section_of(widget, "phase", PhaseSection)
    qtbot.waitUntil(lambda: phase.target.count() > 0, timeout=TIMEOUT)
    assert phase.close_reason.isHidden()  # only asked when closing
    phase.target.setCurrentIndex(phase.target.findData("closed"))
    assert not phase.close_reason.isHidden() and not phase.handover.isHidden()
    assert "✗ Abschlussgrund – Wählen Sie den Grund für den Abschluss." in checklist(phase)
    phase.close_reason.setCurrentIndex(phase.close_reason.findData("moved_away"))
    phase.handover.setPlainText("Weiterbegleitung durch das KIM in Bochum vereinbart")
    assert checklist(phase) == ["✓ Abschlussgrund", "✓ Übergabe"]
    assert phase.override.isHidden()
    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.header_phase.text() == "Phase: Abschluss / Entpflichtung",
                    timeout=TIMEOUT)
    ctx.wait_idle()
    stored = get_case(ctx.vault(), case_id)
    assert (stored.close_reason, stored.closed_on) == ("moved_away", date.today())
    # Closed cases can be reopened: the targets now step back into the cycle.
    qtbot.waitUntil(lambda: phase.view is not None and phase.view.phase == "closed",
                    timeout=TIMEOUT)
    assert phase.target.currentText() == "Assessment (Situationsanalyse) (zurück)"
