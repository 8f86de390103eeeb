"""The case file's phase step: blocked with reasons, taken with an exception, closing a case."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services.cases.read import get_case
from app.services.cases.write import update_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from tests.support.changes import committed
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    column,
    history_of,
    open_case,
    row,
    section_of,
)
from tests.ui.model_check import check_model
from ui.casefile.sections.phase import PhaseSection
from ui.context import AppContext

# The fixture lives in the helper module; naming it here makes pytest use it.


def record_intake_documentation(ctx: AppContext, case_id: int) -> None:
    vault = ctx.vault()
    update_case(vault, case_id, access_route="outreach",
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
    check_model(phase.model)
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
    committed(ctx, lambda: record_intake_documentation(ctx, case_id))
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
    # Exactly the reads the person made, newest first: the Protokoll just now, and the case
    # opened at its Phase section (the reloads after the phase change are not reads).
    reads = [d for e, d in zip(events, details, strict=True) if e == "Fallakte angesehen"]
    assert reads == ["Protokoll", "Phase"]
    every_cell = " ".join(" ".join(row(model, r)) for r in range(model.rowCount()))
    assert "Öztürk" not in every_cell and "Ayşe" not in every_cell


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
    assert phase.target.currentText() == "Assessment (Situationsanalyse) (Fall wieder aufnehmen)"
    # How it ended stays in view for whoever opens the closed case later.
    reason = next(r.label for r in catalogues.close_reasons() if r.code == "moved_away")
    assert f"Abgeschlossen am {date.today():%d.%m.%Y} – Grund: {reason}" in phase.cycle_text.text()
    assert "Übergabe: Weiterbegleitung durch das KIM in Bochum vereinbart" in \
        phase.cycle_text.text()
