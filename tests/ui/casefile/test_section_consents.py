"""Consents section on the real encrypted store: matrix, form, withdrawal, drafts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.consent.read import may_disclose
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from tests.ui.casefile.sections_support import (
    PURPOSE,
    Seed,
    category_column,
    cell,
    open_consents,
)
from ui.casefile._form import set_date
from ui.context import AppContext


def test_consent_entry_shows_in_matrix_allows_disclosure_and_withdraws(
        qtbot: QtBot, seed: Seed, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    section = open_consents(qtbot, ctx, seed)
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    assert not form.warning.isVisibleTo(section)  # the Jobcenter needs no extra warning
    form.categories["residence"].setChecked(True)
    qtbot.keyClicks(form.purpose, PURPOSE)
    set_date(form.valid_until, date(2099, 12, 31))
    assert section.has_unsaved_changes()
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in section.message.text(), timeout=10000)
    residence = category_column("residence")
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.jobcenter, residence)
                    == "✓ bis 31.12.2099", timeout=10000)
    assert cell(section.matrix_model, seed.jobcenter, category_column("health")) == "–"
    assert not section.has_unsaved_changes()  # the form was emptied after saving
    ctx.wait_idle()
    today = date.today()
    decision = may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today)
    assert decision.allowed, decision.reason_de

    # Withdraw: the dialog names the date; the cell then says so.
    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    assert not section.withdraw_button.isEnabled()
    section.list_view.selectRow(0)
    assert section.withdraw_button.isEnabled()
    qtbot.mouseClick(section.withdraw_button, Qt.MouseButton.LeftButton)
    assert asked and today.strftime("%d.%m.%Y") in asked[0]
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.jobcenter, residence)
                    == f"widerrufen am {today:%d.%m.%Y}", timeout=10000)
    ctx.wait_idle()
    assert not may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today).allowed


def test_consent_form_warns_for_auslaenderbehoerde_and_validates(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = open_consents(qtbot, ctx, seed)
    assert section.matrix_model.rowCount() == 0  # no consents yet
    section.add_institution.setCurrentIndex(section.add_institution.findData(seed.jobcenter))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.matrix_model.rowCount() == 1, timeout=10000)
    assert section.matrix_model.rows()[0].cells[0] == "Jobcenter Dortmund"
    assert set(section.matrix_model.rows()[0].cells[1:]) == {"–"}
    form = section.form
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    assert form.errors.labels["institution"].text() == "Bitte die Institution wählen."
    form.institution.setCurrentIndex(form.institution.findData(seed.abh))
    assert form.warning.isVisibleTo(section) and "Ausländerbehörde" in form.warning.text()
    qtbot.keyClicks(form.purpose, "Verlaengerung der Duldung")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    label = form.errors.labels["data_categories"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert "Datenkategorie" in label.text()
    assert form.category_box.accessibleDescription() == label.text()
    form.categories["residence"].setChecked(True)
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in section.message.text(), timeout=10000)
    assert "Übermittlungspflichten" in section.message.text()
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.abh,
                                 category_column("residence")) == "✓ unbefristet", timeout=10000)
    assert section.matrix_model.rowCount() == 2  # the added Jobcenter row stays


def test_matrix_prefers_valid_consent_and_guards_confided(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    v, today = ctx.vault(), date.today()
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence", "health"], PURPOSE,
                                               date(2020, 1, 1), date(2021, 1, 31)))
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence", "confided"],
                                               PURPOSE, today))  # confided without the flag
    section = open_consents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: section.matrix_model.rowCount() == 1, timeout=10000)
    assert cell(section.matrix_model, seed.jobcenter, category_column("residence")) \
        == "✓ unbefristet"  # the valid consent wins over the expired one
    assert cell(section.matrix_model, seed.jobcenter, category_column("health")) \
        == "abgelaufen am 31.01.2021"
    assert cell(section.matrix_model, seed.jobcenter, category_column("confided")) == "–"
    # Through the form: the "anvertraut" box records the explicit extra consent.
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.abh))
    form.categories["family_children"].setChecked(True)
    form.confided.setChecked(True)
    form.purpose.setText("Hilfeplankonferenz")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.abh, category_column("confided"))
                    == "✓ unbefristet", timeout=10000)
    ctx.wait_idle()
    assert may_disclose(v, seed.case_id, seed.abh, "confided", "Hilfeplankonferenz",
                        today).allowed


def test_consent_draft_round_trip(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = open_consents(qtbot, ctx, seed)
    section.form.institution.setCurrentIndex(section.form.institution.findData(seed.abh))
    section.form.purpose.setText("Schule")
    section.form.categories["education_work"].setChecked(True)
    state = section.draft_state()
    assert state is not None
    other = open_consents(qtbot, ctx, seed)
    other.restore_draft(state)
    assert other.form.purpose.text() == "Schule"
    assert other.form.categories["education_work"].isChecked()
    assert other.form.institution.currentData() == seed.abh


def test_consent_form_tab_order_follows_the_paper_form(qtbot: QtBot, seed: Seed,
                                                       ctx: AppContext) -> None:
    from PySide6.QtWidgets import QAbstractSpinBox

    from ui.casefile.sections import ConsentsSection

    section = ConsentsSection(ctx, seed.case_id)
    qtbot.addWidget(section)
    form = section.form
    order, widget = [], form.institution.nextInFocusChain()
    while widget is not form.save:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and not isinstance(widget.parent(), QAbstractSpinBox):
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    categories = [f"category_{code}" for code in form.categories]
    assert order == [*categories, "consentPurpose", "consentGivenOn", "consentValidUntil",
                     "consentLanguage", "consentInterpreter", "consentConfided"]
