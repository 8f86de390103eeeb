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

from app import catalogues
from app.errors import ValidationFailed
from app.services.consent.records import DisclosureRefused, DisclosureWarningPending
from app.services.directory.read import institutions
from app.services.plan.read import case_plan
from app.services.plan.records import AssessmentRow, CasePlan, GoalRow, ReferralRow
from app.services.plan.write import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    evaluate_goal,
    update_referral,
)
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
    FormBox,
    GoalForm,
    MeasureForm,
    ReferralForm,
)
from ui.casefile.sections._referral_gate import ReferralGate
from ui.casefile.sections._row_actions import RowActions
from ui.context import AppContext, german_message
from ui.dialogs import confirm

T = TypeVar("T")
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
        self.assessment_form.save_requested.connect(self._save_assessment)
        self.goal_form.save_requested.connect(self._save_goal)
        self.measure_form.save_requested.connect(self._save_measure)
        self.evaluation_form.save_requested.connect(self._save_evaluation)
        self.referral_form.save_requested.connect(self._save_referral)
        self.referral_gate.recorded.connect(self._save_referral)
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

    def _form_of(self, kind: kinds.RecordKind) -> FormBox:
        return self._forms()[kind.name]

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
            self._form_of(kind).start_edit(key, record[0])

    def ask_delete(self, kind: kinds.RecordKind, key: str) -> None:
        record = self._record(kind, key)
        if record is not None:
            confirm(self, kind.delete_title, record[1], kind.delete_action,
                    lambda: self.delete(kind, key))

    def delete(self, kind: kinds.RecordKind, key: str) -> None:
        form = self._form_of(kind)

        def done(_result: object) -> None:
            if form.editing == key:
                form.reset()
            self.message.setStyleSheet("")
            self.message.setText(kind.deleted_text)

        run_guarded(self, self.ctx, lambda v: kind.delete(v, key), done, self._error)

    def _save_changes(self, kind: kinds.RecordKind) -> bool:
        """If the form is correcting a record, save what changed and say True."""
        form, key = self._form_of(kind), self._form_of(kind).editing
        if key is None:
            return False
        changes = kind.changes_for_service(form.changes())
        if not changes:
            form.reset()
            self.message.setStyleSheet("")
            self.message.setText("Keine Änderungen zu speichern.")
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
            self.message.setStyleSheet("")
            self.message.setText(done_text)

        def failed(exc: BaseException) -> None:
            form.save.setEnabled(True)
            form.errors.show(exc)
            if on_refused is not None:
                on_refused(exc)

        run_guarded(self, self.ctx, call, done, failed)

    def _save_assessment(self) -> None:
        if self._save_changes(kinds.ASSESSMENT):
            return
        f = self.assessment_form
        domain, resources, needs = f.choice("life_domain"), f.text("resources"), f.text("needs")
        view, on = f.text("client_view"), f.date("assessed_on")
        re_assessment = bool(f.state().get("is_reassessment"))
        assert on is not None
        self._submit(f, lambda v: add_assessment(
            v, self.case_id, domain, resources=resources, needs=needs, client_view=view,
            assessed_on=on, is_reassessment=re_assessment), "Das Assessment wurde gespeichert.")

    def _save_goal(self) -> None:
        if self._save_changes(kinds.GOAL):
            return
        new = self.goal_form.value()
        self._submit(self.goal_form, lambda v: add_goal(v, self.case_id, new),
                     "Das Ziel wurde angelegt.")

    def _save_measure(self) -> None:
        if self._save_changes(kinds.MEASURE):
            return
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

    def _save_referral(self, acknowledged: bool = False) -> None:
        """Add or correct a referral; it passes the consent gate in the service. Refused, the
        gate below the form says what is missing and records it; a warning (foreigners'
        authority, confided information) is asked before saving again."""
        f = self.referral_form
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
                self.message.setStyleSheet("")
                self.message.setText("Keine Änderungen zu speichern.")
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
                return add_referral(v, self.case_id, institution, purpose, on, categories,
                                    warning_acknowledged=acknowledged)
            text = "Die Vermittlung wurde gespeichert."
        self.referral_gate.hide()
        self._submit(f, call, text, lambda exc: self._referral_refused(exc, institution,
                                                                       purpose))

    def _referral_refused(self, exc: BaseException, institution: str, purpose: str) -> None:
        if isinstance(exc, DisclosureRefused):
            # The explanation is in the gate; at the field a pointer to it is enough.
            self.referral_form.errors.labels["data_categories"].setText(
                "Für die gewählten Datenkategorien fehlt eine Grundlage (siehe unten).")
            self.referral_gate.open_for(institution, purpose, exc)
            self.referral_scroll.ensureWidgetVisible(self.referral_gate.reason)
        elif isinstance(exc, DisclosureWarningPending):
            self.referral_form.errors.clear()
            confirm(self, "Hinweis zur Weitergabe",
                    "\n\n".join(exc.warnings) + "\n\nDie Vermittlung trotzdem speichern?",
                    "Hinweis bestätigen und &speichern",
                    lambda: self._save_referral(acknowledged=True))

    # --- drafts ------------------------------------------------------------------------------

    def _forms(self) -> dict[str, FormBox]:
        return {"assessment": self.assessment_form, "goal": self.goal_form,
                "measure": self.measure_form, "evaluation": self.evaluation_form,
                "referral": self.referral_form}

    def has_unsaved_changes(self) -> bool:
        return any(f.is_dirty() for f in self._forms().values())

    def draft_state(self) -> dict[str, object] | None:
        dirty = {name: f.draft() for name, f in self._forms().items() if f.is_dirty()}
        return dict(dirty) if dirty else None

    def restore_draft(self, state: dict[str, object]) -> None:
        for name, form in self._forms().items():
            part = state.get(name)
            if isinstance(part, dict):
                form.restore(part)
