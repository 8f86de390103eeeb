"""The issue dialog on the real encrypted store, typed as a person types: the consent gate for
an institution (refused with its German reason, nothing issued; covered: issued and the
disclosure logged), the foreigners' authority warning, and a wrong date at its field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.certificates.records import CERTIFICATE_CATEGORIES, CERTIFICATE_PURPOSE
from app.services.consent.read import disclosure_log
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from tests.ui.casefile.sections_support import Seed
from tests.ui.certificates.certificate_support import (
    WAIT,
    alt,
    choose_in,
    fill_template,
    focused,
    issue_by_keys,
    register_of,
    wait_output,
)
from tests.ui.settle import settle
from ui.certificates.issue_dialog import IssueDialog
from ui.context import AppContext


@pytest.fixture
def dialog(qtbot: QtBot, seed: Seed, ctx: AppContext) -> Iterator[IssueDialog]:
    window = IssueDialog(ctx, seed.case_id, "DO-TEST")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    assert window.frameGeometry().height() <= 720 and window.frameGeometry().width() <= 1280
    yield window
    settle(ctx)


def consent_for(seed: Seed, ctx: AppContext, institution: str) -> None:
    """Test setup only: the database thread is idle, so the GUI thread may write."""
    vault = ctx.vault()
    record_consent(vault, seed.case_id, NewConsent(
        institution, list(CERTIFICATE_CATEGORIES), CERTIFICATE_PURPOSE, vault.clock.today()))


def to_institution(qtbot: QtBot, dialog: IssueDialog, name: str) -> None:
    alt(qtbot, dialog, Qt.Key.Key_N)  # An eine I&nstitution senden
    qtbot.waitUntil(dialog.recipient.institution_choice.isChecked, timeout=WAIT)
    alt(qtbot, dialog, Qt.Key.Key_T)  # Ins&titution:
    assert focused() is dialog.recipient.institution
    choose_in(qtbot, dialog.recipient.institution, name)


def test_an_institution_without_consent_is_refused_at_the_recipient(
        qtbot: QtBot, seed: Seed, ctx: AppContext, dialog: IssueDialog) -> None:
    fill_template(qtbot, dialog)
    to_institution(qtbot, dialog, "Jobcenter Dortmund")
    gate = dialog.recipient.gate
    qtbot.waitUntil(lambda: gate.text().startswith("Nicht gedeckt: "), timeout=WAIT)
    assert dialog.recipient.consent_button.isVisible()  # the way to record it, right there
    issue_by_keys(qtbot, dialog)
    error = dialog.recipient.error
    qtbot.waitUntil(error.isVisible, timeout=WAIT)
    settle(ctx)
    assert "Einwilligung" in error.text() and error.text() == error.text().strip()
    assert dialog.isVisible() and dialog.issue_button.isEnabled()
    assert register_of(ctx.vault(), seed.case_id) == []  # nothing issued
    assert disclosure_log(ctx.vault(), seed.case_id) == []


def test_an_institution_with_consent_gets_it_and_the_disclosure_is_logged(
        qtbot: QtBot, seed: Seed, ctx: AppContext, dialog: IssueDialog) -> None:
    consent_for(seed, ctx, seed.jobcenter)
    fill_template(qtbot, dialog)
    to_institution(qtbot, dialog, "Jobcenter Dortmund")
    gate = dialog.recipient.gate
    qtbot.waitUntil(lambda: gate.text().startswith("Gedeckt: "), timeout=WAIT)
    assert not dialog.recipient.acknowledge.isVisible()  # no warning for a job centre
    issue_by_keys(qtbot, dialog)
    output = wait_output(qtbot)
    settle(ctx)
    rows = register_of(ctx.vault(), seed.case_id)
    assert [r.recipient for r in rows] == ["Jobcenter Dortmund"]
    assert output.serial == rows[0].serial
    logged = disclosure_log(ctx.vault(), seed.case_id)
    assert logged and {r.institution_name for r in logged} == {"Jobcenter Dortmund"}
    assert {r.purpose for r in logged} == {CERTIFICATE_PURPOSE}
    output.close()


def test_the_foreigners_authority_needs_the_warning_acknowledged(
        qtbot: QtBot, seed: Seed, ctx: AppContext, dialog: IssueDialog) -> None:
    consent_for(seed, ctx, seed.abh)
    fill_template(qtbot, dialog)
    to_institution(qtbot, dialog, "Ausländerbehörde")
    box = dialog.recipient.acknowledge
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    assert dialog.recipient.warning.text()  # the warning itself, in words
    issue_by_keys(qtbot, dialog)
    error = dialog.recipient.error
    qtbot.waitUntil(error.isVisible, timeout=WAIT)
    assert "Hinweis" in error.text() and focused() is box
    settle(ctx)
    assert register_of(ctx.vault(), seed.case_id) == []
    qtbot.keyClick(box, Qt.Key.Key_Space)  # ticked where the focus already is
    assert box.isChecked()
    issue_by_keys(qtbot, dialog)
    wait_output(qtbot).close()
    settle(ctx)
    rows = register_of(ctx.vault(), seed.case_id)
    assert [r.recipient for r in rows] == ["Ausländerbehörde Dortmund"]
    assert all(r.warning_acknowledged for r in disclosure_log(ctx.vault(), seed.case_id))


def test_a_wrong_date_is_refused_at_its_field(qtbot: QtBot, seed: Seed, ctx: AppContext,
                                              dialog: IssueDialog) -> None:
    fill_template(qtbot, dialog, {"massnahme": "Sprachkurs B1", "traeger": "VHS Dortmund",
                                  "von": "31.02.2026", "bis": "20.11.2026"})
    issue_by_keys(qtbot, dialog)
    message = dialog.errors.labels["von"]
    qtbot.waitUntil(message.isVisible, timeout=WAIT)
    assert message.text().startswith("Den 31.02.2026 gibt es nicht.")
    assert focused() is dialog.fields.inputs["von"]
    assert not dialog.errors.labels["bis"].isVisible()
    settle(ctx)
    assert dialog.isVisible()
    assert register_of(ctx.vault(), seed.case_id) == []


def test_a_missing_required_value_is_named_at_its_field(
        qtbot: QtBot, seed: Seed, ctx: AppContext, dialog: IssueDialog) -> None:
    fill_template(qtbot, dialog, {"traeger": "VHS Dortmund", "von": "01.09.2026",
                                  "bis": "20.11.2026"})
    issue_by_keys(qtbot, dialog)
    message = dialog.errors.labels["massnahme"]
    qtbot.waitUntil(message.isVisible, timeout=WAIT)
    assert focused() is dialog.fields.inputs["massnahme"]
    settle(ctx)
    assert register_of(ctx.vault(), seed.case_id) == []


def test_the_missing_consent_is_recorded_from_the_gate_and_then_covers(
        qtbot: QtBot, seed: Seed, ctx: AppContext, dialog: IssueDialog) -> None:
    fill_template(qtbot, dialog)
    to_institution(qtbot, dialog, "Jobcenter Dortmund")
    gate = dialog.recipient.gate
    qtbot.waitUntil(lambda: gate.text().startswith("Nicht gedeckt: "), timeout=WAIT)
    alt(qtbot, dialog, Qt.Key.Key_F)  # Einwilligung er&fassen …
    qtbot.waitUntil(lambda: dialog.consent_dialog is not None
                    and dialog.consent_dialog.isVisible(), timeout=WAIT)
    consent = dialog.consent_dialog
    assert consent is not None
    form = consent.form
    # Prefilled as the certificate needs it: the institution, the purpose, the categories.
    qtbot.waitUntil(lambda: form.institution.currentData() == seed.jobcenter, timeout=WAIT)
    assert form.purpose.text() == CERTIFICATE_PURPOSE
    assert {c for c, box in form.categories.items() if box.isChecked()} == \
        set(CERTIFICATE_CATEGORIES)
    consent.activateWindow()
    qtbot.waitUntil(consent.isActiveWindow, timeout=WAIT)
    form.save.setFocus()
    qtbot.keyClick(form.save, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not consent.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: gate.text().startswith("Gedeckt: "), timeout=WAIT)
    assert not dialog.recipient.consent_button.isVisible()
    issue_by_keys(qtbot, dialog)
    wait_output(qtbot).close()
    settle(ctx)
    assert [r.recipient for r in register_of(ctx.vault(), seed.case_id)] == \
        ["Jobcenter Dortmund"]
