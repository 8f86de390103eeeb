"""Dokumente: the case's stored documents; add, view inside Lotse, save as, open elsewhere,
remove one filed to the wrong case (with a reason; the Delete key asks the same)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.documents.read import case_documents, read_attachment
from app.services.documents.records import AttachmentInfo, CaseDocuments, DocumentRow
from app.services.documents.write import (
    add_attachment,
    export_document,
    move_document,
    remove_document,
    write_private_copy,
)
from app.vault.store import Vault
from ui.casefile._form import (
    ERROR_STYLE,
    alive,
    run_guarded,
)
from ui.casefile._section import ReadOnlySection
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._files import DOCUMENT_FILTER, DOCUMENT_TYPES, read_upload
from ui.casefile.sections._move_document import MoveDocumentDialog
from ui.casefile.sections._remove_document import RemoveDocumentDialog
from ui.casefile.sections._viewer import DocumentViewer
from ui.context import AppContext, german_message

KIND_LABELS = {"application/pdf": "PDF", "image/jpeg": "Bild (JPEG)", "image/png": "Bild (PNG)",
               "image/tiff": "Bild (TIFF)", "text/plain": "Text"}
EMPTY = "Zu diesem Fall sind noch keine Dokumente gespeichert."
HEADERS = ("Dateiname", "Art", "Größe", "Hinzugefügt am", "Gehört zu")
OPEN_WARNING = (
    "Um das Dokument mit einem anderen Programm zu öffnen, speichert Lotse es unverschlüsselt "
    "in einem privaten temporären Ordner. Dort bleibt es, bis Lotse gesperrt oder beendet wird; "
    "das andere Programm kann zudem eigene Kopien anlegen.\n\nTrotzdem öffnen?")


def size_text(size: int) -> str:
    loc = QLocale()
    if size < 1024:
        return f"{loc.toString(size)} Bytes"
    if size < 1024 * 1024:
        return f"{loc.toString(size / 1024, 'f', 1)} KB"
    return f"{loc.toString(size / (1024 * 1024), 'f', 1)} MB"


def added_text(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%d.%m.%Y %H:%M")


class DocumentsSection(ReadOnlySection):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("documentsSection")
        self.case_uuid: str | None = None
        self._docs: list[DocumentRow] = []
        self._shown: str | None = None  # uuid of the document in the viewer
        self.model = RowsModel(HEADERS)
        self.view = make_table("Dokumente des Falls", self.model, stretch=0)
        self.view.setObjectName("documentList")
        self.viewer = DocumentViewer()
        self._build()
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.view.activated.connect(lambda _i: self.show_selected())  # Enter or double-click
        self.view.installEventFilter(self)  # the Delete key asks to remove the selected one
        # The case-file window reloads the visible section when a committed change touches its
        # case (and after unlocking): the context reports every write, nobody announces it.
        ctx.locked.connect(self.clear)
        self._update_actions()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Dokumente</h2>"))
        label = QLabel("Gespeicherte &Dokumente (verschlüsselt im Tresor):")
        label.setBuddy(self.view)
        layout.addWidget(label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Dokument &hinzufügen …")
        self.add_button.setObjectName("addDocument")
        self.show_button = QPushButton("&Anzeigen")
        self.show_button.setObjectName("showDocument")
        self.export_button = QPushButton("Speichern &unter …")
        self.export_button.setObjectName("exportDocument")
        self.open_button = QPushButton("Mit anderem Programm ö&ffnen …")
        self.open_button.setObjectName("openDocumentExternally")
        self.remove_button = QPushButton("&Entfernen …")
        self.remove_button.setObjectName("removeDocument")
        self.remove_button.setToolTip("Ein falsch zugeordnetes oder doppeltes Dokument aus dem "
                                      "Fall nehmen (Entf)")
        self.remove_button.clicked.connect(self.ask_remove)
        self.move_button = QPushButton("&Verschieben …")
        self.move_button.setObjectName("moveDocument")
        self.move_button.setToolTip("Ein Dokument, das zu einem anderen Fall gehört, dorthin "
                                    "verschieben")
        self.move_button.clicked.connect(self.ask_move)
        self.add_button.clicked.connect(self._pick_file)
        self.show_button.clicked.connect(self.show_selected)
        self.export_button.clicked.connect(self._pick_target)
        self.open_button.clicked.connect(self._confirm_open)
        for b in (self.add_button, self.show_button, self.export_button, self.open_button,
                  self.remove_button, self.move_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("documentMessage")
        self.message.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.view)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.message)
        splitter.addWidget(top)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._docs = []
        self._shown = None
        self.model.set_rows([])
        self.viewer.clear()
        self.message.clear()

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda v: case_documents(v, case_id), self._show,
                    self._error)

    def _show(self, docs: CaseDocuments) -> None:
        self.case_uuid = docs.case_uuid
        self._docs = list(docs.documents)
        self.model.set_rows([
            Row((d.filename, KIND_LABELS.get(d.media_type, d.media_type), size_text(d.size),
                 added_text(d.added_at), d.owner_label), d.uuid) for d in self._docs])
        if not self._docs:  # after removing or moving the last one, that result stays readable
            current = self.message.text()
            keep = current and EMPTY not in current and not self.message.styleSheet()
            self._notice(f"{current}\n{EMPTY}" if keep else EMPTY)
        elif self.message.text() == EMPTY:
            self.message.clear()
        self._update_actions()

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _notice(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def selected(self) -> DocumentRow | None:
        rows = self.view.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return next((d for d in self._docs if row and d.uuid == row.key), None)

    def _update_actions(self) -> None:
        chosen = self.selected() is not None
        for b in (self.show_button, self.export_button, self.open_button, self.remove_button,
                  self.move_button):
            b.setEnabled(chosen)
        self.add_button.setEnabled(self.case_uuid is not None)

    # --- add ---------------------------------------------------------------------------------

    def _pick_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Dokument hinzufügen", "",
                                                    DOCUMENT_FILTER)
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Read and store the file on the database thread; it may be up to 50 MB."""
        owner = self.case_uuid
        if owner is None:
            return

        def store(vault: Vault) -> str:
            media_type, content = read_upload(path, DOCUMENT_TYPES)
            return add_attachment(vault, "case_file", owner, path.name, media_type, content)

        def done(_uuid: str) -> None:
            self._notice(f"„{path.name}“ wurde verschlüsselt gespeichert.")

        run_guarded(self, self.ctx, store, done, self._error)

    # --- view --------------------------------------------------------------------------------

    def show_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        run_guarded(self, self.ctx, lambda v: read_attachment(v, chosen.uuid), self._display,
                    self._error)

    def _display(self, loaded: tuple[AttachmentInfo, bytes]) -> None:
        info, content = loaded
        self._shown = info.uuid
        problem = self.viewer.show_document(info.media_type, content)
        if problem:
            self._show_problem(problem)
        else:
            self._notice(f"Angezeigt: {info.filename}")

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    # --- export ------------------------------------------------------------------------------

    def _pick_target(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        suggested = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)) / chosen.filename
        target, _filter = QFileDialog.getSaveFileName(self, "Dokument speichern unter",
                                                      str(suggested))
        if target:
            self.export_to(chosen.uuid, Path(target))

    def export_to(self, uuid: str, target: Path) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda v: export_document(v, case_id, uuid, target),
                    lambda p: self._notice(f"Gespeichert unter {p}"), self._error)

    def _confirm_open(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        answer = QMessageBox.warning(
            self, "Mit anderem Programm öffnen", OPEN_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.open_externally(chosen.uuid)

    def open_externally(self, uuid: str) -> None:
        def opened(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._show_problem("Es ist kein Programm für diesen Dateityp eingerichtet.")

        case_id = self.case_id
        run_guarded(self, self.ctx, lambda v: write_private_copy(v, case_id, uuid), opened,
                    self._error)

    # --- remove ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.view and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self.ask_remove()
            return True
        return super().eventFilter(watched, event)

    def ask_remove(self) -> RemoveDocumentDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        dialog = RemoveDocumentDialog(self, chosen, added_text(chosen.added_at),
                                      lambda reason: self.remove(chosen, reason))
        self.ctx.locked.connect(dialog.reject)  # its question names the document
        dialog.open()
        return dialog

    def remove(self, document: DocumentRow, reason: str) -> None:
        case_id = self.case_id

        def done(_none: None) -> None:
            if self._shown == document.uuid:  # nothing of it stays on screen
                self._shown = None
                self.viewer.clear()
            self._notice(f"„{document.filename}“ wurde aus dem Fall entfernt.")

        run_guarded(self, self.ctx, lambda v: remove_document(v, case_id, document.uuid, reason),
                    done, self._error)

    def ask_move(self) -> MoveDocumentDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        dialog = MoveDocumentDialog(
            self, chosen, lambda number: self.move_to_case(chosen, number, dialog))
        self.ctx.locked.connect(dialog.reject)
        dialog.open()
        return dialog

    def move_to_case(self, document: DocumentRow, number: str,
                     dialog: MoveDocumentDialog) -> None:
        case_id = self.case_id

        def done(target: str) -> None:
            if alive(dialog):
                dialog.accept()
            if self._shown == document.uuid:
                self._shown = None
                self.viewer.clear()
            self._notice(f"„{document.filename}“ liegt jetzt im Fall {target}.")

        def failed(exc: BaseException) -> None:
            if alive(dialog):
                dialog.failed(german_message(exc))

        run_guarded(self, self.ctx, lambda v: move_document(v, case_id, document.uuid, number),
                    done, failed)
