"""The referral consent gate, driven by the keyboard: a referral without consent is refused
with the explanation, the consent is recorded right there and the referral saved; a referral
to the foreigners' authority on a legal basis waits for its warning to be confirmed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services.consent.read import disclosure_log
from tests.ui.casefile.sections_support import Seed, as_in_window, open_confirmation
from tests.ui.settle import settle
from ui.context import AppContext

PURPOSE = "Beratung zur Arbeitsaufnahme"


def _counts(ctx: AppContext) -> tuple[int, int]:
    from db.models import Disclosure, Referral

    settle(ctx)
    with ctx.vault().read_session() as s:
        return (int(s.execute(select(func.count()).select_from(Referral)).scalar_one()),
                int(s.execute(select(func.count()).select_from(Disclosure)).scalar_one()))


def _press(qtbot: QtBot, button: QWidget) -> None:
    """Tab to a button and press the space bar, as a keyboard user does."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _tick(qtbot: QtBot, box: QWidget) -> None:
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def _open(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import PlanSection

    section = as_in_window(ctx, PlanSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    section.resize(1280, 720)
    section.show()
    qtbot.waitExposed(section)
    section.refresh()
    combo = section.referral_form.inputs["institution"]
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=10000)
    section.activateWindow()
    qtbot.keyClick(section.tabs, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert section.tabs.currentIndex() == 2
    return section


def _fill_referral(qtbot: QtBot, section: Any, institution_start: str, purpose: str,
                   category: str) -> None:
    form = section.referral_form
    combo, text = form.inputs["institution"], form.inputs["purpose"]
    assert isinstance(combo, QComboBox) and isinstance(text, QLineEdit)
    combo.setFocus()
    qtbot.keyClicks(combo, institution_start)  # the combo's keyboard search
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is text
    qtbot.keyClicks(text, purpose)
    _tick(qtbot, form.categories.boxes[category])


def test_a_refused_referral_records_the_consent_there_and_is_saved(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = _open(qtbot, ctx, seed)
    form, gate = section.referral_form, section.referral_gate
    assert not gate.isVisible()
    _fill_referral(qtbot, section, "Job", PURPOSE, "education_work")
    assert form.choice("institution") == seed.jobcenter
    _press(qtbot, form.save)

    # Refused: the same explanation as every disclosure, and nothing saved.
    qtbot.waitUntil(gate.isVisible, timeout=10000)
    assert gate.reason.text() == ("Für „Jobcenter Dortmund“ liegt weder eine Einwilligung für "
                                  "diese Datenkategorie noch eine dokumentierte "
                                  "Rechtsgrundlage vor.")
    assert _counts(ctx) == (0, 0)
    assert section.referral_model.rowCount() == 0
    # The consent form there is prefilled with what the referral needs.
    consent = gate.consent
    assert consent.institution.currentData() == seed.jobcenter
    assert consent.purpose.text() == PURPOSE
    assert [c for c, b in consent.categories.items() if b.isChecked()] == ["education_work"]
    assert QApplication.focusWidget() is consent.given_on
    _press(qtbot, consent.save)

    # The consent is saved (audited), then the referral with its disclosure.
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 1, timeout=10000)
    assert section.referral_model.rows()[0].cells[:2] == ("Jobcenter Dortmund", PURPOSE)
    assert not gate.isVisible()
    assert section.message.text() == "Die Vermittlung wurde gespeichert."
    assert _counts(ctx) == (1, 1)
    log = disclosure_log(ctx.vault(), seed.case_id)
    assert [(r.institution_name, r.category_label, r.channel_label) for r in log] == [
        ("Jobcenter Dortmund", "Bildung, Ausbildung und Arbeit", "Vermittlung")]
    assert log[0].basis.startswith("Einwilligung vom ")
    from db.models import AuditLog

    with ctx.vault().read_session() as s:
        kinds = s.execute(select(AuditLog.kind, AuditLog.object_type)
                          .order_by(AuditLog.seq)).all()
    assert [tuple(k) for k in kinds[-3:]] == [("record.created", "consent"),
                                               ("disclosure", "case"),
                                               ("record.created", "referral")]


def test_the_foreigners_authority_needs_a_basis_and_a_confirmed_warning(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = _open(qtbot, ctx, seed)
    form, gate = section.referral_form, section.referral_gate
    _fill_referral(qtbot, section, "Aus", "Mitteilung zur Wohnsitzauflage", "residence")
    assert form.choice("institution") == seed.abh
    _press(qtbot, form.save)
    qtbot.waitUntil(gate.isVisible, timeout=10000)
    assert "Ausländerbehörde Dortmund" in gate.reason.text()
    assert gate.basis.covers.text() == "Gilt für: Aufenthalt"

    # A legal basis needs its reason: refused at the field, nothing recorded.
    qtbot.keyClicks(gate.basis.basis, "Par. 87 Abs. 1 AufenthG")
    _press(qtbot, gate.basis.save)
    basis_error = gate.basis.errors.labels["basis"]
    qtbot.waitUntil(lambda: basis_error.text() != "", timeout=10000)
    assert basis_error.text() == "Rechtsgrundlage und Begründung sind Pflichtangaben."
    qtbot.keyClicks(gate.basis.reason, "Anfrage der Behoerde zur Wohnsitzauflage")
    _press(qtbot, gate.basis.save)

    # The basis is recorded; the referral now waits for the warning. Escape: nothing saved.
    qtbot.waitUntil(lambda: open_confirmation(section) is not None, timeout=10000)
    box = open_confirmation(section)
    assert box is not None and "Übermittlungspflichten" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: open_confirmation(section) is None, timeout=5000)
    assert _counts(ctx) == (0, 0)
    assert section.referral_model.rowCount() == 0

    # Saving again asks again; confirmed, the referral and its disclosure are saved.
    _press(qtbot, form.save)
    qtbot.waitUntil(lambda: open_confirmation(section) is not None, timeout=10000)
    box = open_confirmation(section)
    assert box is not None
    confirm = next(b for b in box.buttons() if b.text() == "Hinweis bestätigen und &speichern")
    assert isinstance(confirm, QPushButton)
    _press(qtbot, confirm)
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 1, timeout=10000)
    assert _counts(ctx) == (1, 1)
    log = disclosure_log(ctx.vault(), seed.case_id)
    assert log[0].warning_acknowledged
    assert log[0].basis == ("Rechtsgrundlage Par. 87 Abs. 1 AufenthG, Begründung: Anfrage der "
                            "Behoerde zur Wohnsitzauflage")
