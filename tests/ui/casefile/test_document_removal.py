"""Removing a misfiled document from the case file with the keyboard: select it, Entf, pick the
reason, confirm. Read back: gone from the section, its bytes gone, audited with the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.services.cases.read import header
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.documents.read import case_documents
from app.services.documents.write import add_attachment
from db.models import Attachment, AuditLog, CaseFile
from tests.ui.casefile.casefile_helpers import TIMEOUT, history_of, open_case, row, section_of
from tests.ui.model_check import check_model
from ui.casefile.sections._move_document import MoveDocumentDialog
from ui.casefile.sections._remove_document import RemoveDocumentDialog
from ui.casefile.sections.documents import DocumentsSection
from ui.context import AppContext

TEXT = b"Bescheid Jobcenter fuer eine andere Person KENNUNG-0815"


def _dialog(qtbot: QtBot, docs: DocumentsSection) -> RemoveDocumentDialog:
    def shown() -> RemoveDocumentDialog | None:
        found = docs.findChild(RemoveDocumentDialog, "removeDocument")
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=TIMEOUT)
    dialog = shown()
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)  # keys go to it, as on screen
    return dialog


def test_a_misfiled_document_is_removed_with_a_reason(qtbot: QtBot, ctx: AppContext,
                                                       case_id: int) -> None:
    vault = ctx.vault()
    with vault.read_session() as s:
        case_uuid = s.get_one(CaseFile, case_id).uuid
    wrong = add_attachment(vault, "case_file", case_uuid, "bescheid_karim.txt", "text/plain",
                           TEXT)
    add_attachment(vault, "case_file", case_uuid, "pass.txt", "text/plain", b"Pass")
    widget = open_case(qtbot, ctx, case_id, "documents")
    docs = section_of(widget, "documents", DocumentsSection)
    check_model(docs.model)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 2, timeout=TIMEOUT)
    docs.view.setFocus()
    docs.view.selectRow(0)
    assert row(docs.model, 0)[0] == "bescheid_karim.txt"
    qtbot.keyClick(docs.view, Qt.Key.Key_Return)  # looked at first: the viewer shows it
    qtbot.waitUntil(lambda: docs.viewer.text.toPlainText() == TEXT.decode(), timeout=TIMEOUT)

    # Esc in the question changes nothing.
    qtbot.keyClick(docs.view, Qt.Key.Key_Delete)
    dialog = _dialog(qtbot, docs)
    assert dialog.question.text().startswith("„bescheid_karim.txt“ (hinzugefügt am ")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert docs.model.rowCount() == 2

    qtbot.keyClick(docs.view, Qt.Key.Key_Delete)
    dialog = _dialog(qtbot, docs)
    assert not dialog.remove_button.isEnabled()  # a reason first
    assert [dialog.reason.itemText(i) for i in range(dialog.reason.count())] == [
        "– bitte wählen –", "falschem Fall zugeordnet", "doppelt", "falsches Dokument",
        "Sonstiges"]
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)  # "falschem Fall zugeordnet"
    assert dialog.remove_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # Dokument &entfernen

    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=TIMEOUT)
    assert row(docs.model, 0)[0] == "pass.txt"
    assert docs.message.text() == "„bescheid_karim.txt“ wurde aus dem Fall entfernt."
    assert docs.viewer.text.toPlainText() == ""  # nothing of it on screen
    assert docs.viewer.pdf_document.status() != QPdfDocument.Status.Ready
    with vault.read_session() as s:
        stored = s.execute(select(Attachment).options(undefer(Attachment.content))
                           .where(Attachment.uuid == wrong)).scalar_one()
        assert stored.deleted and stored.content == b"" and stored.filename == ""
        entry = s.execute(select(AuditLog).where(AuditLog.object_uuid == wrong,
                                                 AuditLog.kind == "record.deleted")).scalar_one()
        assert entry.detail == {"reason": "wrong_case", "case": case_uuid}
    history = history_of(qtbot, widget)
    lines = [row(history, r)[1] for r in range(history.rowCount())]
    assert "Dokument entfernt (falschem Fall zugeordnet)" in lines
    assert header(vault, case_id).case_number  # the case itself is untouched

    # Locking closes an open question: it names a document.
    widget.show_section("documents")
    docs.view.setFocus()
    docs.view.selectRow(0)
    qtbot.keyClick(docs.view, Qt.Key.Key_Delete)
    dialog = _dialog(qtbot, docs)
    ctx.locked.emit()  # what the main window does first when it locks
    qtbot.waitUntil(lambda: docs.findChild(RemoveDocumentDialog, "removeDocument") is None,
                    timeout=TIMEOUT)


def test_a_document_moves_to_the_right_case_from_the_keyboard(qtbot: QtBot, ctx: AppContext,
                                                               case_id: int) -> None:
    vault = ctx.vault()
    other = create_case(vault, NewCase("Karim", "Haidari", "DO"))
    with vault.read_session() as s:
        case_uuid = s.get_one(CaseFile, case_id).uuid
        number = s.get_one(CaseFile, other).case_number
    uuid = add_attachment(vault, "case_file", case_uuid, "bescheid_karim.txt", "text/plain",
                          TEXT)
    widget = open_case(qtbot, ctx, case_id, "documents")
    docs = section_of(widget, "documents", DocumentsSection)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=TIMEOUT)
    docs.view.setFocus()
    docs.view.selectRow(0)
    qtbot.keyClick(docs.view, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # &Verschieben …

    def dialog() -> MoveDocumentDialog | None:
        found = docs.findChild(MoveDocumentDialog, "moveDocument")
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=TIMEOUT)
    box = dialog()
    assert box is not None
    qtbot.waitUntil(box.isActiveWindow, timeout=TIMEOUT)
    qtbot.keyClicks(box.target, "DO-2026-XXXX-9999")  # mistyped: said at the field
    qtbot.keyClick(box.target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.error.isVisibleTo(box), timeout=TIMEOUT)
    assert box.error.text() == "Einen Fall mit dem Aktenzeichen „DO-2026-XXXX-9999“ gibt es nicht."
    assert docs.model.rowCount() == 1
    box.target.selectAll()
    qtbot.keyClicks(box.target, number)
    qtbot.keyClick(box.target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 0, timeout=TIMEOUT)
    assert docs.message.text() == (f"„bescheid_karim.txt“ liegt jetzt im Fall {number}.\n"
                                   "Zu diesem Fall sind noch keine Dokumente gespeichert.")
    assert [d.uuid for d in case_documents(vault, other).documents] == [uuid]
