"""Einwilligungen: the consent matrix (institutions × data categories), recording, withdrawing
and attaching the signed form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.date_input import DateInputError
from app.errors import ValidationFailed
from app.services.consent.read import consent_matrix, disclosure_log
from app.services.consent.records import (
    EXPIRED,
    NOT_YET,
    VALID,
    WITHDRAWN,
    Cell,
    ConsentMatrix,
    ConsentRow,
    DisclosureLogRow,
)
from app.services.consent.write import attach_consent_form, record_consent, withdraw_consent
from app.services.directory.read import institutions
from app.vault.store import Vault
from ui.casefile._form import (
    ERROR_STYLE,
    date_edit,
    fmt_date,
    read_date,
    run_guarded,
)
from ui.casefile._section import Section
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._consent_form import ConsentForm
from ui.casefile.sections._disclosure_log import DisclosureLog
from ui.casefile.sections._files import SCAN_FILTER, SCAN_TYPES, read_upload
from ui.casefile.sections._fit import DATE_SAMPLE, fit_columns, with_tooltips
from ui.context import AppContext, german_message

STATUS_LABELS = {VALID: "gültig", NOT_YET: "noch nicht gültig", EXPIRED: "abgelaufen",
                 WITHDRAWN: "widerrufen"}
LIST_HEADERS = ("Institution", "Datenkategorien", "Zweck", "Erteilt am", "Gültig bis",
                "Widerrufen am", "Formular", "Stand")
# Shares of the width: the categories are a comma list, the dates need "31.12.2026".
LIST_WEIGHTS = (16, 30, 18, 4, 4, 4, 2, 4)


def cell_text(cell: Cell) -> str:
    """What a matrix cell says, in words as well as signs (colour alone is not enough)."""
    if cell.status == VALID:
        return f"✓ bis {fmt_date(cell.valid_until)}" if cell.valid_until else "✓ unbefristet"
    if cell.status == EXPIRED:
        return f"abgelaufen am {fmt_date(cell.valid_until)}"
    if cell.status == WITHDRAWN:
        return f"widerrufen am {fmt_date(cell.withdrawn_on)}"
    if cell.status == NOT_YET:
        return f"gilt ab {fmt_date(cell.given_on)}"
    return "–"


# Colour only repeats what the words say (valid / expired / withdrawn), for scanning rows.
CELL_COLOURS = {VALID: "#dff3dc", NOT_YET: "#fdf3d0", EXPIRED: "#f1e4e4", WITHDRAWN: "#f1e4e4"}


def _fit_matrix(view: QTableView) -> None:
    """Nine categories side by side: narrow columns with wrapped headers instead of scrolling."""
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter
                               | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value))
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultSectionSize(112)
    for column in range(1, header.count()):
        header.resizeSection(column, 112)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    view.setMinimumHeight(190)
    header.setMinimumHeight(header.fontMetrics().height() * 3 + 8)


def _details(c: ConsentRow) -> str:
    language = catalogues.language_label(c.info_sheet_language or "") or "keine Angabe"
    parts = [f"Informationsblatt: {language}",
             "Dolmetscher:in anwesend" if c.interpreter_present else "ohne Dolmetschung"]
    return "; ".join(parts)


@dataclass(frozen=True)
class _Loaded:
    matrix: ConsentMatrix
    institutions: list[tuple[str, str, str | None]]
    disclosures: list[DisclosureLogRow]


class ConsentsSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("consentsSection")
        self._extra: list[str] = []
        self._consents: list[ConsentRow] = []
        self._matrix: ConsentMatrix | None = None
        categories = [(c.code, c.label) for c in catalogues.data_categories()]
        self.matrix_model = RowsModel(["Institution", *(label for _, label in categories)])
        self.matrix_view = make_table("Einwilligungsmatrix", self.matrix_model)
        self.matrix_view.setObjectName("consentMatrix")
        _fit_matrix(self.matrix_view)
        self.list_model = RowsModel(LIST_HEADERS)
        self.list_view = make_table("Erfasste Einwilligungen", self.list_model, stretch=1)
        self.list_view.setObjectName("consentList")
        fit_columns(self.list_view, LIST_WEIGHTS, {3: DATE_SAMPLE, 4: "unbefristet",
                                                   5: DATE_SAMPLE})
        self.disclosure_log = DisclosureLog()
        self.form = ConsentForm(categories)
        self._build(self.form)
        self.form.save_requested.connect(self.save_consent)
        self.list_view.selectionModel().selectionChanged.connect(self._update_actions)
        # The case-file window reloads the visible section when a committed change touches its
        # case (and after unlocking): the context reports every write, nobody announces it.
        ctx.locked.connect(self.clear)
        self._update_actions()

    def _build(self, form: ConsentForm) -> None:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        title = QLabel("<h2>Einwilligungen</h2>")
        layout.addWidget(title)
        matrix_label = QLabel("&Matrix (Institutionen × Datenkategorien, Stand heute):")
        matrix_label.setBuddy(self.matrix_view)
        layout.addWidget(matrix_label)
        layout.addWidget(self.matrix_view)
        add_row = QHBoxLayout()
        self.add_institution = QComboBox()
        self.add_institution.setObjectName("addInstitution")
        add_label = QLabel("Weitere Instit&ution in der Matrix:")
        add_label.setBuddy(self.add_institution)
        self.add_button = QPushButton("&Zeile hinzufügen")
        self.add_button.clicked.connect(self._add_row)
        add_row.addWidget(add_label)
        add_row.addWidget(self.add_institution, 1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        list_label = QLabel("Er&fasste Einwilligungen:")
        list_label.setBuddy(self.list_view)
        layout.addWidget(list_label)
        layout.addWidget(self.list_view)
        actions = QHBoxLayout()
        self.withdraw_on = date_edit()
        withdraw_label = QLabel("Widerrufen a&m:")
        withdraw_label.setBuddy(self.withdraw_on)
        self.withdraw_button = QPushButton("&Widerrufen …")
        self.withdraw_button.setObjectName("withdrawConsent")
        self.withdraw_button.clicked.connect(self._confirm_withdraw)
        self.attach_button = QPushButton("Unterschriebenes Formular an&hängen …")
        self.attach_button.setObjectName("attachConsentForm")
        self.attach_button.clicked.connect(self._pick_form)
        for w in (withdraw_label, self.withdraw_on, self.withdraw_button, self.attach_button):
            actions.addWidget(w)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addWidget(self.disclosure_log)
        self.message = QLabel()
        self.message.setObjectName("consentMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(form)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- loading -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._consents = []
        self.matrix_model.set_rows([])
        self.list_model.set_rows([])
        self.disclosure_log.clear()
        self.message.clear()

    def refresh(self) -> None:
        case_id, extra = self.case_id, list(self._extra)

        def load(vault: Vault) -> _Loaded:
            warnings = {k.code: k.disclosure_warning for k in catalogues.institution_kinds()}
            return _Loaded(consent_matrix(vault, case_id, extra),
                           [(i.uuid, f"{i.name} ({i.kind_label})", warnings.get(i.kind))
                            for i in institutions(vault)],
                           disclosure_log(vault, case_id))

        run_guarded(self, self.ctx, load, self._show, self._show_error)

    def _show(self, loaded: _Loaded) -> None:
        self._matrix = loaded.matrix
        self._consents = list(loaded.matrix.consents)
        self.matrix_model.set_rows([
            Row((r.institution_name, *(cell_text(c) for c in r.cells)), r.institution_uuid,
                tooltips=("" if not r.disclosure_warning else r.disclosure_warning,
                          *(f"Zweck: {c.purpose}" if c.purpose else "" for c in r.cells)),
                backgrounds=(None, *(CELL_COLOURS.get(c.status) for c in r.cells)))
            for r in loaded.matrix.rows])
        self.list_model.set_rows([with_tooltips(
            Row((c.institution_name, ", ".join(c.category_labels), c.purpose,
                 fmt_date(c.given_on), fmt_date(c.valid_until) or "unbefristet",
                 fmt_date(c.withdrawn_on), "ja" if c.has_form else "fehlt",
                 STATUS_LABELS.get(c.status, c.status)), c.uuid,
                foreground=None if c.status == VALID else "#666666",
                tooltips=("", "", f"{c.purpose}\n{_details(c)}")))
            for c in self._consents])
        self.disclosure_log.show_rows(loaded.disclosures)
        self.form.set_institutions(loaded.institutions)
        current = self.add_institution.currentData()
        self.add_institution.clear()
        for uuid, name, _warning in loaded.institutions:
            self.add_institution.addItem(name, uuid)
        self.add_institution.setCurrentIndex(max(self.add_institution.findData(current), 0))
        self._update_actions()

    def _show_error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _notice(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    # --- actions -----------------------------------------------------------------------------

    def selected_consent(self) -> ConsentRow | None:
        rows = self.list_view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.list_model.row_at(rows[0].row())
        return next((c for c in self._consents if row and c.uuid == row.key), None)

    def _update_actions(self) -> None:
        chosen = self.selected_consent()
        self.withdraw_button.setEnabled(chosen is not None and chosen.withdrawn_on is None)
        self.attach_button.setEnabled(chosen is not None)

    def _add_row(self) -> None:
        uuid = self.add_institution.currentData()
        if uuid and uuid not in self._extra:
            self._extra.append(uuid)
            self.refresh()

    def save_consent(self) -> None:
        try:
            new = self.form.value()
        except DateInputError as exc:  # a date that cannot be read: nothing is saved
            self.form.errors.show(exc)
            return
        if not new.institution_uuid:
            self.form.errors.show(ValidationFailed("Bitte die Institution wählen.",
                                                   "no institution", field="institution"))
            return
        self.form.errors.clear()
        self.form.save.setEnabled(False)
        warning = self.form.warning_for(new.institution_uuid)

        def saved(_uuid: str) -> None:
            self.form.save.setEnabled(True)
            self.form.reset()
            text = "Die Einwilligung wurde gespeichert."
            self._notice(f"{text} {warning}" if warning else text)

        def failed(exc: BaseException) -> None:
            self.form.save.setEnabled(True)
            self.form.errors.show(exc)

        run_guarded(self, self.ctx, lambda v: record_consent(v, self.case_id, new), saved, failed)

    def _confirm_withdraw(self) -> None:
        chosen = self.selected_consent()
        try:
            on = read_date(self.withdraw_on)
        except DateInputError:  # shown at the date field
            return
        if chosen is None or on is None:
            return
        answer = QMessageBox.question(
            self, "Einwilligung widerrufen",
            f"Die Einwilligung gegenüber „{chosen.institution_name}“ (Zweck: {chosen.purpose}) "
            f"wird zum {fmt_date(on)} als widerrufen eingetragen. Ab diesem Tag dürfen keine "
            "Daten mehr auf ihrer Grundlage weitergegeben werden.\n\nWiderruf eintragen?")
        if answer == QMessageBox.StandardButton.Yes:
            self.withdraw(chosen.uuid, on)

    def withdraw(self, consent_uuid: str, on: date) -> None:
        def done(_none: None) -> None:
            self._notice(f"Der Widerruf zum {fmt_date(on)} wurde eingetragen.")

        run_guarded(self, self.ctx, lambda v: withdraw_consent(v, consent_uuid, on), done,
                    self._show_error)

    def _pick_form(self) -> None:
        chosen = self.selected_consent()
        if chosen is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, "Unterschriebenes Formular anhängen", "", SCAN_FILTER)
        if path:
            self.attach_form(chosen.uuid, Path(path))

    def attach_form(self, consent_uuid: str, path: Path) -> None:
        """Read the file on the database thread (it may be large) and store it encrypted."""
        def store(vault: Vault) -> str:
            media_type, content = read_upload(path, SCAN_TYPES)
            return attach_consent_form(vault, consent_uuid, path.name, media_type, content)

        def done(_uuid: str) -> None:
            self._notice("Das Formular wurde verschlüsselt gespeichert.")

        run_guarded(self, self.ctx, store, done, self._show_error)

    # --- drafts ------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.form.is_dirty()

    def draft_state(self) -> dict[str, object] | None:
        return self.form.state() if self.form.is_dirty() else None

    def restore_draft(self, state: dict[str, object]) -> None:
        self.form.restore(state)
