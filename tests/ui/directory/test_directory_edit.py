"""Verzeichnis: correcting, ending and deleting a cooperation agreement on the real store."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.directory.read import agreements
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import add_agreement, add_institution
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.model_check import check_model
from ui.context import AppContext

WAIT = 10000
# The model tester reports through Qt warnings; this fixture turns them into failures.


def _checked(widget: Any) -> set[str]:
    return {widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked}


def _tick(widget: Any, keys: set[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                           else Qt.CheckState.Unchecked)


def test_agreement_edit_end_and_delete(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.directory.forms import AgreementDialog
    from ui.directory.page import DirectoryPage

    v = ctx.vault()
    jc = add_institution(v, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(v, NewInstitution("Ausländerbehörde Dortmund", "auslaenderbehoerde",
                                            "DO"))
    ja = add_institution(v, NewInstitution("Jugendamt Köln", "jugendamt", "K"))
    uuid = add_agreement(v, NewAgreement("Fallarbeit", [jc, abh], ["residence"],
                                         date(2026, 1, 1)))
    page = DirectoryPage(ctx)
    qtbot.addWidget(page)
    page.show()
    check_model(page.agreements_model)
    model = page.agreements_model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT)
    # Only Dortmund is listed: the edit form must still offer the Köln partner.
    page.municipality.setCurrentIndex(page.municipality.findData("DO"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and model.rowCount() == 1,
                    timeout=WAIT)
    assert not page.edit_agreement_button.isEnabled()
    page.agreements.setCurrentIndex(model.index(0, 0))
    assert page.edit_agreement_button.isEnabled() and page.delete_agreement_button.isEnabled()

    qtbot.keyClick(page.agreements, Qt.Key.Key_Return)  # Enter opens it for editing
    qtbot.waitUntil(lambda: isinstance(page.dialog, AgreementDialog), timeout=WAIT)
    dialog = page.dialog
    assert isinstance(dialog, AgreementDialog)
    assert dialog.windowTitle() == "Kooperationsvereinbarung bearbeiten"
    assert dialog.subject.text() == "Fallarbeit"
    assert _checked(dialog.parties) == {jc, abh}
    assert _checked(dialog.categories) == {"residence"}
    assert dialog.valid_from.value() == date(2026, 1, 1)

    # One partner only: refused next to the partner list, the dialog stays open.
    _tick(dialog.parties, {jc})
    dialog.subject.setText("Rechtskreisübergreifende Fallarbeit")
    dialog.submit()
    error = dialog.errors["party_uuids"]
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT)
    assert error.text() == "Eine Kooperationsvereinbarung braucht mindestens zwei Partner."
    assert dialog.isVisible()
    ctx.wait_idle()
    assert agreements(v)[0].subject == "Fallarbeit"

    _tick(dialog.parties, {jc, ja})
    _tick(dialog.categories, {"residence", "education_work"})
    dialog.valid_until.set_value(date(2027, 12, 31))
    dialog.signed_on.set_value(date(2026, 1, 15))
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.index(0, 0).data()
                    == "Rechtskreisübergreifende Fallarbeit", timeout=WAIT)
    assert model.index(0, 1).data() == "Jobcenter Dortmund, Jugendamt Köln"
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [
        "01.01.2026", "31.12.2027", "15.01.2026"]
    ctx.wait_idle()
    entry = agreements(v)[0]
    assert (entry.uuid, entry.subject, entry.valid_until) == (
        uuid, "Rechtskreisübergreifende Fallarbeit", date(2027, 12, 31))
    assert entry.parties == ("Jobcenter Dortmund", "Jugendamt Köln")
    assert len(entry.data_categories) == 2

    # End: asked first; "Abbrechen" keeps the date, confirming sets it to today.
    today = v.clock.today()
    page.agreements.setCurrentIndex(model.index(0, 0))
    qtbot.mouseClick(page.end_agreement_button, Qt.MouseButton.LeftButton)
    question = answer_confirmation(qtbot, page, "&Abbrechen")
    assert f"nur noch bis heute ({today:%d.%m.%Y})" in question
    ctx.wait_idle()
    assert agreements(v)[0].valid_until == date(2027, 12, 31)
    qtbot.mouseClick(page.end_agreement_button, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, page, "Vereinbarung be&enden")
    qtbot.waitUntil(lambda: model.rowCount() == 1
                    and model.index(0, 4).data() == f"{today:%d.%m.%Y}", timeout=WAIT)
    assert page.agreement_notice.text() == f"Die Vereinbarung gilt bis {today:%d.%m.%Y}."

    # Delete: gone from the list and the read service.
    page.agreements.setCurrentIndex(model.index(0, 0))
    qtbot.mouseClick(page.delete_agreement_button, Qt.MouseButton.LeftButton)
    assert "„Rechtskreisübergreifende Fallarbeit“ wird gelöscht" in answer_confirmation(
        qtbot, page, "Vereinbarung &löschen")
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=WAIT)
    assert not page.delete_agreement_button.isEnabled()
    ctx.wait_idle()
    assert agreements(v) == []
