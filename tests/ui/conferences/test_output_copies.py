"""'Ausfertigungen' handed out, on the real encrypted store: each participant's copy is the one
the consent gate allows (a pseudonymised copy names no client), saving and printing write real
files that are read back, a copy leaves only after its warning is confirmed and only when the
record takes it, and every copy handed out is in the audit log. The panel itself is tested in
``test_output``; the world both use is ``output_world``."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, Qt, QTimer, QTranslator
from PySide6.QtGui import QPageRanges
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.conferences.records import PSEUDONYMISED
from app.services.consent.write import withdraw_consent
from app.vault.store import Vault
from db.models import AuditLog
from tests.support.disk_faults import read_only
from tests.ui.conferences.output_world import (
    WAIT,
    Held,
    alt,
    choose,
    consents_of,
    pdf_pages,
)
from tests.ui.settle import settle
from ui.conferences.output import OutputPanel
from ui.conferences.output_questions import done_with
from ui.context import AppContext

CLIENT_NAMES = ("Ayşe", "Öztürk", "Mariam", "Haidari", "Oeztuerk")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def outputs(vault: Vault) -> list[tuple[str, dict[str, object]]]:
    """The audit entries of copies handed out (print / pdf)."""
    with vault.session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows
                if r.kind in ("print", "export") or (r.detail or {}).get("action")]


def answer_next_box(qtbot: QtBot, button_text: str) -> list[str]:
    """Answer the next message box by clicking ``button_text``; returns what it said."""
    said: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        said.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {box.text()!r}")

    QTimer.singleShot(0, answer)
    return said


def save_to(qtbot: QtBot, panel: OutputPanel, path: Path, asked: bool = True) -> list[str]:
    """Alt+S, and the file-name question answered with ``path``; returns the suggestions
    (``asked`` False: a question before it ends the save, wait for its message instead)."""
    suggested: list[str] = []

    def ask(name: str) -> str:
        suggested.append(name)
        return str(path)

    panel.ask_save_path = ask
    shown = panel.message.text()
    alt(qtbot, panel, Qt.Key.Key_S)  # Als PDF &speichern …
    # A mnemonic clicks animated, a moment later.
    qtbot.waitUntil(lambda: bool(suggested) if asked else panel.message.text() != shown,
                    timeout=WAIT)
    settle(panel.ctx)
    return suggested


# -- the copy the gate allows ------------------------------------------------------------


def test_a_pseudonymised_recipient_gets_a_copy_without_any_client_name(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    save_to(qtbot, panel, tmp_path / "voll.pdf")
    full = pdf_text(tmp_path / "voll.pdf")
    assert "Öztürk" in full and "Haidari" in full  # the check below can find the names

    entry = choose(qtbot, panel, "Herr Berger")
    assert entry.version == PSEUDONYMISED and entry.recipient_uuid == held.school_participant
    assert panel.reason.isVisible() and panel.reason.text()
    assert "pseudonymisiert" in save_to(qtbot, panel, tmp_path / "berger.pdf")[0]
    text = pdf_text(tmp_path / "berger.pdf")
    assert text.strip()
    for name in CLIENT_NAMES:
        assert name not in text, name
    assert outputs(ctx.vault())[-1][1].get("version") == PSEUDONYMISED


# -- saving ------------------------------------------------------------------------------


def test_save_as_pdf_writes_the_file_records_it_and_asks_before_replacing(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "ablage"
    folder.mkdir()
    target = folder / "Protokoll.pdf"
    before = len(outputs(ctx.vault()))
    assert save_to(qtbot, panel, target) == ["Protokoll_2026-11-24_Fallkonferenz.pdf"]
    assert pdf_pages(target) == panel.document.pageCount()
    assert "Gespeichert" in panel.message.text()
    assert len(outputs(ctx.vault())) == before + 1
    assert sorted(p.name for p in folder.iterdir()) == ["Protokoll.pdf"]

    target.write_bytes(b"die eigene Datei")
    said = answer_next_box(qtbot, "Nicht ersetzen")
    save_to(qtbot, panel, target)
    assert "Protokoll.pdf" in said[0]
    assert target.read_bytes() == b"die eigene Datei"
    assert "Nicht gespeichert" in panel.message.text()
    assert len(outputs(ctx.vault())) == before + 1

    answer_next_box(qtbot, "Ersetzen")
    save_to(qtbot, panel, target)
    assert pdf_pages(target) == panel.document.pageCount()
    assert len(outputs(ctx.vault())) == before + 2
    assert sorted(p.name for p in folder.iterdir()) == ["Protokoll.pdf"]


def test_a_copy_for_the_foreigners_authority_leaves_only_after_its_warning_is_confirmed(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    entry = choose(qtbot, panel, "Frau Vogt")
    assert entry.warnings
    folder = tmp_path / "ablage"
    folder.mkdir()
    before = outputs(ctx.vault())
    said = answer_next_box(qtbot, "Nicht weitergeben")
    assert save_to(qtbot, panel, folder / "abh.pdf", asked=False) == []
    assert "Ausländerbehörde" in said[0]
    assert "Nicht weitergegeben" in panel.message.text()
    assert list(folder.iterdir()) == [] and outputs(ctx.vault()) == before

    answer_next_box(qtbot, "Weitergabe bestätigen")
    save_to(qtbot, panel, folder / "abh.pdf")
    assert pdf_pages(folder / "abh.pdf") == panel.document.pageCount()
    assert len(outputs(ctx.vault())) == len(before) + 1


def test_a_copy_the_record_refuses_is_taken_back_and_the_replaced_file_restored(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    """Frau Schulz's full copy is on screen; meanwhile another Lotse process withdrew the job
    centre's consent for the second case. Saving it over an existing file: the services refuse
    to record the copy, so it is not handed out and the old file is back."""
    choose(qtbot, panel, "Frau Schulz")
    for uuid in consents_of(ctx.vault(), held.second_case, "Jobcenter Dortmund"):
        withdraw_consent(ctx.vault(), uuid, date(2026, 11, 25))  # idle thread, unannounced
    folder = tmp_path / "ablage"
    folder.mkdir()
    target = folder / "Schulz.pdf"
    target.write_bytes(b"die alte Fassung")
    before = outputs(ctx.vault())
    answer_next_box(qtbot, "Ersetzen")
    save_to(qtbot, panel, target)
    assert "erhält nur die pseudonymisierte Fassung" in panel.message.text()
    assert panel.message.text().startswith("Nicht gespeichert")
    assert target.read_bytes() == b"die alte Fassung"
    assert sorted(p.name for p in folder.iterdir()) == ["Schulz.pdf"]
    assert outputs(ctx.vault()) == before


def test_a_save_that_fails_says_so_and_records_nothing(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "nurlesen"
    folder.mkdir()
    before = outputs(ctx.vault())
    with read_only(folder):
        save_to(qtbot, panel, folder / "Protokoll.pdf")
        assert list(folder.iterdir()) == []
    assert "schreibgeschützt" in panel.message.text()
    assert outputs(ctx.vault()) == before


# -- printing ------------------------------------------------------------------------------


def print_to(qtbot: QtBot, panel: OutputPanel, path: Path, ranges: str) -> None:
    """Alt+D; the print dialog answered as a person would: print to a PDF file, pages."""
    asked: list[int] = []

    def ask(printer: QPrinter, page_count: int) -> bool:
        asked.append(page_count)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setPageRanges(QPageRanges.fromString(ranges))
        return True

    panel.ask_print = ask
    alt(qtbot, panel, Qt.Key.Key_D)  # &Drucken …
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT)
    settle(panel.ctx)
    assert asked == [panel.document.pageCount()]


def test_printing_a_page_range_prints_those_pages_and_records_it(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    pages = panel.document.pageCount()
    assert pages >= 2, "the minutes of two cases fill more than a page"
    before = len(outputs(ctx.vault()))
    out = tmp_path / "gedruckt.pdf"
    print_to(qtbot, panel, out, f"2-{pages}")
    assert pdf_pages(out) == pages - 1
    assert f"{pages - 1} Seite" in panel.message.text()
    entries = outputs(ctx.vault())
    assert len(entries) == before + 1


def test_the_print_dialog_speaks_german_and_offers_a_page_range(
        panel: OutputPanel, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert translator.load("qtbase_de", folder)
    app.installTranslator(translator)
    try:
        printer = QPrinter()
        dialog = panel.print_dialog(printer, 3)
        assert dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange)
        assert (dialog.minPage(), dialog.maxPage()) == (1, 3)
        dialog.show()
        texts = [b.text().replace("&", "") for b in dialog.findChildren(type(panel.print_button))
                 if b.isVisible()]
        assert "Abbrechen" in texts and "Eigenschaften" in texts  # Qt's own, in German
        assert dialog.windowTitle() == "Protokoll drucken"
        dialog.reject()
        done_with(dialog)  # before the printer it refers to goes
    finally:
        app.removeTranslator(translator)
