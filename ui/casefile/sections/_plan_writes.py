"""The writes of "Assessment & Hilfeplan": a new record from its form, a loaded record corrected
or deleted, and a referral through the consent gate.

The section lays out the tables and forms, loads the plan and keeps the drafts; what happens
when a form is saved lives here, so neither half outgrows a readable module. Every write runs
guarded on the section, its errors land next to their field and its result in the section's
message line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QScrollArea

from app.errors import ValidationFailed
from app.services.consent.records import DisclosureRefused, DisclosureWarningPending
from app.services.plan.records import GoalRow
from app.services.plan.write import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    evaluate_goal,
    update_referral,
)
from app.vault.store import Vault
from ui.casefile._form import ERROR_STYLE, run_guarded
from ui.casefile._section import Section
from ui.casefile.sections import _plan_edit as kinds
from ui.casefile.sections._plan_forms import (
    AssessmentForm,
    EvaluationForm,
    FormBox,
    GoalForm,
    MeasureForm,
    ReferralForm,
)
from ui.casefile.sections._referral_gate import ReferralGate
from ui.context import german_message
from ui.dialogs import confirm

T = TypeVar("T")


@dataclass(frozen=True)
class PlanForms:
    assessment: AssessmentForm
    goal: GoalForm
    measure: MeasureForm
    evaluation: EvaluationForm
    referral: ReferralForm

    def by_name(self) -> dict[str, FormBox]:
        """Each form under its draft key (also a record kind's name)."""
        return {"assessment": self.assessment, "goal": self.goal, "measure": self.measure,
                "evaluation": self.evaluation, "referral": self.referral}


class PlanWrites:
    def __init__(self, section: Section, message: QLabel, forms: PlanForms,
                 gate: ReferralGate, gate_scroll: QScrollArea,
                 selected_goal: Callable[[], GoalRow | None]) -> None:
        self._section, self._message, self._forms = section, message, forms
        self._gate, self._gate_scroll, self._selected_goal = gate, gate_scroll, selected_goal

    def _said(self, text: str) -> None:
        self._message.setStyleSheet("")
        self._message.setText(text)

    def _error(self, exc: BaseException) -> None:
        self._message.setStyleSheet(ERROR_STYLE)
        self._message.setText(german_message(exc))

    def _form_of(self, kind: kinds.RecordKind) -> FormBox:
        return self._forms.by_name()[kind.name]

    # --- correcting and deleting -------------------------------------------------------------

    def delete(self, kind: kinds.RecordKind, key: str) -> None:
        form = self._form_of(kind)

        def done(_result: object) -> None:
            if form.editing == key:
                form.reset()
            self._said(kind.deleted_text)

        section = self._section
        run_guarded(section, section.ctx, lambda v: kind.delete(v, key), done, self._error)

    def _save_changes(self, kind: kinds.RecordKind) -> bool:
        """If the form is correcting a record, save what changed and say True."""
        form, key = self._form_of(kind), self._form_of(kind).editing
        if key is None:
            return False
        changes = kind.changes_for_service(form.changes())
        if not changes:
            form.reset()
            self._said("Keine Änderungen zu speichern.")
            return True
        self._submit(form, lambda v: kind.update(v, key, **changes), kind.changed_text)
        return True

    # --- saving ------------------------------------------------------------------------------

    def _submit(self, form: FormBox, call: Callable[[Vault], T], done_text: str,
                on_refused: Callable[[BaseException], None] | None = None) -> None:
        """Run one write; errors land next to their field, success empties the form."""
        form.errors.clear()
        form.save.setEnabled(False)

        def done(_result: T) -> None:
            form.save.setEnabled(True)
            form.reset()
            self._said(done_text)

        def failed(exc: BaseException) -> None:
            form.save.setEnabled(True)
            form.errors.show(exc)
            if on_refused is not None:
                on_refused(exc)

        run_guarded(self._section, self._section.ctx, call, done, failed)

    def save_assessment(self) -> None:
        if self._save_changes(kinds.ASSESSMENT):
            return
        f, case_id = self._forms.assessment, self._section.case_id
        domain, resources, needs = f.choice("life_domain"), f.text("resources"), f.text("needs")
        view, on = f.text("client_view"), f.date("assessed_on")
        re_assessment = bool(f.state().get("is_reassessment"))
        assert on is not None
        self._submit(f, lambda v: add_assessment(
            v, case_id, domain, resources=resources, needs=needs, client_view=view,
            assessed_on=on, is_reassessment=re_assessment), "Das Assessment wurde gespeichert.")

    def save_goal(self) -> None:
        if self._save_changes(kinds.GOAL):
            return
        new, case_id = self._forms.goal.value(), self._section.case_id
        self._submit(self._forms.goal, lambda v: add_goal(v, case_id, new),
                     "Das Ziel wurde angelegt.")

    def save_measure(self) -> None:
        if self._save_changes(kinds.MEASURE):
            return
        goal, f = self._selected_goal(), self._forms.measure
        if goal is None:
            return
        text, who, due = f.text("description") or "", f.text("responsible_text"), f.date("due_on")
        self._submit(f, lambda v: add_measure(v, goal.uuid, text, responsible_text=who,
                                              due_on=due), "Die Maßnahme wurde hinzugefügt.")

    def save_evaluation(self) -> None:
        goal, f = self._selected_goal(), self._forms.evaluation
        if goal is None:
            return
        attainment, note, on = f.choice("attainment"), f.text("note"), f.date("evaluated_on")
        assert on is not None
        self._submit(f, lambda v: evaluate_goal(v, goal.uuid, attainment, note, on),
                     "Die Bewertung wurde gespeichert.")

    def save_referral(self, acknowledged: bool = False) -> None:
        """Add or correct a referral; it passes the consent gate in the service. Refused, the
        gate below the form says what is missing and records it; a warning (foreigners'
        authority, confided information) is asked before saving again."""
        f, case_id = self._forms.referral, self._section.case_id
        key = f.editing
        institution, purpose = f.choice("institution"), f.text("purpose") or ""
        categories = f.categories.codes()
        if not institution:
            f.errors.show(ValidationFailed("Bitte die Institution wählen.", "no institution",
                                           field="institution"))
            return
        if key is not None:
            changes = kinds.REFERRAL.changes_for_service(f.changes())
            changes.pop("data_categories", None)
            if not changes and not categories:
                f.reset()
                self._said("Keine Änderungen zu speichern.")
                return

            def call(v: Vault) -> object:
                update_referral(v, key, data_categories=categories,
                                warning_acknowledged=acknowledged, **changes)
                return None
            text = kinds.REFERRAL.changed_text
        else:
            on = f.date("referred_on")
            assert on is not None

            def call(v: Vault) -> object:
                return add_referral(v, case_id, institution, purpose, on, categories,
                                    warning_acknowledged=acknowledged)
            text = "Die Vermittlung wurde gespeichert."
        self._gate.hide()
        self._submit(f, call, text, lambda exc: self._referral_refused(exc, institution,
                                                                       purpose))

    def _referral_refused(self, exc: BaseException, institution: str, purpose: str) -> None:
        if isinstance(exc, DisclosureRefused):
            # The explanation is in the gate; at the field a pointer to it is enough.
            self._forms.referral.errors.labels["data_categories"].setText(
                "Für die gewählten Datenkategorien fehlt eine Grundlage (siehe unten).")
            self._gate.open_for(institution, purpose, exc)
            self._gate_scroll.ensureWidgetVisible(self._gate.reason)
        elif isinstance(exc, DisclosureWarningPending):
            self._forms.referral.errors.clear()
            confirm(self._section, "Hinweis zur Weitergabe",
                    "\n\n".join(exc.warnings) + "\n\nDie Vermittlung trotzdem speichern?",
                    "Hinweis bestätigen und &speichern",
                    lambda: self.save_referral(acknowledged=True))
