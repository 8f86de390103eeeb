"""Assessment & Hilfeplan: assessment per life domain, goals with measures and attainment,
referrals to institutions.

This module lays out the tables and forms, loads the plan and keeps the drafts; what a form's
save does (add, correct, delete, the referral's consent gate) is ``_plan_writes.PlanWrites``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.services.directory.read import institutions
from app.services.plan.read import case_plan
from app.services.plan.records import AssessmentRow, CasePlan, GoalRow, ReferralRow
from app.vault.store import Vault
from ui.casefile._form import (
    ERROR_STYLE,
    fmt_date,
    run_guarded,
)
from ui.casefile._section import Section
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections import _plan_edit as kinds
from ui.casefile.sections._fit import DATE_SAMPLE, fit_columns, with_tooltips
from ui.casefile.sections._plan_forms import (
    AssessmentForm,
    EvaluationForm,
    GoalForm,
    MeasureForm,
    ReferralForm,
)
from ui.casefile.sections._plan_writes import PlanForms, PlanWrites
from ui.casefile.sections._referral_gate import ReferralGate
from ui.casefile.sections._row_actions import RowActions
from ui.context import AppContext, german_message
from ui.dialogs import confirm

ASSESSMENT_HEADERS = ("Lebensbereich", "Ressourcen", "Bedarfe",
                      "Sicht Klient:in", "Datum")
GOAL_HEADERS = ("Lebensbereich", "Ziel", "Indikator", "Zieldatum", "Verantwortlich",
                "Zielerreichung")
MEASURE_HEADERS = ("Maßnahme", "Zuständig", "Fällig am", "Stand")
REFERRAL_HEADERS = ("Institution", "Anlass", "Datum", "Ergebnis")
MEASURE_STATUS = {"open": "offen", "in_progress": "in Arbeit", "done": "erledigt",
                  "dropped": "verworfen"}


@dataclass(frozen=True)
class _Loaded:
    plan: CasePlan
    institutions: list[tuple[str, str, str | None]]  # uuid, name, disclosure warning


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
    splitter.setSizes([5500, 4500])  # rescaled to the real width: the tables get 55 %
    splitter.setChildrenCollapsible(False)
    return splitter


def _labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class PlanSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("planSection")
        self._goals: list[GoalRow] = []
        self._assessments: dict[str, AssessmentRow] = {}
        self._referrals: dict[str, ReferralRow] = {}
        self.assessment_model = RowsModel(ASSESSMENT_HEADERS)
        self.goal_model = RowsModel(GOAL_HEADERS)
        self.measure_model = RowsModel(MEASURE_HEADERS)
        self.referral_model = RowsModel(REFERRAL_HEADERS)
        self.assessments = make_table("Assessment nach Lebensbereichen", self.assessment_model)
        self.goals = make_table("Ziele", self.goal_model, stretch=1)
        self.measures = make_table("Maßnahmen zum gewählten Ziel", self.measure_model, stretch=0)
        self.referrals = make_table("Vermittlungen", self.referral_model, stretch=1)
        # One line per row, every column in view at 1280×720 and 150 %; full text in tooltips.
        for view, weights, samples in (
                (self.assessments, (14, 28, 28, 22, 0), {4: DATE_SAMPLE}),
                (self.goals, (14, 30, 20, 0, 16, 8), {3: DATE_SAMPLE, 5: "nicht erreicht"}),
                (self.measures, (50, 30, 0, 6), {2: DATE_SAMPLE, 3: "in Arbeit"}),
                (self.referrals, (36, 40, 0, 24), {2: DATE_SAMPLE})):
            fit_columns(view, weights, samples)
        self.assessment_form = AssessmentForm()
        self.goal_form = GoalForm()
        self.measure_form = MeasureForm()
        self.evaluation_form = EvaluationForm()
        self.referral_form = ReferralForm()
        self.forms = PlanForms(self.assessment_form, self.goal_form, self.measure_form,
                               self.evaluation_form, self.referral_form)
        self.referral_gate = ReferralGate(ctx, case_id)
        self.message = QLabel()
        self.message.setObjectName("planMessage")
        self.message.setWordWrap(True)
        self._build_actions()
        self.tabs = QTabWidget()
        self.tabs.addTab(_page(
            _column(_labelled("&Assessment nach Lebensbereichen:", self.assessments),
                    self.assessments, self.assessment_actions),
            _column(self.assessment_form)), "A&ssessment")
        self.tabs.addTab(_page(
            _column(_labelled("&Ziele:", self.goals), self.goals, self.goal_actions,
                    _labelled("Maßnahmen zum ge&wählten Ziel:", self.measures), self.measures,
                    self.measure_actions),
            _column(self.goal_form, self.measure_form, self.evaluation_form)),
            "Ziele && &Maßnahmen")
        referral_page = _page(_column(_labelled("&Vermittlungen:", self.referrals),
                                      self.referrals, self.referral_actions),
                              _column(self.referral_form, self.referral_gate))
        scroll = referral_page.widget(1)
        assert isinstance(scroll, QScrollArea)
        self.referral_scroll: QScrollArea = scroll
        self.tabs.addTab(referral_page, "&Vermittlungen")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Assessment &amp; Hilfeplan</h2>"))
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.writes = PlanWrites(self, self.message, self.forms, self.referral_gate,
                                 self.referral_scroll, self.selected_goal)
        self.assessment_form.save_requested.connect(self.writes.save_assessment)
        self.goal_form.save_requested.connect(self.writes.save_goal)
        self.measure_form.save_requested.connect(self.writes.save_measure)
        self.evaluation_form.save_requested.connect(self.writes.save_evaluation)
        self.referral_form.save_requested.connect(self.writes.save_referral)
        self.referral_gate.recorded.connect(self.writes.save_referral)
        self.goals.selectionModel().selectionChanged.connect(self._goal_selected)
        # The case-file window reloads the visible section when a committed change touches its
        # case (and after unlocking): the context reports every write, nobody announces it.
        ctx.locked.connect(self.clear)
        self._goal_selected()

    def _build_actions(self) -> None:
        """Buttons under each table; mnemonics are unique on their tab."""
        def key_of(model: RowsModel) -> Callable[[int], str | None]:
            return lambda row: (found.key if (found := model.row_at(row)) else None)

        self.assessment_actions = RowActions(self.assessments, key_of(self.assessment_model),
                                             "Bearbei&ten…", "Lös&chen…", "assessment")
        self.goal_actions = RowActions(self.goals, key_of(self.goal_model),
                                       "Ziel bearbei&ten…", "Ziel lös&chen…", "goal")
        self.measure_actions = RowActions(self.measures, key_of(self.measure_model),
                                          "Maßnahme bea&rbeiten…", "Maßnahme l&öschen…",
                                          "measure")
        self.referral_actions = RowActions(self.referrals, key_of(self.referral_model),
                                           "Bearbei&ten…", "Lös&chen…", "referral")
        for actions, kind in ((self.assessment_actions, kinds.ASSESSMENT),
                              (self.goal_actions, kinds.GOAL),
                              (self.measure_actions, kinds.MEASURE),
                              (self.referral_actions, kinds.REFERRAL)):
            actions.edit_requested.connect(lambda key, k=kind: self.edit(k, key))
            actions.delete_requested.connect(lambda key, k=kind: self.ask_delete(k, key))

    # --- loading -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._goals, self._assessments, self._referrals = [], {}, {}
        for model in (self.assessment_model, self.goal_model, self.measure_model,
                      self.referral_model):
            model.set_rows([])
        self.referral_gate.close_gate()  # it names the institution and what was refused
        self.message.clear()

    def refresh(self) -> None:
        case_id = self.case_id

        def load(vault: Vault) -> _Loaded:
            warnings = {k.code: k.disclosure_warning for k in catalogues.institution_kinds()}
            return _Loaded(case_plan(vault, case_id),
                           [(i.uuid, f"{i.name} ({i.kind_label})", warnings.get(i.kind))
                            for i in institutions(vault)])

        run_guarded(self, self.ctx, load, self._show, self._error)

    def _show(self, loaded: _Loaded) -> None:
        plan = loaded.plan
        self._assessments = {a.uuid: a for a in plan.assessments}
        self._referrals = {r.uuid: r for r in plan.referrals}
        self.assessment_model.set_rows([with_tooltips(
            Row((a.life_domain_label + (" (Re-Assessment)" if a.is_reassessment else ""),
                 a.resources or "", a.needs or "", a.client_view or "",
                 fmt_date(a.assessed_on)), a.uuid)) for a in plan.assessments])
        selected = self.selected_goal()
        self._goals = list(plan.goals)
        self.goal_model.set_rows([with_tooltips(
            Row((g.life_domain_label, g.description, g.indicator or "",
                 fmt_date(g.target_date), g.responsible or "",
                 g.attainment_label or "noch nicht bewertet"), g.uuid)) for g in self._goals])
        if selected is not None:
            keys = [g.uuid for g in self._goals]
            if selected.uuid in keys:
                self.goals.selectRow(keys.index(selected.uuid))
        self._goal_selected()
        self.referral_model.set_rows([with_tooltips(
            Row((r.institution_name, r.purpose, fmt_date(r.referred_on), r.outcome or ""),
                r.uuid)) for r in plan.referrals])
        self.referral_form.set_institutions([(u, name) for u, name, _ in loaded.institutions])
        self.referral_gate.set_institutions(loaded.institutions)

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def selected_goal(self) -> GoalRow | None:
        rows = self.goals.selectionModel().selectedRows()
        return self._goals[rows[0].row()] if rows and rows[0].row() < len(self._goals) else None

    def _goal_selected(self) -> None:
        goal = self.selected_goal()
        self.measure_model.set_rows([] if goal is None else [with_tooltips(
            Row((m.description, m.responsible or "", fmt_date(m.due_on),
                 MEASURE_STATUS.get(m.status, m.status)), m.uuid)) for m in goal.measures])
        for form in (self.measure_form, self.evaluation_form):
            form.setEnabled(goal is not None)
        editing = self.measure_form.editing
        # Another goal chosen: the measure being corrected is not one of its own. (No goal, as
        # after unlocking, keeps a restored correction until the goal is picked again.)
        if editing is not None and goal is not None and editing not in {
                m.uuid for m in goal.measures}:
            self.measure_form.reset()
        if self.measure_form.editing is None:
            self.measure_form.setTitle("Maßnahme zum gewählten Ziel" if goal is None
                                       else f"Maßnahme zum Ziel „{goal.description[:60]}“")

    # --- correcting and deleting -------------------------------------------------------------

    def _record(self, kind: kinds.RecordKind, key: str
                ) -> tuple[dict[str, object], str] | None:
        """The loaded record as form values, and the confirmation question about it."""
        if kind is kinds.ASSESSMENT and key in self._assessments:
            a = self._assessments[key]
            return kinds.assessment_values(a), kinds.ask_assessment(a)
        if kind is kinds.REFERRAL and key in self._referrals:
            r = self._referrals[key]
            return kinds.referral_values(r), kinds.ask_referral(r)
        for g in self._goals:
            if kind is kinds.GOAL and g.uuid == key:
                return kinds.goal_values(g), kinds.ask_goal(g)
            for m in g.measures:
                if kind is kinds.MEASURE and m.uuid == key:
                    return kinds.measure_values(m), kinds.ask_measure(m)
        return None

    def edit(self, kind: kinds.RecordKind, key: str) -> None:
        """Open the record in its form, pre-filled; saving changes it."""
        record = self._record(kind, key)
        if record is not None:
            self.forms.by_name()[kind.name].start_edit(key, record[0])

    def ask_delete(self, kind: kinds.RecordKind, key: str) -> None:
        record = self._record(kind, key)
        if record is not None:
            confirm(self, kind.delete_title, record[1], kind.delete_action,
                    lambda: self.writes.delete(kind, key))

    # --- drafts ------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return any(f.is_dirty() for f in self.forms.by_name().values())

    def draft_state(self) -> dict[str, object] | None:
        dirty = {name: f.draft() for name, f in self.forms.by_name().items() if f.is_dirty()}
        return dict(dirty) if dirty else None

    def restore_draft(self, state: dict[str, object]) -> None:
        for name, form in self.forms.by_name().items():
            part = state.get(name)
            if isinstance(part, dict):
                form.restore(part)
