""""Ausfertigungen": the copies of a conference's minutes, previewed as the real PDF, printed
through the system dialog or saved as a PDF file; every copy handed out is recorded.

The PDF is rendered off the GUI thread (the database worker: the minutes are read from the
vault), held in memory only and shown by QtPdf from a QBuffer: no temp file with client data.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.errors import Cancelled
from ui.conferences.output_file import SaveFailed, save_recorded, suggested_name
from ui.conferences.output_print import PrintFailed, new_printer, print_pdf
from ui.conferences.output_questions import (
    ask_save_path,
    done_with,
    print_dialog,
    replace_confirmed,
    warnings_confirmed,
)
from ui.conferences.output_source import RecordFn, RenderFn, load_plan, record_output, render_copy
from ui.conferences.output_versions import ENTRY_ROLE, OutputPlan, OutputVersion, versions_model
from ui.context import AppContext, german_message
from ui.pdf_output.printing import load_pdf
from ui.settings.progress_row import ProgressRow

if TYPE_CHECKING:
    from app.progress import ProgressFn
    from app.vault.store import Vault

# What the minutes are made of: a change to any of these may change what a copy says.
DOCUMENT_KINDS = (Kind.CONFERENCE, Kind.CONSENT, Kind.CASE, Kind.PERSON, Kind.DIRECTORY,
                  Kind.STAFF, Kind.SETTINGS, Kind.CATALOGUE)
RENDER_FAILED_DE = "Die Vorschau ließ sich nicht erstellen: "
CANCELLED_DE = "Das Erstellen der Vorschau wurde abgebrochen."


class OutputPanel(QWidget):
    def __init__(self, ctx: AppContext, conference_uuid: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conference_uuid = conference_uuid
        self.setObjectName("conferenceOutput")
        # Where the copies come from and where handing one out is recorded: the services.
        self.render_source: RenderFn = render_copy
        self.record: RecordFn = record_output
        # The two questions to the person at the desk; tests answer them through these seams.
        self.ask_print: Callable[[QPrinter, int], bool] = self._ask_print
        self.ask_save_path: Callable[[str], str] = self._ask_save_path
        self.plan: OutputPlan | None = None
        self.current: OutputVersion | None = None
        self._pdf: bytes | None = None  # the bytes the preview shows (printed and saved as is)
        self._cache: dict[tuple[str, str | None], bytes] = {}
        self._serial = 0  # the render whose result the preview still waits for
        self._own_changes = False  # our own record of a copy: no reason to render again
        self._waiting: threading.Event | None = None  # the stop flag of the render waited for
        self._build()
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self._forget)
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        side = QVBoxLayout()
        label = QLabel("Ausfertigung &wählen:")
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setObjectName("outputVersions")
        self.list.setModel(self.model)
        self.list.setAccessibleName("Ausfertigungen")
        self.list.setAccessibleDescription("Das vollständige Protokoll und je Teilnehmende "
                                           "die Ausfertigung, die sie erhalten dürfen")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)  # wrapped two-line entries stay apart
        self.list.selectionModel().currentChanged.connect(lambda current, _p: self._choose(
            current.data(ENTRY_ROLE) if current.isValid() else None))
        label.setBuddy(self.list)
        self.reason = QLabel()
        self.reason.setObjectName("outputReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setFrameShape(QFrame.Shape.StyledPanel)
        self.reason.setMargin(6)
        # Mnemonics W, D, S and A (Abbrechen): the conference window's tabs hold P, G, C, U.
        self.print_button = QPushButton("&Drucken …")
        self.print_button.setToolTip("Die gewählte Ausfertigung über den Druckdialog drucken")
        self.print_button.clicked.connect(self.print_copy)
        self.save_button = QPushButton("Als PDF &speichern …")
        self.save_button.setToolTip("Die gewählte Ausfertigung als PDF-Datei speichern")
        self.save_button.clicked.connect(self.save_copy)
        self.progress = ProgressRow("Vorschau wird erstellt", "Erstellen der Vorschau abbrechen")
        self.progress.cancel_requested.connect(self._cancelled)
        self.message = QLabel()
        self.message.setObjectName("outputMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        side.addWidget(label)
        side.addWidget(self.list, 1)
        side.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        side.addLayout(buttons)
        hint = QLabel("Jeder Ausdruck und jede gespeicherte Datei wird mit Ausfertigung und "
                      "Empfänger:in im Prüfprotokoll vermerkt.")
        hint.setWordWrap(True)
        side.addWidget(hint)
        side.addWidget(self.progress)
        side.addWidget(self.message)

        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.pages = QLabel()
        self.pages.setObjectName("outputPages")
        self.view = QPdfView(self)
        self.view.setObjectName("outputPreview")
        self.view.setAccessibleName("Vorschau der gewählten Ausfertigung")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Bild-ab scroll
        self.view.setDocument(self.document)
        preview = QVBoxLayout()
        preview.addWidget(self.pages)
        preview.addWidget(self.view, 1)

        row = QHBoxLayout(self)
        row.addLayout(side, 2)
        row.addLayout(preview, 5)
        self._enable()

    def _enable(self) -> None:
        ready = self._pdf is not None and self.document.pageCount() > 0
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # -- the list ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read which copies there are (participants and the consent gate may have changed)."""
        self.ctx.run(lambda vault: load_plan(vault, self.conference_uuid), self._planned,
                     self._plan_failed)

    def _planned(self, plan: OutputPlan) -> None:
        # The same person stays chosen, also when the gate now allows them another version.
        keep = self.current.recipient_uuid if self.current is not None else None
        self.plan = plan
        self._cache.clear()
        self.current = None
        versions_model(plan, self.model)
        row = next((i for i, v in enumerate(plan.versions) if v.recipient_uuid == keep), 0)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row, 0))

    def _plan_failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _choose(self, entry: OutputVersion | None) -> None:
        self.current = entry
        reason = entry.reason if entry is not None else None
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason))
        if entry is not None:
            self.show_version(entry)

    # -- rendering ---------------------------------------------------------------------------

    def show_version(self, entry: OutputVersion) -> None:
        """Show ``entry``'s PDF: from memory when rendered before, else off the GUI thread."""
        self._serial += 1
        cached = self._cache.get(entry.key)
        if cached is not None:
            if self._waiting is not None:
                self._waiting.set()
                self._waiting = None
            self.progress.finish(self.list)
            self._show(cached)
            return
        serial = self._serial
        # Nothing to print or save until the chosen copy is there, and no other copy on
        # screen meanwhile: it could be taken for the chosen one.
        self._clear_preview()
        self.pages.setText("Die Vorschau wird erstellt …")
        self.message.clear()
        if self._waiting is not None:
            self._waiting.set()  # the copy chosen before this one is not wanted any more
        stop = self._waiting = self.progress.start()  # a busy bar: rendering has no steps
        source, uuid = self.render_source, self.conference_uuid

        def work(vault: Vault, _progress: ProgressFn) -> bytes:
            # Queued behind other work: a copy nobody waits for any more is not made.
            if stop.is_set():
                raise Cancelled(CANCELLED_DE, "preview cancelled before it started")
            return source(vault, uuid, entry.version, entry.recipient_uuid)

        def done(data: bytes) -> None:
            self._cache[entry.key] = data
            if serial == self._serial and not stop.is_set():
                self._waiting = None
                self.progress.finish(self.list)
                self._show(data)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self._waiting = None
                self.progress.finish(self.list)
                self._clear_preview()
                self.message.setText(CANCELLED_DE if isinstance(exc, Cancelled)
                                     else RENDER_FAILED_DE + german_message(exc))

        self.ctx.run_progress(work, done, failed)

    def _cancelled(self) -> None:
        self._serial += 1  # a result still on its way is not shown
        self._waiting = None
        self.progress.finish(self.list)
        self._clear_preview()
        self.message.setText(CANCELLED_DE)

    def _clear_preview(self) -> None:
        """No preview of another copy than the one chosen: it could be taken for it."""
        self._pdf = None
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self.pages.setText("Keine Vorschau")
        self._enable()

    def _show(self, data: bytes) -> None:
        if not load_pdf(self.document, self._buffer, data):
            self._clear_preview()
            self.message.setText(RENDER_FAILED_DE + "Das erzeugte PDF ist nicht lesbar.")
        else:
            self._pdf = data
            count = self.document.pageCount()
            self.pages.setText(f"Vorschau: {count} Seite" + ("" if count == 1 else "n"))
            self.message.clear()
        self._enable()

    # -- handing out a copy ------------------------------------------------------------------

    def print_copy(self) -> None:
        entry, data = self.current, self._pdf
        if entry is None or data is None:
            return
        if not self._warnings_confirmed(entry):
            return
        printer = new_printer()
        if not self.ask_print(printer, self.document.pageCount()):
            return
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        try:
            sheets = print_pdf(data, printer, self._printing)
        except PrintFailed as exc:
            self._enable()
            self.message.setText(str(exc.args[0]) + " Der Druck wurde nicht vermerkt.")
            return
        done = f"{sheets} Seite{'' if sheets == 1 else 'n'} an den Drucker übergeben."
        self._record("print", entry, done)

    def save_copy(self) -> None:
        entry, data, plan = self.current, self._pdf, self.plan
        if entry is None or data is None or plan is None:
            return
        if not self._warnings_confirmed(entry):
            return
        answer = self.ask_save_path(suggested_name(plan.scheduled_at, entry.version))
        if not answer:
            return
        path = Path(answer)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        replacing = os.path.lexists(path)
        if replacing and not self._confirm_replace(path):
            self.message.setText("Nicht gespeichert: Die vorhandene Datei bleibt unverändert.")
            return
        record, uuid = self.record, self.conference_uuid

        def work(vault: Vault) -> None:
            save_recorded(path, data, replace_existing=replacing, record=lambda: record(
                vault, uuid, "pdf", entry.version, entry.recipient_uuid, bool(entry.warnings)))

        self.save_button.setEnabled(False)
        self.ctx.run(work, lambda _none: self._handed_out(f"Gespeichert: {path}"),
                     lambda exc: self._hand_out_failed("Nicht gespeichert: ", exc))

    def _printing(self, done: int, total: int) -> None:
        """Painting for the printer happens here, on the GUI thread (QtPdf and the printer
        hold Python's lock anyway); between sheets the window repaints, and clicks wait."""
        self.message.setText(f"Druck wird aufbereitet: Seite {done} von {total} …")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def _record(self, action: str, entry: OutputVersion, done: str) -> None:
        record, uuid = self.record, self.conference_uuid
        # The sheets are out: a record refused now (the gate changed since the preview) can
        # only be reported, so the caseworker can take the copy back.
        self.ctx.run(lambda vault: record(vault, uuid, action, entry.version,
                                          entry.recipient_uuid, bool(entry.warnings)),
                     lambda _none: self._handed_out(done),
                     lambda exc: self._hand_out_failed(
                         "Gedruckt, aber nicht im Prüfprotokoll vermerkt: ", exc))

    def _handed_out(self, text: str) -> None:
        self._mark_own_changes()
        self._enable()
        self.message.setText(text)

    def _hand_out_failed(self, what: str, exc: BaseException) -> None:
        self._mark_own_changes()
        self._enable()
        text = str(exc.args[0]) if isinstance(exc, SaveFailed) else german_message(exc)
        self.message.setText(what + text)

    def _mark_own_changes(self) -> None:
        # The context announces what our record committed right after this callback.
        self._own_changes = True
        QTimer.singleShot(0, self._own_changes_over)

    def _own_changes_over(self) -> None:
        self._own_changes = False

    # -- the questions (the dialogs themselves: output_questions) ----------------------------

    def print_dialog(self, printer: QPrinter, page_count: int) -> QPrintDialog:
        return print_dialog(self, printer, page_count)

    def _ask_print(self, printer: QPrinter, page_count: int) -> bool:
        dialog = self.print_dialog(printer, page_count)
        accepted = bool(dialog.exec())
        done_with(dialog)
        return accepted

    def _ask_save_path(self, suggested: str) -> str:
        return ask_save_path(self, suggested)

    def _warnings_confirmed(self, entry: OutputVersion) -> bool:
        if not entry.warnings or warnings_confirmed(self, entry.warnings):
            return True
        self.message.setText("Nicht weitergegeben: Die Ausfertigung wurde weder gedruckt noch "
                             "gespeichert.")
        return False

    def _confirm_replace(self, path: Path) -> bool:
        return replace_confirmed(self, path)

    # -- keeping up ----------------------------------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        if self._own_changes or not changes.touches(*DOCUMENT_KINDS):
            return
        self.reload()  # the copies, and the preview of the chosen one, as they are now

    def _forget(self) -> None:
        """At lock: no minutes stay in memory."""
        self._serial += 1
        if self._waiting is not None:
            self._waiting.set()
            self._waiting = None
        self._cache.clear()
        self._clear_preview()


def standalone(ctx: AppContext, conference_uuid: str) -> OutputPanel:
    """The panel as a window of its own (tests, and a look at it outside the conference
    window): shown at 1280×720, the size of the smallest laptop screen Lotse is made for."""
    panel = OutputPanel(ctx, conference_uuid)
    panel.setWindowTitle("Ausfertigungen – Fallkonferenz")
    panel.resize(1280, 720)
    panel.show()
    return panel
