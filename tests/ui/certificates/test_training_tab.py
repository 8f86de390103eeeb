"""The tab "Fortbildung" by keyboard at 1280×720 on a real vault: modules are added in the
small dialog (wrong numbers refused at the field), the DGCC criteria show what is missing — the
colloquium — and once it is recorded the certificate can be issued and is in the register."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.services.certificates.read import certificate_register
from app.services.certificates.records import TRAINING, RegisterFilter
from app.services.training.read import training_status
from tests.ui.certificates.support import WAIT, dialog_of, press, type_into, workspace
from tests.ui.settle import settle
from ui.casefile._form import alive
from ui.certificates.training import MET, NOT_MET, TrainingTab
from ui.certificates.training_module import PRESENCE_TOO_MANY, ModuleDialog
from ui.context import AppContext


def add_module(qtbot: QtBot, ctx: AppContext, tab: TrainingTab, name: str, units: str,
               presence: str, held_on: str) -> ModuleDialog:
    press(qtbot, tab.add_button)
    d = dialog_of(qtbot, tab, ModuleDialog)
    type_into(qtbot, d.module, name)
    type_into(qtbot, d.units, units)
    type_into(qtbot, d.presence, presence)
    type_into(qtbot, d.held_on, held_on)
    type_into(qtbot, d.institute, "IMA Akademie Dortmund")
    press(qtbot, d.recognised)  # Space ticks it
    press(qtbot, d.save_button)
    settle(ctx)
    return d


def criteria_marks(tab: TrainingTab) -> dict[str, str]:
    return {label.objectName().split("_")[1]: label.text() for label in tab.criteria_labels
            if label.objectName().endswith("_0")}


def test_modules_by_keyboard_then_the_colloquium_enables_the_certificate(
        qtbot: QtBot, ctx: AppContext) -> None:
    _ws, page = workspace(qtbot, ctx)
    qtbot.keyClick(page.register.search, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.training
    settle(ctx)
    tab = page.training
    assert tab.people.count() >= 1 and tab.current() is not None
    staff = tab.current()
    assert staff is not None and staff.modules == ()
    assert not tab.issue_button.isEnabled()

    # More units in presence than the module has: said at the field, nothing saved.
    d = add_module(qtbot, ctx, tab, "Grundlagen des Case Management", "40", "50", "02.03.2026")
    assert d.isVisible()
    assert d.errors.labels["presence_units"].text() == PRESENCE_TOO_MANY
    assert training_status(ctx.vault(), staff.staff_uuid).modules == ()
    type_into(qtbot, d.presence, "40")
    press(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not alive(d) or not d.isVisible(), timeout=WAIT)  # saved
    settle(ctx)
    add_module(qtbot, ctx, tab, "Fallarbeit und Netzwerk", "104", "50", "15.06.2026")
    assert tab.model.rowCount() == 2
    assert [tab.model.index(r, 2).data() for r in range(2)] == ["40", "104"]

    type_into(qtbot, tab.practice, "01.09.2026")
    press(qtbot, tab.save_dates)
    settle(ctx)
    status = tab.current()
    assert status is not None and status.practice_case_on is not None
    marks = criteria_marks(tab)
    assert marks["colloquium"] == NOT_MET
    assert marks["units"] == MET and marks["presence"] == MET
    assert "Kolloquium" in tab.missing.text()
    assert not tab.issue_button.isEnabled()
    assert "Kolloquium" in tab.issue_button.toolTip()  # says why it cannot be pressed

    type_into(qtbot, tab.colloquium, "20.11.2026")
    press(qtbot, tab.save_dates)
    settle(ctx)
    assert set(criteria_marks(tab).values()) == {MET}
    assert tab.issue_button.isEnabled()
    assert training_status(ctx.vault(), staff.staff_uuid).complete

    press(qtbot, tab.issue_button)
    box = dialog_of(qtbot, tab, QMessageBox)
    yes = next(b for b in box.findChildren(QPushButton) if b.text() == "&Ausstellen")
    press(qtbot, yes)
    settle(ctx)
    rows = certificate_register(ctx.vault(), RegisterFilter(kind=TRAINING))
    assert [r.staff_uuid for r in rows] == [staff.staff_uuid]
    qtbot.waitUntil(lambda: rows[0].serial in tab.missing.text(), timeout=WAIT)
    assert not tab.issue_button.isEnabled()  # once is enough
