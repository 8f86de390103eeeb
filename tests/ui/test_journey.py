"""The caseworker's day through the real main window on a real vault, start to finish:
first start → create vault → demo data → find "ozturk" → open → outreach contact → a phase step
that lacks documentation explains why → record it → the step succeeds; consent entry; idle lock
with a draft, wrong passphrase, unlock with the draft intact."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.demo.generator import generate_demo
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.read import may_disclose
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from tests.support.changes import committed
from tests.ui.window_helpers import assert_locked_with_draft_sealed
from ui.casefile._form import set_date
from ui.main_window import MainWindow

PASS = "Kaffee am Nordmarkt um acht"
T = 20000


def test_a_day_with_lotse(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "tresor")
    qtbot.addWidget(window)
    window.show()
    # First start: create the vault.
    create = window.create_page
    assert window.stack.currentWidget() is create
    create.name.setText("Jana Kowalczyk")
    create.municipality.setCurrentIndex(create.municipality.findData("DO"))
    create.passphrase.setText(PASS)
    assert "Stark" in create.strength.text()
    create.repeat.setText(PASS)
    qtbot.mouseClick(create.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=T)
    ctx, ws = window.ctx, window.workspace
    assert ctx is not None and ws is not None
    # Demo data, as `lotse demo` adds it, plus the client the caseworker looks for.
    vault = ctx.vault()
    generate_demo(vault, 150, seed=4)
    case_id = committed(ctx, lambda: create_case(vault, NewCase("Ayşe", "Öztürk", "DO")))
    jobcenter = committed(ctx, lambda: add_institution(
        vault, NewInstitution("Jobcenter Dortmund-Nord", "jobcenter", "DO")))

    # Find her by typing without the special letters, and open the case with Enter.
    qtbot.keyClick(ws, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    cases: Any = ws.pages["cases"]
    assert ws.currentWidget() is cases
    cases.search.setText("ozturk")
    qtbot.waitUntil(lambda: cases.model.row_of(case_id) is not None
                    and cases.model.in_result_mode(), timeout=T)
    cases.table.setCurrentIndex(cases.model.index(cases.model.row_of(case_id), 0))
    cases.table.setFocus()
    qtbot.keyClick(cases.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(ws.currentWidget(), "case_id", None) == case_id, timeout=T)
    case: Any = ws.currentWidget()

    # An outreach contact in the reception facility, with interpreter.
    case.show_section("journal")
    journal = case.section("journal")
    qtbot.waitUntil(lambda: journal.place.count() > 0, timeout=T)
    journal.place.setCurrentIndex(0)
    journal.interpreter.setChecked(True)
    journal.language.setText("Türkisch")
    journal.duration.setValue(40)
    journal.text.setPlainText("Erstgespräch in der Unterkunft, Unterlagen gesichtet")
    qtbot.mouseClick(journal.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=T)

    # The step to Assessment lacks documentation: the window says what is missing.
    case.show_section("phase")
    phase = case.section("phase")
    qtbot.waitUntil(lambda: phase.target.count() > 0, timeout=T)
    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: phase.explanation.text() != "", timeout=T)
    assert "Zugangsweg" in phase.explanation.text()
    assert "Schweigepflichtentbindung" in phase.explanation.text()
    assert case.header_phase.text() == "Phase: Klärung / Zugang"

    # Record the missing items: intake documentation …
    case.show_section("documentation")
    doc = case.section("documentation")
    qtbot.waitUntil(doc.isEnabled, timeout=T)
    doc.access_route.setCurrentText("Aufsuchend (Unterkunft)")
    doc.texts["indication"].setPlainText("Duldung seit 2019, Jobcenter und ABH beteiligt")
    for box in doc.flags.values():
        box.setChecked(True)
    set_date(doc.dates["dp_info_given_on"], date.today())
    doc.dp_language.setCurrentText("Türkisch")
    set_date(doc.dates["working_agreement_on"], date.today())
    qtbot.mouseClick(doc.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: doc.saved_note.text() == "Gespeichert.", timeout=T)
    # … and the consent, entered on the consent page of the case file.
    case.show_section("consents")
    consents = case.section("consents")
    form = consents.form
    qtbot.waitUntil(lambda: form.institution.findData(jobcenter) >= 0, timeout=T)
    form.institution.setCurrentIndex(form.institution.findData(jobcenter))
    form.categories["education_work"].setChecked(True)
    form.purpose.setText("Vermittlung in Ausbildung")
    set_date(form.valid_until, date.today() + timedelta(days=365))
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in consents.message.text(), timeout=T)
    ctx.wait_idle()
    assert may_disclose(ctx.vault(), case_id, jobcenter, "education_work",
                        "Vermittlung in Ausbildung", date.today()).allowed

    # Now the step succeeds.
    case.show_section("phase")
    qtbot.waitUntil(lambda: phase.override.isHidden() and phase.target.count() > 0, timeout=T)
    qtbot.mouseClick(phase.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: case.header_phase.text() == "Phase: Assessment (Situationsanalyse)",
                    timeout=T)

    # A note typed but not saved; then the laptop sits idle and Lotse locks itself.
    case.show_section("journal")
    journal = case.section("journal")
    journal.text.setPlainText("Rückruf wegen Kita-Platz – noch nicht gespeichert")
    window.idle._last -= window.idle.minutes * 60 + 1
    window.idle.check()
    assert_locked_with_draft_sealed(qtbot, window, "Öztürk", "Kita-Platz", T)

    # A typo first: the message is plain German, nothing opens.
    window.unlock_page.passphrase.setText("Kaffee am Nordmarkt um neun")
    qtbot.mouseClick(window.unlock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "falsch" in window.unlock_page.message.text(), timeout=T)
    assert window.workspace is None
    window.unlock_page.passphrase.setText(PASS)
    qtbot.mouseClick(window.unlock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=T)
    ws = window.workspace
    assert ws is not None
    reopened: Any = ws.currentWidget()
    assert getattr(reopened, "case_id", None) == case_id
    draft = reopened.section("journal").text
    qtbot.waitUntil(lambda: draft.toPlainText().startswith("Rückruf wegen Kita-Platz"),
                    timeout=T)
    ctx = window.ctx
    assert ctx is not None
    ctx.wait_idle()
    assert get_case(ctx.vault(), case_id).phase == "assessment"
    window.close()
