"""Unsaved input in every section of a case file survives a lock: typed before Ctrl+L, back in
the same field after unlocking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import lock_by_keyboard, unlock_by_typing
from ui.casefile._section import ReadOnlySection, Section, SectionCode
from ui.casefile.sections.certificates import CertificatesSection
from ui.casefile.window import CaseFileWidget
from ui.date_field import DateField
from ui.main_window import MainWindow

T = 20000
Field = Callable[[Section], QLineEdit | QPlainTextEdit]

# One typed field per section that takes input (ASCII: typed key by key).
FIELDS: dict[SectionCode, Field] = {
    SectionCode.PERSON: lambda s: s.edits["phone"],  # type: ignore[attr-defined]
    SectionCode.DOCUMENTATION: lambda s: s.texts["indication"],  # type: ignore[attr-defined]
    SectionCode.STATUS: lambda s: s.legal_basis,  # type: ignore[attr-defined]
    SectionCode.JOURNAL: lambda s: s.text,  # type: ignore[attr-defined]
    SectionCode.PLAN: lambda s: s.goal_form.inputs["description"],  # type: ignore[attr-defined]
    SectionCode.TASKS: lambda s: s.title,  # type: ignore[attr-defined]
    SectionCode.CONSENTS: lambda s: s.form.purpose,  # type: ignore[attr-defined]
    SectionCode.PHASE: lambda s: s.reason,  # type: ignore[attr-defined]
}
READ_ONLY = {SectionCode.DOCUMENTS, SectionCode.HISTORY}
# Typed in a dialog the section opens (its own test below).
IN_DIALOG = {SectionCode.CERTIFICATES}


def text_of(field: QWidget) -> str:
    return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()


def typed(code: SectionCode) -> str:
    return f"Entwurf {code.name.lower()} 4711"


def open_case(qtbot: QtBot, window: MainWindow, case_id: int) -> CaseFileWidget:
    assert window.ctx is not None
    window.ctx.case_open_requested.emit(case_id, "")
    qtbot.waitUntil(lambda: window.workspace is not None and isinstance(
        window.workspace.currentWidget(), CaseFileWidget), timeout=T)
    assert window.workspace is not None
    case = window.workspace.currentWidget()
    assert isinstance(case, CaseFileWidget) and case.case_id == case_id
    return case


def test_every_sections_draft_survives_a_lock(qtbot: QtBot, vault: Vault,
                                              vault_dir: Path) -> None:
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    case = open_case(qtbot, window, case_id)
    assert set(case.sections) == set(FIELDS) | READ_ONLY | IN_DIALOG  # all eleven covered
    for code in SectionCode:
        case.show_section(code)
        section = case.section(code)
        if code in IN_DIALOG:
            continue
        if code in READ_ONLY:
            assert isinstance(section, ReadOnlySection)
            continue
        # Edit forms take input once their data is there (they never type over a load).
        qtbot.waitUntil(section.isEnabled, timeout=T)
        field = FIELDS[code](section)
        field.setFocus()
        qtbot.keyClicks(field, typed(code))
        assert section.has_unsaved_changes(), code
    drafts = case.draft_state()
    assert set(drafts) == {str(code) for code in FIELDS}

    lock_by_keyboard(qtbot, window)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    reopened = window.workspace.currentWidget()
    assert isinstance(reopened, CaseFileWidget) and reopened is not case
    for code, field_of in FIELDS.items():
        reopened.show_section(code)  # edit forms put the draft over their data once loaded
        field = field_of(reopened.section(code))
        qtbot.waitUntil(lambda f=field, c=code: text_of(f) == typed(c), timeout=T)
    window.close()


def test_a_certificate_being_issued_survives_a_lock(qtbot: QtBot, vault: Vault,
                                                    vault_dir: Path) -> None:
    """The lock closes the issue dialog (nothing about a person stays on screen); after
    unlocking it is open again with the template, what was typed (a half-typed date too) and
    the institution chosen."""
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    case = open_case(qtbot, window, case_id)
    case.show_section(SectionCode.CERTIFICATES)
    section = case.section(SectionCode.CERTIFICATES)
    assert isinstance(section, CertificatesSection)
    assert not section.has_unsaved_changes()
    section.open_issue()
    dialog = section.issue_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.template.count() > 0, timeout=T)
    dialog.template.setFocus()
    qtbot.keyClick(dialog.template, Qt.Key.Key_End)  # the last template in the list
    key = dialog.template.currentData()
    first, *rest = dialog.fields.inputs.values()
    assert isinstance(first, QLineEdit)
    qtbot.keyClicks(first, "Sprachkurs B1 Entwurf")
    dates = [w for w in rest if isinstance(w, DateField)]
    if dates:
        qtbot.keyClicks(dates[0], "12.03.")  # half-typed
    qtbot.keyClick(dialog.recipient.institution_choice, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.recipient.institution.count() > 1, timeout=T)
    index = dialog.recipient.institution.findData(jobcenter)
    dialog.recipient.institution.setFocus()
    for _ in range(index):
        qtbot.keyClick(dialog.recipient.institution, Qt.Key.Key_Down)
    assert dialog.recipient.institution_uuid() == jobcenter
    assert section.has_unsaved_changes()
    typed_texts = dialog.fields.texts()

    # Ctrl+L in the dialog (the main window's shortcut does not reach it).
    qtbot.keyClick(dialog.recipient.institution, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ctx is None, timeout=T)
    assert not dialog.isVisible()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    reopened = window.workspace.currentWidget()
    assert isinstance(reopened, CaseFileWidget) and reopened is not case
    again = reopened.section(SectionCode.CERTIFICATES)
    assert isinstance(again, CertificatesSection)
    qtbot.waitUntil(lambda: again.issue_dialog is not None and again.issue_dialog.isVisible()
                    and again.issue_dialog.fields.texts() == typed_texts, timeout=T)
    back = again.issue_dialog
    assert back is not None and back.template.currentData() == key
    qtbot.waitUntil(lambda: back.recipient.institution_uuid() == jobcenter, timeout=T)
    window.close()
