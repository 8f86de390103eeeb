"""Section "Phase": the DGCC cycle, the checklist for the next step, the step itself, history.

The core decides whether a step is possible (``change_phase`` raises ``PhaseBlocked``); this
page shows its German explanation and lets the caseworker give a reason for an exception.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app import catalogue_phases, catalogues
from app.errors import PhaseBlocked
from app.services.phases import read as phases_read
from app.services.phases.read import check_step
from app.services.phases.records import Closure, PhaseStep, PhaseView, StepCheck
from app.services.phases.write import change_phase
from app.vault.store import Vault
from ui.casefile._form import (
    FieldErrors,
    error_label,
    field_row,
    fmt_datetime,
    left_aligned,
    run_guarded,
)
from ui.casefile._section import DraftState, Section
from ui.casefile._table import Row, RowsModel, table_view
from ui.context import AppContext, german_message

HEADERS = ("Von", "Nach", "Datum", "Anlass", "Ausnahme")
FILLED_BY_FORM = ("close_reason", "handover_note")  # set by the closing step itself
CURRENT_STYLE = "font-weight: 700; border: 2px solid palette(highlight); padding: 3px;"


def item_labels() -> dict[str, str]:
    return {item.code: item.label for p in catalogues.phases() for item in p.minimum_documentation}


def history_row(step: PhaseStep, labels: dict[str, str]) -> Row:
    source = catalogues.phase(step.from_phase).label if step.from_phase else "(Fall angelegt)"
    exception = ""
    if step.override_reason:
        missing = ", ".join(labels.get(code, code) for code in step.missing_items)
        exception = step.override_reason + (f" (fehlte: {missing})" if missing else "")
    return Row((source, catalogues.phase(step.to_phase).label, fmt_datetime(step.at),
                step.reason or "", exception), highlight=bool(step.override_reason))


class PhaseSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.view: PhaseView | None = None
        self.checks: dict[str, StepCheck] = {}
        self._labels = item_labels()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.cycle_text = QLabel()
        self.cycle_text.setObjectName("phaseCurrent")
        layout.addWidget(self.cycle_text)
        cycle = QHBoxLayout()
        self.steps: dict[str, QLabel] = {}
        for number, phase in enumerate(catalogues.phases()):
            if number:
                cycle.addWidget(QLabel("→"))
            label = QLabel(phase.short_label)
            label.setToolTip(phase.description)
            self.steps[phase.code] = label
            cycle.addWidget(label)
        cycle.addStretch(1)
        layout.addLayout(cycle)
        layout.addWidget(self._build_step())
        self.model = RowsModel(HEADERS, self)
        self.table = table_view(self.model, "Phasenverlauf")
        history_label = QLabel("&Phasenverlauf:")
        history_label.setBuddy(self.table)
        layout.addWidget(history_label)
        layout.addWidget(self.table, 1)

    def _build_step(self) -> QGroupBox:
        box = QGroupBox("Phasenschritt")
        form = self.form = QFormLayout(box)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.target = QComboBox()
        self.target.currentIndexChanged.connect(self._render_checklist)
        self.checklist = QListWidget()
        self.reason = QLineEdit()
        self.close_reason = QComboBox()
        self.close_reason.addItem("Bitte wählen …", None)
        for reason in catalogues.close_reasons():
            self.close_reason.addItem(reason.label, reason.code)
        self.close_reason.currentIndexChanged.connect(self._render_checklist)
        self.handover = QPlainTextEdit()
        self.handover.setTabChangesFocus(True)
        self.handover.setMaximumHeight(70)
        self.handover.textChanged.connect(self._render_checklist)
        self.override = QPlainTextEdit()
        self.override.setTabChangesFocus(True)
        self.override.setMaximumHeight(70)
        self.explanation = error_label()
        self.explanation.setObjectName("phaseExplanation")
        field_row(form, "&Ziel des Schritts:", self.target, self.errors, "phase")
        field_row(form, "&Mindestdokumentation:", self.checklist)
        field_row(form, "A&nlass (optional):", self.reason)
        self.close_rows = [field_row(form, "Abschluss&grund:", self.close_reason, self.errors,
                                     "close_reason"),
                           field_row(form, "Ü&bergabe:", self.handover)]
        self.override_label = field_row(form, "Begründung der Ausnah&me:", self.override)
        self.override.setPlaceholderText(
            "Nur wenn der Schritt trotz fehlender Angaben nötig ist: warum?")
        form.addRow(self.explanation)
        form.addRow(self.general_error)
        self.run_button = QPushButton("Schritt &ausführen")
        self.run_button.clicked.connect(self.run_step)
        form.addRow("", left_aligned(self.run_button))
        self._show_closing(False)
        return box

    def _show_closing(self, visible: bool) -> None:
        for label in self.close_rows:
            self.form.setRowVisible(label, visible)

    def _offer_override(self, visible: bool) -> None:
        self.form.setRowVisible(self.override_label, visible)

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        case_id = self.case_id

        def load(vault: Vault) -> tuple[PhaseView, list[StepCheck]]:
            view = phases_read.phase_view(vault, case_id)
            targets = catalogues.phase(view.phase).transitions
            return view, [check_step(vault, case_id, t) for t in targets]

        run_guarded(self, self.ctx, load, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[PhaseView, list[StepCheck]]) -> None:
        view, checks = result
        self.view = view
        self.checks = {c.target: c for c in checks}
        current = catalogues.phase(view.phase)
        self.cycle_text.setText(f"Aktuelle Phase: <b>{current.label}</b>"
                                + _closure_text(view.closure))
        for code, label in self.steps.items():
            is_current = code == view.phase
            label.setStyleSheet(CURRENT_STYLE if is_current else "")
            label.setAccessibleName(
                f"{label.text()} (aktuelle Phase)" if is_current else label.text())
        chosen = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        for code in current.transitions:
            suffix = (" (nächste Phase)" if code == current.next else
                      "" if code == "closed" else
                      " (Fall wieder aufnehmen)" if view.phase == "closed" else " (zurück)")
            self.target.addItem(catalogues.phase(code).label + suffix, code)
        index = self.target.findData(chosen)
        self.target.setCurrentIndex(max(index, 0))
        self.target.blockSignals(False)
        self._render_checklist()
        self.model.set_rows([history_row(s, self._labels) for s in reversed(view.history)])

    def _load_failed(self, exc: BaseException) -> None:
        self.general_error.setText(german_message(exc))
        self.general_error.show()

    def _render_checklist(self) -> None:
        if self.view is None:
            return
        target = self.target.currentData()
        closing = target == "closed"
        self._show_closing(closing)
        self.checklist.clear()
        if target is None:
            return
        missing = {m.code for m in self.checks[target].missing} if target in self.checks else set()
        filled = {"close_reason": self.close_reason.currentData() is not None,
                  "handover_note": bool(self.handover.toPlainText().strip())}
        items = catalogue_phases.requirements(self.view.phase, target)
        open_items = 0
        for item in items:
            ok = item.code not in missing or (closing and filled.get(item.code, False))
            open_items += not ok
            self.checklist.addItem(f"✓ {item.label}" if ok else f"✗ {item.label} – {item.hint}")
        if not items:
            self.checklist.addItem("Für diesen Schritt ist keine Mindestdokumentation nötig.")
        rows = min(max(self.checklist.count(), 1), 6)  # as tall as the list, scrolling beyond 6
        self.checklist.setFixedHeight(self.checklist.sizeHintForRow(0) * rows
                                      + 2 * self.checklist.frameWidth() + 4)
        # The exception reason is only offered where something is actually missing.
        self._offer_override(open_items > 0)

    # --- the step -----------------------------------------------------------------------------

    def run_step(self) -> None:
        target = self.target.currentData()
        if target is None:
            return
        self.errors.clear()
        self.explanation.hide()
        case_id, closing = self.case_id, target == "closed"
        reason = self.reason.text().strip() or None
        # The core stores the reason only when something is missing; otherwise it is ignored.
        override = self.override.toPlainText().strip() or None
        close_reason = self.close_reason.currentData() if closing else None
        handover = (self.handover.toPlainText().strip() or None) if closing else None
        self.run_button.setEnabled(False)
        run_guarded(self, self.ctx,
                    lambda vault: change_phase(vault, case_id, str(target), reason=reason,
                                               override_reason=override,
                                               close_reason=close_reason,
                                               handover_note=handover),
                    lambda _none: self._done(str(target)), self._failed)

    def _done(self, target: str) -> None:
        self.run_button.setEnabled(True)
        self.reason.clear()
        self.override.clear()
        self.handover.clear()
        self.close_reason.setCurrentIndex(0)
        self.ctx.status_message.emit(f"Phase gewechselt: {catalogues.phase(target).label}.")

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        if isinstance(exc, PhaseBlocked):
            self.explanation.setText(german_message(exc))
            self.explanation.show()
            self._offer_override(True)
            self.override.setFocus()
        else:
            self.errors.show(exc)

    # --- draft --------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return bool(self.override.toPlainText().strip() or self.handover.toPlainText().strip()
                    or self.reason.text().strip())

    def draft_state(self) -> DraftState | None:
        if not self.has_unsaved_changes():
            return None
        return {"reason": self.reason.text(), "override": self.override.toPlainText(),
                "handover": self.handover.toPlainText()}

    def restore_draft(self, state: DraftState) -> None:
        self.reason.setText(str(state.get("reason") or ""))
        self.override.setPlainText(str(state.get("override") or ""))
        self.handover.setPlainText(str(state.get("handover") or ""))


def _closure_text(closure: Closure | None) -> str:
    """'Abgeschlossen am … – Grund …', then the hand-over note (rich text, so escaped)."""
    if closure is None:
        return ""
    parts = ["Abgeschlossen"]
    if closure.closed_on is not None:
        parts[0] += f" am {closure.closed_on:%d.%m.%Y}"
    if closure.reason:
        parts.append(f"Grund: {html.escape(closure.reason)}")
    text = "<br>" + " – ".join(parts)
    if closure.handover_note:
        text += f"<br>Übergabe: {html.escape(closure.handover_note)}"
    return text
