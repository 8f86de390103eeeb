"""The consent gate in the window, recording a consent from a cell, holding the conference
with the disclosure warning acknowledged, a decision that becomes a task, approval (then
read-only) and an amendment: driven by keyboard, read back from the services."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services.conferences.read import conference_detail, consent_gate
from app.services.conferences.records import (
    APPROVED,
    CONFERENCE_PURPOSE,
    DRAFTED,
    HELD,
    AgendaInput,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    mark_held,
    set_agenda,
    set_participants,
)
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.gaps.read import system_gaps
from app.services.tasks.read import case_follow_up_rows
from app.vault.store import Vault
from tests.ui.conferences.support import (
    WAIT,
    Directory,
    activate,
    choose,
    dialog_of,
    loaded,
    press,
    seed_directory,
    type_into,
    window_of,
    workspace,
)
from tests.ui.layout_probe import clipped
from tests.ui.settle import settle
from ui.conferences.gate import RecordDialog
from ui.conferences.lifecycle import AmendmentDialog, ApproveDialog, HeldDialog
from ui.context import AppContext
from ui.gaps.page import GapsPage
from ui.workspace import Page

CATEGORIES = ("residence", "education_work")


def planned(vault: Vault) -> tuple[Directory, str]:
    """A conference on the case with the job centre and the foreigners' authority; only the
    foreigners' authority is covered by a consent (its disclosure warning applies)."""
    seeded = seed_directory(vault)
    uuid = create_conference(vault, ConferencePlan(
        "Fallkonferenz Familie Oeztuerk", datetime(2026, 12, 10, 13, 30, tzinfo=UTC),
        place="Rathaus, Raum 214", chair_text="Frau Richter"))
    set_agenda(vault, uuid, [AgendaInput(seeded.case_id, "Schulplatz", CATEGORIES)])
    set_participants(vault, uuid, [
        ParticipantInput("Herr Berger", contact_uuid=seeded.jobcenter_contact),
        ParticipantInput("Frau Kaya", contact_uuid=seeded.abh_contact)])
    today = vault.clock.today()
    record_consent(vault, seeded.case_id, NewConsent(
        seeded.abh, list(CATEGORIES), CONFERENCE_PURPOSE, today - timedelta(days=3)))
    return seeded, uuid


def screenshot(window: object, name: str) -> None:
    folder = os.environ.get("LOTSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def test_the_gate_shows_what_is_missing_and_a_consent_recorded_from_the_cell_covers_it(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded, uuid = planned(vault)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    ctx.conference_open_requested.emit(uuid)
    window = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, window)
    window.tabs.setCurrentWidget(window.gate)
    gate = window.gate
    columns = [gate.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(gate.model.columnCount())]
    jobcenter = next(c for c, h in enumerate(columns) if str(h).startswith("Jobcenter"))
    abh = next(c for c, h in enumerate(columns) if str(h).startswith("Ausländerbehörde"))
    assert str(gate.model.index(0, jobcenter).data()).startswith("fehlt: Aufenthalt")
    assert str(gate.model.index(0, abh).data()).startswith("abgedeckt")
    assert "kann nicht besprochen" not in str(gate.model.index(0, 0).data())
    # The explanation, for the eye (tooltip) and the keyboard (the text below the matrix).
    gate.table.setFocus()
    gate.table.setCurrentIndex(gate.model.index(0, abh))
    qtbot.keyClick(gate.table, Qt.Key.Key_Left if jobcenter < abh else Qt.Key.Key_Right)
    assert gate.table.currentIndex().column() == jobcenter
    tooltip = str(gate.model.index(0, jobcenter).data(Qt.ItemDataRole.ToolTipRole))
    assert tooltip and tooltip in gate.detail.toPlainText()
    assert gate.detail.toPlainText().startswith("DO-")
    qtbot.keyClick(gate.table, Qt.Key.Key_Tab)  # Tab leaves the matrix for the explanation
    assert gate.detail.hasFocus()
    gate.table.setFocus()
    assert gate.consent_button.isEnabled()
    screenshot(window, "conference-gate")
    assert clipped(window) == []

    press(qtbot, gate.consent_button)
    dialog = dialog_of(qtbot, gate, RecordDialog)
    screenshot(dialog, "conference-consent-dialog")
    form = dialog.consent
    assert form is not None
    qtbot.waitUntil(lambda: form.institution.currentData() == seeded.jobcenter, timeout=WAIT)
    assert form.purpose.text() == CONFERENCE_PURPOSE
    assert {c for c, box in form.categories.items() if box.isChecked()} == set(CATEGORIES)
    press(qtbot, form.save)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    settle(ctx)
    qtbot.waitUntil(lambda: gate.model.index(0, jobcenter).data() == "abgedeckt",
                    timeout=WAIT)
    assert consent_gate(ctx.vault(), uuid).cell(seeded.case_id, seeded.jobcenter).covered


