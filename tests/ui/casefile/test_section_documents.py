"""Documents section: scanned forms, viewing without plaintext on disk, export, other program."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import NotFound
from app.services.audit.read import case_history
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.documents.write import cleanup_private_temp, private_temp_dir
from tests.ui.casefile.sections_support import (
    MARKER,
    PURPOSE,
    Seed,
    as_in_window,
    files_containing,
    make_pdf,
    open_consents,
)
from tests.ui.model_check import check_model
from tests.ui.settle import settle
from ui.context import AppContext


def _documents(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import DocumentsSection

    section = as_in_window(ctx, DocumentsSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.model)
    section.refresh()
    qtbot.waitUntil(lambda: section.add_button.isEnabled(), timeout=10000)
    return section


def test_scanned_form_is_listed_and_viewed_without_plaintext_on_disk(
        qtbot: QtBot, seed: Seed, vault_dir: Path, private_tmp: Path, ctx: AppContext,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_pdf(source / "Einwilligung unterschrieben.pdf")
    record_consent(ctx.vault(), seed.case_id, NewConsent(
        seed.jobcenter, ["residence"], PURPOSE, date.today()))
    consents = open_consents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: consents.list_model.rowCount() == 1, timeout=10000)
    assert consents.list_model.rows()[0].cells[6] == "fehlt"
    consents.list_view.selectRow(0)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(source / "Einwilligung unterschrieben.pdf"), ""))
    qtbot.mouseClick(consents.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consents.list_model.rowCount() == 1
                    and consents.list_model.rows()[0].cells[6] == "ja", timeout=10000)

    docs = _documents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)
    first = docs.model.rows()[0]
    assert first.cells[0] == "Einwilligung unterschrieben.pdf"
    assert first.cells[1] == "PDF" and first.cells[4] == "Einwilligung"
    assert not docs.show_button.isEnabled()
    docs.view.selectRow(0)
    qtbot.mouseClick(docs.show_button, Qt.MouseButton.LeftButton)
    document = docs.viewer.pdf_document
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready, timeout=10000)
    assert document.pageCount() == 1
    assert MARKER in document.getAllText(0).text()
    assert docs.viewer.currentWidget() is docs.viewer.pdf_view
    ctx.wait_idle()
    # Viewing wrote nothing readable: not into the temp dir (Python's and Qt's), not beside
    # the vault (the marker is plain bytes in the uncompressed PDF, so any copy would show).
    assert files_containing(MARKER.encode(), private_tmp, vault_dir) == []
    assert list(private_tmp.iterdir()) == []
    # At lock the document and the list leave memory and screen; after unlocking it reloads.
    ctx.locked.emit()
    assert document.status() != QPdfDocument.Status.Ready
    assert docs.model.rowCount() == 0 and consents.matrix_model.rowCount() == 0
    docs.refresh()  # what the window does after unlocking
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)


def test_add_export_and_open_with_other_program(
        qtbot: QtBot, seed: Seed, ctx: AppContext, private_tmp: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from app.services.documents.write import write_private_copy

    pdf = make_pdf(tmp_path / "Bescheid.pdf")
    (tmp_path / "Notiz.exe").write_bytes(b"MZ")
    docs = _documents(qtbot, ctx, seed)
    with (tmp_path / "Scan gross.pdf").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: the size is refused before reading
    chosen = iter([str(tmp_path / n) for n in ("Notiz.exe", "Scan gross.pdf", "Bescheid.pdf")])
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (next(chosen), ""))
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nicht unterstützt" in docs.message.text(), timeout=10000)
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "größer als 50 MB" in docs.message.text(), timeout=10000)
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)
    assert docs.model.rows()[0].cells[4] == "Fall"
    docs.view.selectRow(0)

    # Speichern unter …: exactly the stored bytes where the user chose.
    target = tmp_path / "export" / "kopie.pdf"
    target.parent.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(docs.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Gespeichert unter" in docs.message.text(), timeout=10000)
    assert target.read_bytes() == pdf

    # Mit anderem Programm öffnen: warning first; "No" writes nothing.
    warned: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def warning(_parent: object, _title: str, text: str, *_a: object) -> object:
        warned.append(text)
        return next(answers)

    opened: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(docs.open_button, Qt.MouseButton.LeftButton)
    settle(ctx)
    folder = private_temp_dir()
    assert "unverschlüsselt" in warned[0] and "gesperrt oder beendet" in warned[0]
    assert list(folder.iterdir()) == [] and opened == []
    qtbot.mouseClick(docs.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10000)
    files = list(folder.iterdir())
    assert [str(f) for f in files] == opened
    assert files[0].read_bytes() == pdf
    assert files[0].name == f"{docs.model.rows()[0].key}.pdf"  # nothing personal in the name
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    # The service alone: one more copy of the same document is still one file; cleanup empties.
    ctx.wait_idle()
    path = write_private_copy(ctx.vault(), seed.case_id, docs.model.rows()[0].key)
    assert list(folder.iterdir()) == [path]
    assert cleanup_private_temp() == 1
    assert list(folder.iterdir()) == []
    # Both exports appear in the case's own audit history; another case cannot reach the file.
    exports = [e for e in case_history(ctx.vault(), seed.case_id) if e.kind == "export"]
    assert len(exports) == 3 and all(e.label == "Exportiert" for e in exports)
    other = create_case(ctx.vault(), NewCase(given_names="Jan", family_name="Kowalski",
                                             municipality="DO"))
    with pytest.raises(NotFound):
        write_private_copy(ctx.vault(), other, docs.model.rows()[0].key)
    assert list(folder.iterdir()) == []

    # Images are shown from memory as well.
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    image.save(str(tmp_path / "Pass.png"))
    docs.add_file(tmp_path / "Pass.png")
    qtbot.waitUntil(lambda: docs.model.rowCount() == 2, timeout=10000)
    docs.view.selectRow(1)
    qtbot.keyClick(docs.view, Qt.Key.Key_Return)  # Enter in the list shows the document
    qtbot.waitUntil(lambda: docs.viewer.currentWidget() is docs.viewer.image_scroll,
                    timeout=10000)
    assert docs.viewer.image_label.pixmap().size().width() == 40
