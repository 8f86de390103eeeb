"""What every case-file section shares: labelled inputs, tables Tab can leave, the window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.casefile.sections_support import (
    Seed,
    category_column,
    cell,
)
from ui.casefile._form import set_date
from ui.context import AppContext


def test_every_input_has_a_label_and_tables_let_tab_leave(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QWidget,
    )

    from ui.casefile import sections

    checked = 0
    for cls in (sections.PlanSection, sections.TasksSection, sections.ConsentsSection,
                sections.DocumentsSection):
        section = cls(ctx, seed.case_id)
        qtbot.addWidget(section)
        buddies = {id(label.buddy()) for label in section.findChildren(QLabel)
                   if label.buddy() is not None and label.text().strip()}
        inputs: list[QWidget] = [
            w for kind in (QLineEdit, QPlainTextEdit, QComboBox)
            for w in section.findChildren(kind)
            if not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # inner line edits
            and not (isinstance(w, QPlainTextEdit) and w.isReadOnly())]
        checked += len(inputs)
        unlabelled = [w.objectName() or type(w).__name__ for w in inputs
                      if id(w) not in buddies]
        assert unlabelled == [], f"{cls.__name__}: inputs without a label: {unlabelled}"
        for table in section.findChildren(QTableView):
            assert not table.tabKeyNavigation()
            assert id(table) in buddies and table.accessibleName()
    assert checked > 25  # the forms were really inspected


def test_sections_embed_in_the_case_file_window(qtbot: QtBot, seed: Seed,
                                                ctx: AppContext) -> None:
    from ui.casefile import sections
    from ui.casefile._section import SectionCode, SectionSpec
    from ui.casefile.window import CaseFileWidget

    specs = [SectionSpec(SectionCode.CONSENTS, "Einwilligungen", sections.ConsentsSection),
             SectionSpec(SectionCode.TASKS, "Aufgaben & Fristen", sections.TasksSection),
             SectionSpec(SectionCode.PLAN, "Assessment & Hilfeplan", sections.PlanSection),
             SectionSpec(SectionCode.DOCUMENTS, "Dokumente", sections.DocumentsSection)]
    window = CaseFileWidget(ctx, seed.case_id, sections=specs)
    qtbot.addWidget(window)
    consents = window.section("consents")
    assert isinstance(consents, sections.ConsentsSection)
    qtbot.waitUntil(lambda: consents.form.institution.count() > 2, timeout=10000)
    form = consents.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    form.categories["housing"].setChecked(True)
    form.purpose.setText("Wohnungssuche")
    set_date(form.valid_until, date(2099, 3, 1))
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(consents.matrix_model, seed.jobcenter,
                                 category_column("housing")) == "✓ bis 01.03.2099",
                    timeout=10000)
    # The tasks section was not visible; it loads when shown and lists the new expiry.
    window.show_section("tasks")
    tasks = window.section("tasks")
    assert isinstance(tasks, sections.TasksSection)
    qtbot.waitUntil(lambda: any(r.cells[1] == "Einwilligung läuft ab"
                                for r in tasks.model.rows()), timeout=10000)
    plan = window.section("plan")
    assert isinstance(plan, sections.PlanSection)
    assert not window.has_unsaved_changes()
    plan.goal_form.inputs["description"].setPlainText("Wohnung finden")  # type: ignore
    assert window.has_unsaved_changes()
    assert "plan" in window.draft_state()