def test_held_with_the_warning_acknowledged_a_decision_becomes_a_task_then_approved(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded, uuid = planned(vault)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    ctx.conference_open_requested.emit(uuid)
    window = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, window)
    window.tabs.setCurrentWidget(window.minutes)
    minutes = window.minutes
    form = minutes.case_form
    assert not form.save_button.isEnabled()  # minutes only once it took place

    press(qtbot, minutes.held_button)
    held = dialog_of(qtbot, minutes, HeldDialog)
    abh_warning = next(k.disclosure_warning for k in catalogues.institution_kinds()
                       if k.code == "auslaenderbehoerde")
    assert abh_warning and abh_warning in held.warnings.text()
    assert held.acknowledged.isVisible() and not held.ok.isEnabled()
    press(qtbot, held.acknowledged)
    assert held.ok.isEnabled()
    screenshot(held, "conference-held-dialog")
    press(qtbot, held.ok)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.status == HELD,
                    timeout=WAIT)
    settle(ctx)
    assert form.save_button.isEnabled()

    # Attendance, per participant, by arrow keys.
    person = next(p for p in window.detail.participants if p.name == "Frau Kaya")
    choose(qtbot, minutes.attendance[person.uuid], "present")
    settle(ctx)
    # The state of affairs is asked of the covered institution only.
    assert set(form.affairs) == {seeded.abh}
    type_into(qtbot, form.legal_basis, "Einwilligung vom 22.11.2026")
    type_into(qtbot, form.affairs[seeded.abh], "Duldung bis Februar")
    press(qtbot, form.save_button)
    qtbot.waitUntil(lambda: minutes.message.text() == "Protokoll gespeichert.", timeout=WAIT)

    # A decision: what, who, by when; it becomes a task in the case.
    box = minutes.decisions
    qtbot.waitUntil(box.what.isEnabled, timeout=WAIT)
    type_into(qtbot, box.what, "Schulanmeldung begleiten")
    type_into(qtbot, box.who, "Frau Kaya")
    type_into(qtbot, box.by_when, "+14")
    press(qtbot, box.save_button)
    qtbot.waitUntil(lambda: box.model.rowCount() == 1, timeout=WAIT)
    assert box.model.index(0, 3).data() == "angelegt"
    tasks = case_follow_up_rows(ctx.vault(), seeded.case_id).items
    task = next(t for t in tasks if "Schulanmeldung begleiten" in t.title)
    assert task.due_on == ctx.vault().clock.today() + timedelta(days=14)
    # Corrected: Enter on the row puts it into the form; saving changes it, no new task.
    box.table.setFocus()
    box.table.selectRow(0)
    qtbot.keyClick(box.table, Qt.Key.Key_Return)
    assert box.what.text() == "Schulanmeldung begleiten" and box.editing is not None
    type_into(qtbot, box.who, "Herr Berger")
    press(qtbot, box.save_button)
    qtbot.waitUntil(lambda: box.model.index(0, 1).data() == "Herr Berger", timeout=WAIT)
    assert box.model.rowCount() == 1
    assert len([t for t in case_follow_up_rows(ctx.vault(), seeded.case_id).items
                if "Schulanmeldung begleiten" in t.title]) == 1
    settle(ctx)
    assert all(combo.isVisible() for combo in minutes.attendance.values())
    minutes.findChild(QScrollArea).verticalScrollBar().setValue(0)
    screenshot(window, "conference-minutes")
    assert clipped(window) == []

    press(qtbot, minutes.draft_button)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.status == DRAFTED,
                    timeout=WAIT)
    settle(ctx)
    press(qtbot, minutes.approve_button)
    approve = dialog_of(qtbot, minutes, ApproveDialog)
    assert approve.approver.text() == "Frau Richter"
    screenshot(approve, "conference-approve-dialog")
    qtbot.keyClick(approve.approver, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.status == APPROVED,
                    timeout=WAIT)
    settle(ctx)
    # Read-only everywhere: planning, minutes, decisions; only an amendment is offered.
    assert window.planning.title.isReadOnly() and not window.planning.save_button.isEnabled()
    assert form.legal_basis.isReadOnly() and not form.save_button.isEnabled()
    assert not box.what.isEnabled() and not box.save_button.isEnabled()
    assert not window.gate.consent_button.isEnabled()
    assert minutes.amend_button.isEnabled()

    press(qtbot, minutes.amend_button)
    amendment = dialog_of(qtbot, minutes, AmendmentDialog)
    qtbot.keyClicks(amendment.reason, "Termin falsch notiert")
    qtbot.keyClicks(amendment.text, "Die Schulanmeldung ist am Montag.")
    press(qtbot, amendment.findChild(type(form.save_button), "saveAmendment"))
    qtbot.waitUntil(lambda: minutes.amendments.item(0).text().startswith("Nachtrag 1"),
                    timeout=WAIT)
    assert "Termin falsch notiert" in minutes.amendments.item(0).text()
    settle(ctx)
    minutes.findChild(QScrollArea).verticalScrollBar().setValue(0)
    screenshot(window, "conference-approved")
    assert clipped(window) == []
    detail = conference_detail(ctx.vault(), uuid)
    assert detail.locked and detail.approved_by_text == "Frau Richter"
    assert [(a.number, a.reason) for a in detail.amendments] == [(1, "Termin falsch notiert")]
    [agenda] = detail.agenda
    assert agenda.minutes.legal_basis_note == "Einwilligung vom 22.11.2026"
    assert agenda.minutes.state_of_affairs == {seeded.abh: "Duldung bis Februar"}
    assert [d.what for d in agenda.decisions] == ["Schulanmeldung begleiten"]
    assert next(p for p in detail.participants if p.name == "Frau Kaya").attendance == \
        "present"

    # Ausfertigungen (Alt+U): the preview is the real PDF of the approved minutes, with the
    # amendment after them and no ENTWURF watermark any more.
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.output, timeout=WAIT)
    panel = window.output_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.document.pageCount() > 0, timeout=WAIT)
    text = _pdf_text(panel._pdf or b"")
    assert "Nachtrag Nr. 1" in text and "Termin falsch notiert" in text
    assert "ENTWURF" not in text


