"""Verzeichnis: the agreement's dates typed key by key; one that cannot be read keeps the
dialog open with the message at the field and saves nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.services.directory.read import agreements
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import add_agreement, add_institution
from ui.context import AppContext
from ui.date_field import DateField

WAIT = 10000


def _type(qtbot: QtBot, field: DateField, text: str) -> None:
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=WAIT)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_agreement_dates_typed_and_refused(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.directory.forms import AgreementDialog

    v = ctx.vault()
    jc = add_institution(v, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(v, NewInstitution("Ausländerbehörde Dortmund", "auslaenderbehoerde",
                                            "DO"))
    uuid = add_agreement(v, NewAgreement("Fallarbeit", [jc, abh], ["residence"],
                                         date(2026, 1, 1)))
    old = agreements(v)[0]
    dialog = AgreementDialog(ctx, [(jc, "Jobcenter Dortmund"), (abh, "Ausländerbehörde")],
                             None, QDate(2026, 11, 25),
                             existing=(uuid, NewAgreement(old.subject, [jc, abh], ["residence"],
                                                          old.valid_from)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    assert dialog.valid_from.text() == "01.01.2026" and dialog.signed_on.text() == ""

    _type(qtbot, dialog.valid_until, "31.12.27")
    _type(qtbot, dialog.signed_on, "31.06.2026")  # June has 30 days
    dialog.submit()
    error = dialog.errors["signed_on"]
    assert not error.isHidden() and error.text().startswith("Den 31.06.2026 gibt es nicht.")
    assert dialog.isVisible()
    ctx.wait_idle()
    assert (agreements(v)[0].valid_until, agreements(v)[0].signed_on) == (None, None)

    _type(qtbot, dialog.signed_on, "150126")
    assert error.isHidden()
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    ctx.wait_idle()
    saved = agreements(v)[0]
    assert (saved.valid_from, saved.valid_until, saved.signed_on) == (
        date(2026, 1, 1), date(2027, 12, 31), date(2026, 1, 15))

