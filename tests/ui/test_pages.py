"""Heute, Verzeichnis, Lücken im System and Einstellungen on the real encrypted store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.backup import read_manifest
from app.clock import FixedClock
from app.demo.generator import generate_demo
from app.errors import ValidationFailed
from app.services.account.read import owner_profile
from app.services.directory.read import institutions
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.gaps.read import system_gaps
from app.services.tasks.read import due_follow_ups, follow_ups_for_case
from app.services.today.read import LIST_LIMIT, SECTION_OF
from app.settings import Settings, load_settings, save_settings, update_settings
from app.vault.store import Vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE
from tests.ui.model_check import check_model
from tests.ui.window_helpers import assert_opens_only_with
from ui.context import AppContext
from ui.directory.page import DirectoryPage
from ui.gaps.page import GapsPage
from ui.settings.page import SettingsPage
from ui.today.page import TodayPage

WAIT = 20000


@pytest.fixture
def demo_ctx(request: pytest.FixtureRequest, vault: Vault, clock: FixedClock
             ) -> Iterator[AppContext]:
    generate_demo(vault, 150, seed=11)
    ctx: AppContext = request.getfixturevalue("ctx")
    ctx.vault().clock = clock  # the fixed test day, as the demo data was made for it
    yield ctx


def today_page(qtbot: QtBot, ctx: AppContext) -> TodayPage:
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None, timeout=WAIT)
    return page


def entries(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())
            if widget.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]


def activate(qtbot: QtBot, ctx: AppContext, widget: QListWidget, row: int) -> list[object]:
    widget.setFocus()
    widget.setCurrentRow(row)
    with qtbot.waitSignal(ctx.case_open_requested, timeout=WAIT) as blocker:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    return list(blocker.args or [])


def test_today_lists_follow_ups_and_statuses_like_the_services(
        qtbot: QtBot, demo_ctx: AppContext, clock: FixedClock) -> None:
    update_settings(demo_ctx.vault(), today_only_mine=False)  # every case, as the services
    page = today_page(qtbot, demo_ctx)
    demo_ctx.wait_idle()
    vault, today = demo_ctx.vault(), clock.today()
    due = due_follow_ups(vault, today, 14)
    overdue = [f for f in due if f.due_on < today]
    assert overdue, "the demo caseload has overdue follow-ups"
    late_cases = len({f.case_id for f in overdue})
    assert page.overdue.title() == f"Überfällige Wiedervorlagen ({late_cases:,} Fälle)".replace(
        ",", ".")
    shown = entries(page.overdue.list)
    assert len(shown) == min(len(overdue), LIST_LIMIT)
    # The listed ones are the earliest, in the services' order.
    assert all(
        s.startswith(f"{f.due_on:%d.%m.%Y} · ") and f.title in s
        for s, f in zip(shown, overdue[:LIST_LIMIT], strict=True))
    assert shown[0].startswith(f"{overdue[0].due_on:%d.%m.%Y} · ")
    assert overdue[0].title in shown[0]
    upcoming = [f for f in due if f.due_on >= today]
    assert page.upcoming.title().endswith(f"({len(upcoming)})")

    statuses = entries(page.statuses.list)
    assert statuses and "30 Tagen" in page.statuses.title()
    for text in statuses:  # each expiring status is the case's own status follow-up
        expiry = re.search(r"gültig bis (\d\d\.\d\d\.\d{4})", text)
        assert expiry is not None
        case_id = next(i.case_id for i in page.overview.statuses if i.text in text)  # type: ignore[union-attr]
        titles = [f.title for f in follow_ups_for_case(vault, case_id)
                  if f.kind == "status_expiry"]
        assert any(expiry.group(1) in t for t in titles)
    days = [i.on for i in page.overview.statuses]  # type: ignore[union-attr]
    assert all(today <= d <= today + timedelta(days=30) for d in days)

    qtbot.mouseClick(page.window_buttons.button(90), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "90 Tagen" in page.statuses.title(), timeout=WAIT)
    assert len(entries(page.statuses.list)) >= len(statuses)
    demo_ctx.wait_idle()
    assert load_settings(vault).status_window_days == 90  # the choice is remembered

    case_id, section = activate(qtbot, demo_ctx, page.overdue.list, 0)
    assert (case_id, section) == (overdue[0].case_id, SECTION_OF[overdue[0].kind])
    assert activate(qtbot, demo_ctx, page.statuses.list, 0) == [
        page.overview.statuses[0].case_id, "status"]  # type: ignore[union-attr]
    assert page.overview is not None and page.overview.quiet
    assert activate(qtbot, demo_ctx, page.quiet.list, 0) == [
        page.overview.quiet[0].case_id, "journal"]
    if page.overview.consents:
        assert activate(qtbot, demo_ctx, page.consents.list, 0) == [
            page.overview.consents[0].case_id, "consents"]


def test_backup_reminder_until_a_backup_is_made_in_settings(
        qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path) -> None:
    today = today_page(qtbot, demo_ctx)
    assert not today.reminder.isHidden()
    assert "noch keine Datensicherung" in today.reminder_text.text()
    with qtbot.waitSignal(today.settings_requested, timeout=WAIT):
        qtbot.mouseClick(today.reminder_button, Qt.MouseButton.LeftButton)

    settings = SettingsPage(demo_ctx)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitUntil(lambda: settings.settings is not None, timeout=WAIT)
    assert settings.last_backup_label.text() == "noch keine Sicherung"
    share = tmp_path / "share"
    share.mkdir()
    settings.choose_folder = lambda _start: str(share)
    qtbot.mouseClick(settings.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.backup_result.text().startswith("Gesichert nach"),
                    timeout=WAIT)
    made = Path(settings.backup_result.text().removeprefix("Gesichert nach: "))
    assert made.parent == share and made.is_dir()
    assert read_manifest(made, PASSPHRASE)["vault_code"] == "T3ST"
    qtbot.waitUntil(lambda: today.reminder.isHidden(), timeout=WAIT)
    qtbot.waitUntil(lambda: "Uhr" in settings.last_backup_label.text(), timeout=WAIT)
    assert settings.folder_label.text() == str(share)
    demo_ctx.wait_idle()
    assert load_settings(demo_ctx.vault()).backup_folder == str(share)


def test_settings_round_trip_and_ranges(qtbot: QtBot, ctx: AppContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=WAIT)
    assert page.idle_minutes.value() == 5 and page.quiet_weeks.value() == 6
    assert page.municipality.currentData() == "DO"
    assert page.display_name.text() == "Test Fallmanagerin"
    page.idle_minutes.setValue(0)
    assert page.idle_minutes.value() == 1  # the field cannot leave 1–120
    page.idle_minutes.setValue(500)
    assert page.idle_minutes.value() == 120
    page.idle_minutes.setValue(15)
    page.quiet_weeks.setValue(8)
    page.municipality.setCurrentIndex(page.municipality.findData("K"))
    page.display_name.setText("Jana Schütz")
    page.email.setText("j.schuetz@stadt.example")
    with qtbot.waitSignal(page.settings_changed, timeout=WAIT):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.save_message.text() == "Gespeichert."
    ctx.wait_idle()
    stored = load_settings(ctx.vault())
    assert (stored.idle_lock_minutes, stored.quiet_weeks, stored.default_municipality) == (
        15, 8, "K")
    assert owner_profile(ctx.vault()).email == "j.schuetz@stadt.example"
    with ctx.vault().session() as session:  # audited as an update naming fields, no values
        details = {row.object_type: row.detail for row in session.execute(select(AuditLog).where(
            AuditLog.object_type.in_(["settings", "case_manager"]))).scalars()}
    assert {"idle_lock_minutes", "quiet_weeks"} <= set(details["settings"]["fields"])
    assert details["case_manager"]["fields"] == ["display_name", "email"]
    assert "15" not in str(details) and "schuetz" not in str(details)

    with pytest.raises(ValidationFailed) as refused:
        save_settings(ctx.vault(), Settings(idle_lock_minutes=0))
    assert refused.value.message_de == "Die Sperrzeit muss zwischen 1 und 120 Minuten liegen."
    assert refused.value.field == "idle_lock_minutes"
    assert load_settings(ctx.vault()).idle_lock_minutes == 15  # nothing stored

    page.display_name.setText("  ")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.errors["display_name"].isHidden(), timeout=WAIT)
    assert page.errors["display_name"].text() == "Bitte Ihren Namen angeben."


def test_passphrase_change_through_the_page(qtbot: QtBot, ctx: AppContext,
                                            vault_dir: Path) -> None:
    new = "Neue Passphrase fuer den Winter 2026"
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=WAIT)
    page.old_pass.setText(PASSPHRASE)
    page.new_pass.setText(new)
    assert page.strength.text().startswith("Stark")
    page.repeat_pass.setText(new + "x")
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.errors["repeat"].isHidden(), timeout=WAIT)
    assert "Wiederholung stimmt nicht" in page.errors["repeat"].text()

    page.repeat_pass.setText(new)
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    assert not page.change_button.isEnabled()  # no second run while the KDF works
    qtbot.waitUntil(lambda: "wurde geändert" in page.pass_message.text(), timeout=120000)
    assert page.old_pass.text() == "" and page.change_button.isEnabled()
    ctx.wait_idle()
    ctx.session.lock()
    assert_opens_only_with(vault_dir, new, PASSPHRASE)


def test_directory_add_institution_contact_and_agreement(qtbot: QtBot, vault: Vault,
                                                         request: pytest.FixtureRequest) -> None:
    partner = add_institution(vault, NewInstitution(name="Ausländerbehörde Dortmund",
                                                    kind="auslaenderbehoerde", municipality="DO"))
    ctx: AppContext = request.getfixturevalue("ctx")
    page = DirectoryPage(ctx)
    qtbot.addWidget(page)
    page.show()
    check_model(page.model)
    check_model(page.proxy)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)

    qtbot.mouseClick(page.new_institution, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("Jobcenter Testhausen")  # type: ignore[attr-defined]
    dialog.kind.setCurrentIndex(dialog.kind.findData("jobcenter"))  # type: ignore[attr-defined]
    dialog.submit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: page.current_uuid() is not None, timeout=WAIT)
    row = page.proxy.mapToSource(page.table.currentIndex()).row()
    assert [page.model.index(row, c).data() for c in range(4)] == [
        "Jobcenter Testhausen", "Jobcenter", "SGB II", "Dortmund"]

    assert page.new_contact.isEnabled()
    qtbot.mouseClick(page.new_contact, Qt.MouseButton.LeftButton)
    contact = page.dialog
    assert contact is not None and contact is not dialog
    contact.submit()  # no name yet: refused next to the field, dialog stays open
    qtbot.waitUntil(lambda: not contact.errors["name"].isHidden(), timeout=WAIT)
    assert contact.errors["name"].text() == "Bitte den Namen angeben."
    assert contact.isVisible()
    contact.name.setText("Frau Schäfer")  # type: ignore[attr-defined]
    contact.role.setText("Integrationsfachkraft")  # type: ignore[attr-defined]
    contact.submit()
    qtbot.waitUntil(lambda: page.contacts_model.rowCount() == 1, timeout=WAIT)
    assert page.contacts_model.index(0, 0).data() == "Frau Schäfer"
    assert page.contacts_model.index(0, 1).data() == "Integrationsfachkraft"

    # Edit both: the forms come back filled in, the change shows in the tables.
    qtbot.mouseClick(page.edit_contact_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not contact and page.dialog is not None, timeout=WAIT)
    edit = page.dialog
    assert edit.name.text() == "Frau Schäfer"  # type: ignore[union-attr]
    edit.role.setText("Teamleitung")  # type: ignore[union-attr]
    edit.submit()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.contacts_model.index(0, 1).data() == "Teamleitung",
                    timeout=WAIT)
    assert page.contacts_model.rowCount() == 1
    qtbot.mouseClick(page.edit_institution_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not edit, timeout=WAIT)
    edit = page.dialog
    assert edit.name.text() == "Jobcenter Testhausen"  # type: ignore[union-attr]
    assert edit.legal_domain.text() == "SGB II"  # type: ignore[union-attr]
    edit.name.setText("Jobcenter Testhausen-Mitte")  # type: ignore[union-attr]
    edit.submit()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: any(page.model.index(r, 0).data() == "Jobcenter Testhausen-Mitte"
                                for r in range(page.model.rowCount())), timeout=WAIT)
    assert page.model.rowCount() == 2

    qtbot.mouseClick(page.new_agreement, Qt.MouseButton.LeftButton)
    agreement = page.dialog
    assert agreement is not None
    agreement.subject.setText("Rechtskreisübergreifende Fallarbeit")  # type: ignore[attr-defined]
    parties = agreement.parties  # type: ignore[attr-defined]
    for i in range(parties.count()):  # the selected institution is ticked already
        if parties.item(i).data(Qt.ItemDataRole.UserRole) == partner:
            parties.item(i).setCheckState(Qt.CheckState.Checked)
    agreement.categories.item(0).setCheckState(Qt.CheckState.Checked)  # type: ignore[attr-defined]
    agreement.submit()
    qtbot.waitUntil(lambda: page.agreements_model.rowCount() == 1, timeout=WAIT)
    assert page.agreements_model.index(0, 1).data() == (
        "Ausländerbehörde Dortmund, Jobcenter Testhausen-Mitte")
    assert page.agreements_model.index(0, 2).data() != ""
    assert page.agreements_model.index(0, 5).data() == "nicht unterzeichnet"

    page.filter.setText("testhausen")
    assert page.proxy.rowCount() == 1
    ctx.wait_idle()
    assert {e.name for e in institutions(ctx.vault())} == {"Ausländerbehörde Dortmund",
                                                          "Jobcenter Testhausen-Mitte"}


def test_gap_with_a_case_number_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    page = GapsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    check_model(page.model)
    ctx.wait_idle()
    notice = page.findChild(QLabel, "noPersonalData")
    assert notice is not None and "Steuerungsgremium" in notice.text()
    page.title.setText("Wartezeit im Fall DO-2026-T3ST-0042")
    page.description.setPlainText("Termine beim Jobcenter erst nach acht Wochen.")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.errors["title"].isHidden(), timeout=WAIT)
    assert "keine Fallnummern" in page.errors["title"].text()
    assert page.title.text().endswith("0042")  # the typed text stays for correction
    ctx.wait_idle()
    assert system_gaps(ctx.vault()) == []

    page.title.setText("Lange Wartezeiten auf Ersttermine")
    page.domains.item(2).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert page.errors["title"].isHidden()
    assert page.model.index(0, 0).data() == "Lange Wartezeiten auf Ersttermine"
    assert page.model.index(0, 5).data() == page.domains.item(2).text()
    assert page.title.text() == ""


def inputs_without_label(page: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in page.findChildren(QLabel) if label.buddy()}
    missing = []
    for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit):
        for widget in page.findChildren(kind):  # type: ignore[type-var]
            inner = isinstance(widget.parent(), (QAbstractSpinBox, QComboBox))
            if not inner and id(widget) not in buddies:
                missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def test_tables_leave_on_tab_and_inputs_have_labels(qtbot: QtBot, ctx: AppContext) -> None:
    pages = [TodayPage(ctx), DirectoryPage(ctx), GapsPage(ctx), SettingsPage(ctx)]
    for page in pages:
        qtbot.addWidget(page)
    ctx.wait_idle()
    for page in pages:
        views = page.findChildren(QAbstractItemView)
        assert views
        assert all(not v.tabKeyNavigation() for v in views), type(page).__name__
        assert inputs_without_label(page) == [], type(page).__name__
    settings = pages[3]
    assert isinstance(settings, SettingsPage)
    labels = {label.buddy(): label.text() for label in settings.findChildren(QLabel)
              if label.buddy()}
    assert labels[settings.idle_minutes] == "Sperren nach &Leerlauf:"
    assert labels[settings.new_pass] == "Neue &Passphrase:"
    # A screen reader announces each input by its label's words, also where the field sits in
    # a holder widget with its error line (Qt pairs a label only with a sibling by itself).
    for page in pages[1:]:
        fields = [w for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit)
                  for w in page.findChildren(kind)
                  if w.isVisibleTo(page) and not isinstance(w.parent(), QAbstractSpinBox)
                  and not isinstance(w.parent(), QComboBox)]
        assert fields
        unnamed = [w.objectName() or type(w).__name__ for w in fields
                   if not QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)]
        assert unnamed == [], type(page).__name__
    name = QAccessible.queryAccessibleInterface(settings.new_pass).text(QAccessible.Text.Name)
    assert name == "Neue Passphrase"