def _pdf_text(data: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout


def test_a_gap_noticed_in_the_minutes_goes_to_the_register_which_refuses_names(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    _seeded, uuid = planned(vault)
    mark_held(vault, uuid, datetime(2026, 11, 24, 13, 0, tzinfo=UTC), warnings_acknowledged=True)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    ws, page = workspace(qtbot, ctx)
    ctx.conference_open_requested.emit(uuid)
    window = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, window)
    window.tabs.setCurrentWidget(window.minutes)
    form = window.minutes.case_form
    # Typed as noticed in the conference, with the client's name in it (set, not typed:
    # lowercase umlauts crash key clicks; typing is tested above).
    form.gaps.setPlainText("Frau Öztürk wartet, weil es keinen Dolmetscherpool für "
                           "Tigrinya gibt.")
    press(qtbot, form.gap_button)
    gaps = ws.page(Page.GAPS)
    assert isinstance(gaps, GapsPage)
    qtbot.waitUntil(lambda: ws.current_page() == Page.GAPS, timeout=WAIT)
    assert gaps.description.toPlainText().startswith("Frau Öztürk wartet")
    type_into(qtbot, gaps.title, "Kein Dolmetscherpool")
    press(qtbot, gaps.add_button)
    settle(ctx)
    assert gaps.errors["description"].isVisible()  # the register's own check: a name
    assert system_gaps(ctx.vault()) == []
    gaps.description.setPlainText("Kein Dolmetscherpool für Tigrinya")
    press(qtbot, gaps.add_button)
    qtbot.waitUntil(lambda: len(system_gaps(ctx.vault())) == 1, timeout=WAIT)
    assert system_gaps(ctx.vault())[0].title == "Kein Dolmetscherpool"


def test_a_legal_basis_recorded_from_a_cell_covers_it(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded, uuid = planned(vault)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    ctx.conference_open_requested.emit(uuid)
    window = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, window)
    window.tabs.setCurrentWidget(window.gate)
    gate = window.gate
    column = 1 + [i.uuid for i in gate.gate.institutions].index(seeded.jobcenter)  # type: ignore[union-attr]
    gate.table.setFocus()
    gate.table.setCurrentIndex(gate.model.index(0, column))
    assert gate.basis_button.isEnabled()
    press(qtbot, gate.basis_button)
    dialog = dialog_of(qtbot, gate, RecordDialog)
    form = dialog.basis
    assert form is not None
    assert form.covers.text() == "Gilt für: Aufenthalt, Bildung, Ausbildung und Arbeit"
    qtbot.keyClicks(form.basis, "Art. 6 Abs. 1 lit. c DSGVO")
    press(qtbot, form.save)  # the reason is missing: said at the field, nothing stored
    settle(ctx)
    assert dialog.isVisible()
    assert not consent_gate(ctx.vault(), uuid).cell(seeded.case_id, seeded.jobcenter).covered
    qtbot.keyClicks(form.reason, "Mitwirkung nach SGB II")
    press(qtbot, form.save)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: gate.model.index(0, column).data() == "abgedeckt", timeout=WAIT)
    assert consent_gate(ctx.vault(), uuid).cell(seeded.case_id, seeded.jobcenter).covered


def test_a_case_no_institution_is_covered_for_is_marked_in_the_matrix_and_the_list(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded = seed_directory(vault)
    uuid = create_conference(vault, ConferencePlan(
        "Fallkonferenz Jobcenter", datetime(2026, 12, 10, 13, 30, tzinfo=UTC)))
    set_agenda(vault, uuid, [AgendaInput(seeded.case_id, "Arbeit", ("education_work",))])
    set_participants(vault, uuid, [
        ParticipantInput("Herr Berger", contact_uuid=seeded.jobcenter_contact)])
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    settle(ctx)
    assert page.model.index(0, 6).data() == "1"  # blockiert
    press(qtbot, page.table, Qt.Key.Key_Return)
    window = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, window)
    gate = window.gate
    assert str(gate.model.index(0, 0).data()).endswith("kann nicht besprochen werden")
    assert gate.summary.text().endswith("1 Fall kann nicht besprochen werden.")
