"""The tab "Register" of the page "Bescheinigungen": every certificate with its state, filtered
by kind, state and date and searched in serial, check code and name; the selected one can be
opened (its case file), previewed, reprinted as a Zweitschrift or revoked."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.errors import ValidationFailed
from app.services.cases.read import header
from app.services.certificates.read import certificate_register, document_of
from app.services.certificates.records import (
    KIND_LABELS,
    CertificateDocument,
    CertificateRow,
    RegisterFilter,
)
from app.services.certificates.write import reprint_certificate
from app.services.templates.read import templates
from app.services.templates.records import Template
from ui.casefile._form import date_edit, fmt_date, read_date, run_guarded
from ui.casefile._table import Row, RowsModel, table_view
from ui.certificates.revoke_dialog import RevokeDialog
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import with_clear_button

HEADERS = ["Nummer", "Art", "Inhaber:in", "ausgestellt am", "von", "an", "Zweitschriften",
           "Stand", "Prüfnummer"]
STATES: tuple[tuple[str, str | None], ...] = (
    ("gültig", "valid"), ("widerrufen", "revoked"), ("alle", None))
REVOKED_COLOUR = "#a4262c"  # the text "widerrufen am …" carries the meaning, the colour helps


def state_text(row: CertificateRow) -> str:
    return f"widerrufen am {fmt_date(row.revoked_on)}" if row.revoked_on else "gültig"


def copies_text(row: CertificateRow) -> str:
    if not row.copies:
        return "–"
    return f"{row.copies} (zuletzt {fmt_date(row.last_copy_on)})" if row.last_copy_on \
        else str(row.copies)


def row_of(c: CertificateRow) -> Row:
    state = state_text(c)
    reason = f"Grund: {c.revoke_reason}" if c.revoke_reason else ""
    return Row((c.serial, c.kind_label, c.holder, fmt_date(c.issued_on), c.issued_by or "",
                c.recipient, copies_text(c), state, c.check_code), c.serial,
               foreground=REVOKED_COLOUR if c.revoked_on else None,
               tooltips=("", c.title, c.holder, "", "", c.recipient, "", reason, ""))


class RegisterTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("certificateRegister")
        self.rows: list[CertificateRow] = []

        self.kind = QComboBox()
        self.kind.setObjectName("certificateKindFilter")
        self.kind.addItem("alle", None)
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        kind_label = QLabel("&Art:")
        kind_label.setBuddy(self.kind)
        self.state = QComboBox()
        self.state.setObjectName("certificateStateFilter")
        for state_name, state_code in STATES:
            self.state.addItem(state_name, state_code)
        self.state.setCurrentIndex(len(STATES) - 1)  # "alle": a revoked one is found too
        state_label = QLabel("S&tand:")
        state_label.setBuddy(self.state)
        self.date_from = date_edit(optional=True)
        self.date_from.setObjectName("certificatesFrom")
        from_label = QLabel("&von:")
        from_label.setBuddy(self.date_from)
        self.date_until = date_edit(optional=True)
        self.date_until.setObjectName("certificatesUntil")
        until_label = QLabel("b&is:")
        until_label.setBuddy(self.date_until)
        self.search = QLineEdit()
        self.search.setObjectName("certificateSearch")
        self.search.setPlaceholderText("Nummer, Prüfnummer oder Name")
        self.search.setToolTip("Suche in Nummer, Prüfnummer und Name (Strg+F)")
        with_clear_button(self.search)
        search_label = QLabel("S&uchen:")
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        filters = QHBoxLayout()  # a row of its own: at 150 % they do not fit beside the search
        for widget in (kind_label, self.kind, state_label, self.state, from_label,
                       self.date_from, until_label, self.date_until):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = RowsModel(HEADERS, self)
        self.table = table_view(self.model, "Bescheinigungen")
        self.table.setObjectName("certificateTable")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)  # Enter and double-click
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        table_label = QLabel("Be&scheinigungen (Enter öffnet die Fallakte):")
        table_label.setBuddy(self.table)

        self.open_button = QPushButton("Ö&ffnen")
        self.open_button.setToolTip("Die Fallakte der Person öffnen (Enter)")
        self.preview_button = QPushButton("Vorsc&hau")
        self.preview_button.setToolTip("Die Bescheinigung ansehen, wie sie ausgestellt wurde")
        self.reprint_button = QPushButton("&Zweitschrift drucken …")
        self.revoke_button = QPushButton("&Widerrufen …")
        self.verify_button = QPushButton("Bescheinigung &prüfen …")
        self.verify_button.setToolTip("Eine Bescheinigung als PDF, Scan oder Prüfnummer prüfen "
                                      "(Strg+Umschalt+P)")
        self.message = QLabel()
        self.message.setObjectName("registerMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.preview_button, self.reprint_button,
                       self.revoke_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.verify_button)  # about any certificate, not the selected one

        column = QVBoxLayout(self)
        column.addLayout(search_row)
        column.addLayout(filters)
        column.addWidget(table_label)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.setFocusProxy(self.search)
        order = (self.search, self.kind, self.state, self.date_from, self.date_until,
                 self.table, self.open_button)
        for before, after in itertools.pairwise(order):
            self.setTabOrder(before, after)

        self.open_button.clicked.connect(self.open_selected)
        self.preview_button.clicked.connect(self.preview_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.verify_button.clicked.connect(self.verify)
        self.kind.currentIndexChanged.connect(self._filter_changed)
        self.state.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(self._search_entered)
        for field in (self.date_from, self.date_until):
            field.editingFinished.connect(self.refresh)
        # Bound methods only: a lambda holding this tab would keep it alive after the lock.
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self._update_buttons()
        # Kinds a template brings (the defaults' "Vorsprache", a municipality's own) join the
        # three fixed ones in the filter.
        run_guarded(self, ctx, lambda vault: templates(vault, include_inactive=True),
                    self._add_kinds, self._failed)
        self.refresh()

    # --- the list ----------------------------------------------------------------------------

    def _filter(self) -> RegisterFilter | None:
        try:
            since, until = read_date(self.date_from), read_date(self.date_until)
        except ValidationFailed:  # a half-typed date: the field says so, the list stays
            return None
        return RegisterFilter(text=self.search.text().strip(), kind=self.kind.currentData(),
                              state=self.state.currentData(), date_from=since,
                              date_until=until)

    def _add_kinds(self, found: list[Template]) -> None:
        for t in found:
            if self.kind.findData(t.kind) < 0:
                self.kind.addItem(t.title, t.kind)

    def _filter_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        flt = self._filter()
        if flt is None:
            return
        run_guarded(self, self.ctx, lambda vault: certificate_register(vault, flt), self._show,
                    self._failed)

    def _show(self, rows: list[CertificateRow]) -> None:
        current = self.current_serial()
        self.rows = rows
        self.model.set_rows([row_of(r) for r in rows])
        self.message.setText("Keine Bescheinigung gefunden." if not rows else
                             "1 Bescheinigung" if len(rows) == 1 else
                             f"{len(rows)} Bescheinigungen")
        keys = [r.serial for r in rows]
        at = keys.index(current) if current in keys else 0 if keys else -1
        if at >= 0:
            self.table.selectRow(at)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.CERTIFICATE, Kind.PERSON, Kind.CASE, Kind.STAFF):
            self.refresh()

    def _search_entered(self) -> None:
        """Enter in the search: into the hits (the first one selected)."""
        if self.rows:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        """At lock: nothing personal stays on screen."""
        self.rows = []
        self.model.set_rows([])

    # --- the selected certificate ------------------------------------------------------------

    def current(self) -> CertificateRow | None:
        row = self.table.currentIndex().row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def current_serial(self) -> str | None:
        row = self.current()
        return row.serial if row is not None else None

    def _update_buttons(self) -> None:
        row = self.current()
        self.open_button.setEnabled(row is not None and row.case_uuid is not None)
        self.preview_button.setEnabled(row is not None)
        self.reprint_button.setEnabled(row is not None and row.revoked_on is None)
        self.revoke_button.setEnabled(row is not None and row.revoked_on is None)

    def _row_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.rows):
            self.open_selected()

    def open_selected(self) -> None:
        row = self.current()
        if row is None or row.case_uuid is None:
            if row is not None:
                self.message.setText("Dieses Zertifikat gehört zu keiner Fallakte; "
                                     "„Vorschau“ zeigt es.")
            return
        case_uuid = row.case_uuid
        run_guarded(self, self.ctx, lambda vault: header(vault, case_uuid).id,
                    self._open_case, self._failed)

    def _open_case(self, case_id: int) -> None:
        self.ctx.case_open_requested.emit(case_id, "certificates")

    def preview_selected(self) -> None:
        row = self.current()
        if row is None:
            return
        serial = row.serial
        run_guarded(self, self.ctx, lambda vault: document_of(vault, serial),
                    self._show_document, self._failed)

    def reprint_selected(self) -> None:
        row = self.current()
        if row is None or row.revoked_on is not None:
            return
        serial = row.serial
        confirm(self, "Zweitschrift drucken",
                f"Eine Zweitschrift von {serial} ausstellen? Sie trägt dieselbe Nummer, ist als "
                "„Zweitschrift“ gekennzeichnet und wird im Register gezählt.",
                "&Zweitschrift ausstellen", lambda: self._reprint(serial))

    def _reprint(self, serial: str) -> None:
        run_guarded(self, self.ctx, lambda vault: reprint_certificate(vault, serial),
                    self._show_document, self._failed)

    def _show_document(self, document: CertificateDocument) -> None:
        from ui.certificates.output import show_certificate

        show_certificate(self.ctx, self, document, document.serial)

    def revoke_selected(self) -> None:
        row = self.current()
        if row is None or row.revoked_on is not None:
            return
        # The same dialog as in the case file: reason, and "endgültig" ticked.
        dialog = RevokeDialog(self.ctx, row.serial, row.kind_label, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.revoked.connect(self._revoked)
        dialog.open()

    def _revoked(self, serial: str) -> None:
        self.message.setText(f"{serial} ist widerrufen.")
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def verify(self) -> None:
        from ui.certificates.verify_dialog import open_verify_dialog

        open_verify_dialog(self.ctx, self.window())
