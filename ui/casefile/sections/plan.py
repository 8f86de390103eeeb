"""Assessment & Hilfeplan: assessment per life domain, goals with measures and attainment,
referrals to institutions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.directory import list_institutions
from app.services.plan import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    evaluate_goal,
)
from app.services.plan_read import CasePlan, GoalRow, case_plan
from app.vault.store import Vault
from ui.casefile.sections._common import ERROR_STYLE, fmt_date, make_table, run_guarded
from ui.casefile.sections._plan_forms import (
    AssessmentForm,
    EvaluationForm,
    FormBox,
    GoalForm,
    MeasureForm,
    ReferralForm,
)
from ui.casefile.sections._rows_model import Row, RowsModel
from ui.context import AppContext, german_message

T = TypeVar("T")
ASSESSMENT_HEADERS = ("Lebensbereich", "Ressourcen", "Bedarfe",
                      "Sicht der Klientin / des Klienten", "Datum")
GOAL_HEADERS = ("Lebensbereich", "Ziel", "Indikator", "Zieldatum", "Verantwortlich",
                "Zielerreichung")
MEASURE_HEADERS = ("Maßnahme", "Zuständig", "Fällig am", "Stand")
REFERRAL_HEADERS = ("Institution", "Anlass", "Datum", "Ergebnis")
MEASURE_STATUS = {"open": "offen", "in_progress": "in Arbeit", "done": "erledigt",
                  "dropped": "verworfen"}


@dataclass(frozen=True)
class _Loaded:
    plan: CasePlan
    institutions: list[tuple[str, str]]


def _column(*widgets: QWidget) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    return column


def _page(tables: QWidget, forms: QWidget) -> QSplitter:
    """Lists on the left, entry forms on the right (scrolling on small laptop screens)."""
    layout = forms.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(forms)
    scroll.setMinimumWidth(380)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(tables)
    splitter.addWidget(scroll)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    return splitter


def _labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class PlanSection(QWidget):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__()
        self.ctx, self.case_id = ctx, case_id
        self.setObjectName("planSection")
        self._goals: list[GoalRow] = []
        self.assessment_model = RowsModel(ASSESSMENT_HEADERS)
        self.goal_model = RowsModel(GOAL_HEADERS)
        self.measure_model = RowsModel(MEASURE_HEADERS)
        self.referral_model = RowsModel(REFERRAL_HEADERS)
        self.assessments = make_table("Assessment nach Lebensbereichen", self.assessment_model)
        self.goals = make_table("Ziele", self.goal_model, stretch=1)
        self.measures = make_table("Maßnahmen zum gewählten Ziel", self.measure_model, stretch=0)
        self.referrals = make_table("Vermittlungen", self.referral_model, stretch=1)
        self.assessment_form = AssessmentForm()
        self.goal_form = GoalForm()
        self.measure_form = MeasureForm()
        self.evaluation_form = EvaluationForm()
        self.referral_form = ReferralForm()
        self.message = QLabel()
        self.message.setObjectName("planMessage")
        self.message.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(_page(
            _column(_labelled("&Assessment nach Lebensbereichen:", self.assessments),
                    self.assessments),
            _column(self.assessment_form)), "A&ssessment")
        self.tabs.addTab(_page(
            _column(_labelled("&Ziele:", self.goals), self.goals,
                    _labelled("Maßnahmen zum ge&wählten Ziel:", self.measures), self.measures),
            _column(self.goal_form, self.measure_form, self.evaluation_form)),
            "Ziele && &Maßnahmen")
        self.tabs.addTab(_page(_column(_labelled("&Vermittlungen:", self.referrals),
                                       self.referrals),
                               _column(self.referral_form)), "&Vermittlungen")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Assessment &amp; Hilfeplan</h2>"))
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.assessment_form.save_requested.connect(self._save_assessment)
        self.goal_form.save_requested.connect(self._save_goal)
        self.measure_form.save_requested.connect(self._save_measure)
        self.evaluation_form.save_requested.connect(self._save_evaluation)
        self.referral_form.save_requested.connect(self._save_referral)
        self.goals.selectionModel().selectionChanged.connect(self._goal_selected)
        # The case-file window reloads the visible section on ctx.changed (and after unlocking);
        # a section only announces what it changed.
        ctx.locked.connect(self.clear)
        self._goal_selected()

    # --- loading -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._goals = []
        for model in (self.assessment_model, self.goal_model, self.measure_model,
                      self.referral_model):
            model.set_rows([])
        self.message.clear()

    def refresh(self) -> None:
        case_id = self.case_id

        def load(vault: Vault) -> _Loaded:
            return _Loaded(case_plan(vault, case_id),
                           [(i.uuid, f"{i.name} ({i.kind_label})")
                            for i in list_institutions(vault)])

        run_guarded(self, self.ctx, load, self._show, self._error)

    def _show(self, loaded: _Loaded) -> None:
        plan = loaded.plan
        self.assessment_model.set_rows([
            Row((a.life_domain_label + (" (Re-Assessment)" if a.is_reassessment else ""),
                 a.resources or "", a.needs or "", a.client_view or "",
                 fmt_date(a.assessed_on)), a.uuid) for a in plan.assessments])
        selected = self.selected_goal()
        self._goals = list(plan.goals)
        self.goal_model.set_rows([
            Row((g.life_domain_label, g.description, g.indicator or "",
                 fmt_date(g.target_date), g.responsible or "",
                 g.attainment_label or "noch nicht bewertet"), g.uuid) for g in self._goals])
        if selected is not None:
            keys = [g.uuid for g in self._goals]
            if selected.uuid in keys:
                self.goals.selectRow(keys.index(selected.uuid))
        self._goal_selected()
        self.referral_model.set_rows([
            Row((r.institution_name, r.purpose, fmt_date(r.referred_on), r.outcome or ""),
                r.uuid) for r in plan.referrals])
        self.referral_form.set_institutions(loaded.institutions)

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def selected_goal(self) -> GoalRow | None:
        rows = self.goals.selectionModel().selectedRows()
        return self._goals[rows[0].row()] if rows and rows[0].row() < len(self._goals) else None

    def _goal_selected(self) -> None:
        goal = self.selected_goal()
        self.measure_model.set_rows([] if goal is None else [
            Row((m.description, m.responsible or "", fmt_date(m.due_on),
                 MEASURE_STATUS.get(m.status, m.status)), m.uuid) for m in goal.measures])
        for form in (self.measure_form, self.evaluation_form):
            form.setEnabled(goal is not None)
        self.measure_form.setTitle("Maßnahme zum gewählten Ziel" if goal is None
                                   else f"Maßnahme zum Ziel „{goal.description[:60]}“")

    # --- saving ------------------------------------------------------------------------------

    def _submit(self, form: FormBox, call: Callable[[Vault], T], done_text: str) -> None:
        """Run one write; errors land next to their field, success empties the form."""
        form.errors.clear()
        form.save.setEnabled(False)

        def done(_result: T) -> None:
            form.save.setEnabled(True)
            form.reset()
            self.message.setStyleSheet("")
            self.message.setText(done_text)
            self.ctx.changed.emit("plan")

        def failed(exc: BaseException) -> None:
            form.save.setEnabled(True)
            form.errors.show(exc)

        run_guarded(self, self.ctx, call, done, failed)

    def _save_assessment(self) -> None:
        f = self.assessment_form
        domain, resources, needs = f.choice("life_domain"), f.text("resources"), f.text("needs")
        view, on = f.text("client_view"), f.date("assessed_on")
        re_assessment = bool(f.state().get("is_reassessment"))
        assert on is not None
        self._submit(f, lambda v: add_assessment(
            v, self.case_id, domain, resources=resources, needs=needs, client_view=view,
            assessed_on=on, is_reassessment=re_assessment), "Das Assessment wurde gespeichert.")

    def _save_goal(self) -> None:
        new = self.goal_form.value()
        self._submit(self.goal_form, lambda v: add_goal(v, self.case_id, new),
                     "Das Ziel wurde angelegt.")

    def _save_measure(self) -> None:
        goal, f = self.selected_goal(), self.measure_form
        if goal is None:
            return
        text, who, due = f.text("description") or "", f.text("responsible_text"), f.date("due_on")
        self._submit(f, lambda v: add_measure(v, goal.uuid, text, responsible_text=who,
                                              due_on=due), "Die Maßnahme wurde hinzugefügt.")

    def _save_evaluation(self) -> None:
        goal, f = self.selected_goal(), self.evaluation_form
        if goal is None:
            return
        attainment, note, on = f.choice("attainment"), f.text("note"), f.date("evaluated_on")
        assert on is not None
        self._submit(f, lambda v: evaluate_goal(v, goal.uuid, attainment, note, on),
                     "Die Bewertung wurde gespeichert.")

    def _save_referral(self) -> None:
        f = self.referral_form
        institution, on = f.choice("institution"), f.date("referred_on")
        purpose = f.text("purpose") or ""
        if not institution:
            f.errors.show(ValidationFailed("Bitte die Institution wählen.", "no institution",
                                           field="institution"))
            return
        assert on is not None
        self._submit(f, lambda v: add_referral(v, self.case_id, institution, purpose, on),
                     "Die Vermittlung wurde gespeichert.")

    # --- drafts ------------------------------------------------------------------------------

    def _forms(self) -> dict[str, FormBox]:
        return {"assessment": self.assessment_form, "goal": self.goal_form,
                "measure": self.measure_form, "evaluation": self.evaluation_form,
                "referral": self.referral_form}

    def has_unsaved_changes(self) -> bool:
        return any(f.is_dirty() for f in self._forms().values())

    def draft_state(self) -> dict[str, object] | None:
        dirty = {name: f.state() for name, f in self._forms().items() if f.is_dirty()}
        return dict(dirty) if dirty else None

    def restore_draft(self, state: dict[str, object]) -> None:
        for name, form in self._forms().items():
            part = state.get(name)
            if isinstance(part, dict):
                form.restore(part)
