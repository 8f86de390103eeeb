"""Bescheinigungen: the case's certificates from the register, and issuing a new one.

A certificate is issued in its own dialog (``ui.certificates.issue_dialog``); preview, print
and "Als PDF speichern" are the shared output view (``ui.certificates.output``). A
Zweitschrift is counted and sealed by the register, then shown in the same view. A revocation
is final and needs a reason.

The dialogs are imported as modules, not names: the issue dialog uses the case file's consent
form, whose package imports this section (a cycle module references resolve at call time).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.services.certificates.read import certificate_register, document_of
from app.services.certificates.records import (
    CertificateDocument,
    CertificateRow,
    IssuedCertificate,
    RegisterFilter,
)
from app.services.certificates.write import reprint_certificate
from ui.casefile._form import ERROR_STYLE, fmt_date, run_guarded
from ui.casefile._section import DraftState, Section
from ui.casefile._table import Row, RowsModel, make_table
from ui.certificates import issue_dialog, revoke_dialog
from ui.certificates.output import CertificateOutput, show_certificate
from ui.context import AppContext, german_message

HEADERS = ("Nummer", "Bescheinigung", "Ausgestellt am", "An", "Zweitschriften", "Stand")
REVOKED_COLOUR = "#6b6b6b"


def state_text(row: CertificateRow) -> str:
    return f"widerrufen am {fmt_date(row.revoked_on)}" if row.revoked_on else "gültig"


class CertificatesSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("certificatesSection")
        self._items: list[CertificateRow] = []
        self.issue_dialog: issue_dialog.IssueDialog | None = None
        self.revoke_dialog: revoke_dialog.RevokeDialog | None = None
        self.output: CertificateOutput | None = None
        self.model = RowsModel(HEADERS)
        self.view = make_table("Bescheinigungen", self.model, stretch=1)
        self.view.setObjectName("certificateList")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Bescheinigungen</h2>"))
        label = QLabel("Ausgestellte &Bescheinigungen dieses Falls:")
        label.setBuddy(self.view)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.issue_button = QPushButton("Bescheinigung &ausstellen …")
        self.issue_button.setObjectName("issueCertificateButton")
        self.issue_button.setToolTip("Teilnahme- oder Beratungsbescheinigung aus einer Vorlage "
                                     "ausstellen")
        self.issue_button.clicked.connect(self.open_issue)
        self.preview_button = QPushButton("&Vorschau")
        self.preview_button.setObjectName("previewCertificate")
        self.preview_button.setToolTip("Die Bescheinigung wie ausgestellt ansehen, drucken oder "
                                       "als PDF speichern (Eingabetaste)")
        self.preview_button.clicked.connect(self.preview_selected)
        self.reprint_button = QPushButton("&Zweitschrift drucken …")
        self.reprint_button.setObjectName("reprintCertificate")
        self.reprint_button.setToolTip("Eine als Zweitschrift gekennzeichnete Ausfertigung "
                                       "erstellen; sie wird im Register gezählt")
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.revoke_button = QPushButton("&Widerrufen …")
        self.revoke_button.setObjectName("revokeCertificate")
        self.revoke_button.setToolTip("Die Bescheinigung endgültig widerrufen (mit Grund)")
        self.revoke_button.clicked.connect(self.revoke_selected)
        for button in (self.issue_button, self.preview_button, self.reprint_button,
                       self.revoke_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("certificatesMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        hint = QLabel("Jede Bescheinigung trägt ein Siegel (QR-Code) und einen Prüfcode; "
                      "Arbeitgeber, Schulen und Behörden können sie damit ohne Rückfrage prüfen.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._build_keys()
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        ctx.locked.connect(self.clear)
        self._update_actions()

    def _build_keys(self) -> None:
        """Enter previews the selected certificate; the context menu offers every action."""
        self.preview_action = QAction("Vorschau", self.view)
        self.reprint_action = QAction("Zweitschrift drucken …", self.view)
        self.revoke_action = QAction("Widerrufen …", self.view)
        self.preview_action.triggered.connect(self.preview_selected)
        self.reprint_action.triggered.connect(self.reprint_selected)
        self.revoke_action.triggered.connect(self.revoke_selected)
        for action in (self.preview_action, self.reprint_action, self.revoke_action):
            self.view.addAction(action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.activated.connect(self._activated)  # Enter, double-click
        self.view.selectionModel().currentRowChanged.connect(self._follow_current)

    def _activated(self, _index: QModelIndex) -> None:
        self.preview_selected()

    def _follow_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self.view.selectionModel().isRowSelected(current.row()):
            self.view.selectRow(current.row())

    # --- loading ------------------------------------------------------------------------------

    def clear(self) -> None:
        """At lock: no certificate stays in memory or on screen."""
        self._items = []
        self.model.set_rows([])
        self.message.clear()
        self._update_actions()

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx,
                    lambda v: certificate_register(v, RegisterFilter(case_ref=case_id)),
                    self._show, self._error)

    def _show(self, rows: list[CertificateRow]) -> None:
        chosen = self.selected()
        keep = chosen.serial if chosen is not None else None
        self._items = sorted(rows, key=lambda r: (r.issued_on, r.serial), reverse=True)
        self.model.set_rows([
            Row((r.serial, r.title, fmt_date(r.issued_on), r.recipient, str(r.copies),
                 state_text(r)), r.serial, record=r.uuid,
                foreground=REVOKED_COLOUR if r.revoked_on else None,
                tooltip=(f"Widerrufen: {r.revoke_reason}" if r.revoked_on and r.revoke_reason
                         else f"Prüfcode {r.check_code}"))
            for r in self._items])
        for i, r in enumerate(self._items):
            if r.serial == keep:
                self.view.selectRow(i)
        self._update_actions()

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _notice(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def selected(self) -> CertificateRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def select_serial(self, serial: str) -> None:
        for i, r in enumerate(self._items):
            if r.serial == serial:
                self.view.selectRow(i)

    def _update_actions(self) -> None:
        chosen = self.selected()
        for control in (self.preview_button, self.preview_action):
            control.setEnabled(chosen is not None)
        valid = chosen is not None and chosen.revoked_on is None
        for control in (self.reprint_button, self.reprint_action, self.revoke_button,
                        self.revoke_action):
            control.setEnabled(valid)

    # --- issuing ------------------------------------------------------------------------------

    def open_issue(self) -> None:
        self.issue_dialog = issue_dialog.IssueDialog(self.ctx, self.case_id,
                                                     self._case_number(), self)
        self.issue_dialog.issued.connect(self._issued)
        self.issue_dialog.open()

    # --- typed input across a lock -----------------------------------------------------------

    def _typing(self) -> issue_dialog.IssueDialog | None:
        d = self.issue_dialog
        return d if d is not None and d.isVisible() and d.is_dirty() else None

    def has_unsaved_changes(self) -> bool:
        return self._typing() is not None

    def draft_state(self) -> DraftState | None:
        """The open issue dialog's input: the lock closes the dialog (nothing about a person
        stays on screen), the draft brings it back after unlocking."""
        d = self._typing()
        return {"issue": d.draft()} if d is not None else None

    def restore_draft(self, state: DraftState) -> None:
        draft = state.get("issue")
        if isinstance(draft, dict):
            self.open_issue()
            if self.issue_dialog is not None:
                self.issue_dialog.restore(draft)

    def _case_number(self) -> str:
        """The case file's header (loaded by the window) names the case in the title."""
        parent = self.parentWidget()
        while parent is not None:
            header = getattr(parent, "header_data", None)
            if header is not None:
                return str(getattr(header, "case_number", ""))
            parent = parent.parentWidget()
        return ""

    def _issued(self, result: IssuedCertificate) -> None:
        """The dialog has opened the preview; the list shows the new certificate."""
        self._notice(f"Bescheinigung {result.serial} wurde ausgestellt.")
        self.output = self.issue_dialog.output if self.issue_dialog is not None else None
        # The list reloads with the case file: the window hears of the committed change.

    # --- output -------------------------------------------------------------------------------

    def _open_output(self, document: CertificateDocument, serial: str,
                     revoked_on: date | None = None) -> None:
        self.output = show_certificate(self.ctx, self, document, serial, revoked_on)

    def preview_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        serial, revoked_on = chosen.serial, chosen.revoked_on
        run_guarded(self, self.ctx, lambda v: document_of(v, serial),
                    lambda doc: self._open_output(doc, serial, revoked_on), self._error)

    def reprint_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.revoked_on is not None:
            return
        serial = chosen.serial

        def done(doc: CertificateDocument) -> None:
            self._notice(f"Zweitschrift {doc.copy} von {serial} wurde erstellt.")
            self._open_output(doc, serial)

        run_guarded(self, self.ctx, lambda v: reprint_certificate(v, serial), done,
                    self._error)

    # --- revoking -----------------------------------------------------------------------------

    def revoke_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.revoked_on is not None:
            return
        self.revoke_dialog = revoke_dialog.RevokeDialog(self.ctx, chosen.serial,
                                                        chosen.title, self)
        self.revoke_dialog.revoked.connect(self._revoked)
        self.revoke_dialog.open()

    def _revoked(self, serial: str) -> None:
        self._notice(f"Bescheinigung {serial} wurde widerrufen.")
        self.view.setFocus()
