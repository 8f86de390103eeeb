"""Einwilligungen: the consent gate as a matrix, case × participating institution.

Each cell says "abgedeckt" or which categories are missing; the full explanation of
``may_disclose`` is in the cell's tooltip and, for the selected cell, in a read-only text below
that the keyboard reaches. A case no institution is covered for is marked in its first column:
it cannot be discussed. From a cell, the case file's own consent form (or the legal-basis form)
opens in a dialog, prefilled with the institution, the missing categories and the purpose
"Fallkonferenz"; what is recorded there is audited by its service, then the matrix reloads."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.conferences.read import consent_gate
from app.services.conferences.records import CONFERENCE_PURPOSE, ConsentGate, GateCell
from app.services.consent.records import CONFIDED
from app.services.consent.write import record_consent, record_legal_basis
from app.services.directory.read import institutions
from app.vault.store import Vault
from ui.casefile._form import read_date, run_guarded
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._consent_form import ConsentForm
from ui.casefile.sections._referral_gate import LegalBasisForm
from ui.context import AppContext, german_message

COVERED, MISSING = "#dff0d8", "#f8d7da"
BLOCKED = "kann nicht besprochen werden"


def header_text(name: str, kind_label: str, width: int = 26) -> str:
    """An institution's column header: its name in lines of about ``width`` characters (at
    most three, the rest elided), then its kind in parentheses."""
    lines = textwrap.wrap(name, width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width, placeholder=" …")]
    kind = textwrap.shorten(f"({kind_label})", width + 6, placeholder=" …)")
    return "\n".join([*lines, kind])


def cell_text(cell: GateCell | None, labels: dict[str, str]) -> str:
    if cell is None:
        return ""
    if cell.covered:
        return "abgedeckt" + (" (Hinweis beachten)" if cell.warnings else "")
    return "fehlt: " + ", ".join(labels.get(c, c) for c in cell.missing)


def explanation(cell: GateCell, labels: dict[str, str]) -> str:
    """One line per refused category, named: ``may_disclose``'s reason alone does not say
    which category it is about."""
    return "\n".join(f"{labels.get(code, code)}: {d.reason_de}"
                     for code, d in cell.decisions if not d.allowed)


def count_text(missing: int) -> str:
    return ("Für 1 Kombination aus Fall und Institution fehlt" if missing == 1 else
            f"Für {missing} Kombinationen aus Fall und Institution fehlt") + \
        " eine Einwilligung oder Rechtsgrundlage"


class GateTab(QWidget):
    recorded = Signal()  # a consent or legal basis was saved: others may reload too

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.uuid: str | None = None
        self.gate: ConsentGate | None = None
        self.locked = False
        self.labels = {c.code: c.label for c in catalogues.data_categories()}
        self.dialog: RecordDialog | None = None

        self.summary = QLabel("Noch nicht gespeichert: die Prüfung folgt nach dem Speichern.")
        self.summary.setObjectName("gateSummary")
        self.summary.setWordWrap(True)
        self.model = RowsModel(["Fall"], self)
        self.table = make_table("consentGate", self.model)
        self.table.setAccessibleName("Einwilligungen: Fall mal Institution")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table_label = QLabel("&Abdeckung je Fall und Institution:")
        table_label.setBuddy(self.table)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("gateDetail")
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("Was fehlt")
        self.detail.setMaximumHeight(110)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail_label = QLabel("&Was fehlt (gewählte Zelle):")
        detail_label.setBuddy(self.detail)
        self.consent_button = QPushButton("Einwilligung &erfassen…")
        self.consent_button.setObjectName("gateRecordConsent")
        self.basis_button = QPushButton("Rechtsgrundlage &dokumentieren…")
        self.basis_button.setObjectName("gateRecordBasis")
        buttons = QHBoxLayout()
        buttons.addWidget(self.consent_button)
        buttons.addWidget(self.basis_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(table_label)
        column.addWidget(self.table, 1)
        column.addWidget(detail_label)
        column.addWidget(self.detail)
        column.addLayout(buttons)
        self.table.selectionModel().currentChanged.connect(lambda _c, _p: self._selected())
        self.consent_button.clicked.connect(lambda: self._record(consent=True))
        self.basis_button.clicked.connect(lambda: self._record(consent=False))
        self._selected()

    def refresh(self) -> None:
        uuid = self.uuid
        if uuid is None:
            return
        run_guarded(self, self.ctx, lambda vault: consent_gate(vault, uuid), self.show_gate,
                    lambda exc: self.summary.setText(german_message(exc)))

    def show_gate(self, gate: ConsentGate) -> None:
        current = self.table.currentIndex()
        self.gate = gate
        # Institution names run to 80 characters: wrapped headers keep every column narrow
        # enough that a 1280-pixel screen shows several institutions side by side.
        self.model.set_headers(["Fall", *(header_text(i.name, i.kind_label)
                                          for i in gate.institutions)])
        rows = []
        for case in gate.cases:
            ok = gate.discussable(case.case_id)
            cells = [gate.cell(case.case_id, i.uuid) for i in gate.institutions]
            label = f"{case.case_number} · {case.client}"
            rows.append(Row(
                (label if ok else f"{label} – {BLOCKED}",
                 *(cell_text(c, self.labels) for c in cells)),
                str(case.case_id), foreground=None if ok else "#a40000",
                tooltips=("" if ok else "Keine teilnehmende Institution ist für diesen Fall "
                          "abgedeckt: er kann nicht besprochen werden.",
                          *((explanation(c, self.labels) or "Alle Datenkategorien abgedeckt.")
                            if c else "" for c in cells)),
                backgrounds=(None, *((COVERED if c.covered else MISSING) if c else None
                                     for c in cells))))
        self.model.set_rows(rows)
        blocked = [c for c in gate.cases if not gate.discussable(c.case_id)]
        missing = sum(1 for c in gate.cells if not c.covered)
        self.summary.setText(
            "Noch kein Fall auf der Tagesordnung oder keine Institution unter den "
            "Teilnehmenden." if not gate.cells else
            "Alle Fälle sind für alle Institutionen abgedeckt." if not missing else
            count_text(missing) + "; "
            + ("1 Fall kann nicht besprochen werden." if len(blocked) == 1 else
               f"{len(blocked)} Fälle können nicht besprochen werden." if blocked else
               "jeder Fall kann mit mindestens einer Institution besprochen werden."))
        row = current.row() if current.isValid() else 0
        column = current.column() if current.isValid() else 1
        if rows:
            self.table.setCurrentIndex(self.model.index(min(row, len(rows) - 1),
                                                        min(max(column, 1),
                                                            self.model.columnCount() - 1)))
        self._selected()

    def current_cell(self) -> GateCell | None:
        index = self.table.currentIndex()
        gate = self.gate
        if gate is None or not index.isValid() or index.column() < 1:
            return None
        if index.row() >= len(gate.cases) or index.column() > len(gate.institutions):
            return None
        return gate.cell(gate.cases[index.row()].case_id,
                         gate.institutions[index.column() - 1].uuid)

    def _selected(self) -> None:
        cell = self.current_cell()
        gate = self.gate
        text = ""
        if cell is not None and gate is not None:
            case = next(c for c in gate.cases if c.case_id == cell.case_id)
            place = next(i for i in gate.institutions if i.uuid == cell.institution_uuid)
            head = f"{case.case_number} · {place.name}: "
            text = head + ("abgedeckt." if cell.covered else "nicht abgedeckt.\n"
                           + explanation(cell, self.labels))
            if cell.warnings:
                text += "\nHinweis vor der Weitergabe: " + " ".join(cell.warnings)
        self.detail.setPlainText(text)
        open_cell = cell is not None and not cell.covered and not self.locked
        self.consent_button.setEnabled(open_cell)
        self.basis_button.setEnabled(open_cell and cell is not None
                                     and any(c != CONFIDED for c in cell.missing))

    def _record(self, consent: bool) -> None:
        cell = self.current_cell()
        if cell is None or cell.covered:
            return
        heading = self.detail.toPlainText().split("\n", 1)[0].split(":", 1)[0]
        self.dialog = RecordDialog(self.ctx, cell, consent, heading, self)
        self.dialog.saved.connect(self._recorded)
        self.dialog.open()

    def _recorded(self) -> None:
        self.recorded.emit()  # the window reloads the matrix with the conference
        self.table.setFocus()


class RecordDialog(QDialog):
    """The case file's consent form or legal-basis form, for one cell of the matrix."""

    saved = Signal()

    def __init__(self, ctx: AppContext, cell: GateCell, consent: bool, heading: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.cell = ctx, cell
        self.codes = [c for c in cell.missing if consent or c != CONFIDED]
        self.setWindowTitle("Einwilligung erfassen" if consent else
                            "Rechtsgrundlage dokumentieren")
        column = QVBoxLayout(self)
        title = QLabel(heading)
        title.setStyleSheet("font-weight: 600;")
        title.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(title)
        why = QLabel(explanation(cell, {c.code: c.label for c in catalogues.data_categories()}))
        why.setWordWrap(True)
        column.addWidget(why)
        self.consent: ConsentForm | None = None
        self.basis: LegalBasisForm | None = None
        if consent:
            self.consent = ConsentForm([(c.code, c.label) for c in catalogues.data_categories()],
                                       "Einwilligung (wie auf dem unterschriebenen Blatt)")
            self.consent.save_requested.connect(self._save_consent)
            self.consent.restore({"institution": cell.institution_uuid,
                                  "purpose": CONFERENCE_PURPOSE, "categories": self.codes})
            column.addWidget(self.consent)
            run_guarded(self, ctx, _institutions, self.consent.set_institutions)
            self.consent.given_on.setFocus()
        else:
            self.basis = LegalBasisForm()
            self.basis.setTitle("Rechtsgrundlage statt Einwilligung")
            self.basis.save.setText("Rechtsgrundlage &speichern")
            self.basis.save_requested.connect(self._save_basis)
            labels = {c.code: c.label for c in catalogues.data_categories()}
            self.basis.covers.setText("Gilt für: " + ", ".join(labels.get(c, c)
                                                                for c in self.codes))
            column.addWidget(self.basis)
            self.basis.basis.setFocus()
        cancel = QPushButton("Abbrechen")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        column.addLayout(row)
        self.resize(640, 560 if consent else 300)

    def _save_consent(self) -> None:
        form = self.consent
        assert form is not None
        try:
            new = form.value()
        except ValidationFailed as exc:
            form.errors.show(exc)
            return
        if not new.institution_uuid:
            form.errors.show(ValidationFailed("Bitte die Institution wählen.",
                                              "no institution", field="institution"))
            return
        case_id = self.cell.case_id
        form.save.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: record_consent(vault, case_id, new),
                    self._done, lambda exc: self._failed(form.errors.show, exc))

    def _save_basis(self) -> None:
        form = self.basis
        assert form is not None
        basis, reason = form.basis.text(), form.reason.text()
        try:
            until = read_date(form.valid_until)
        except ValidationFailed as exc:
            form.errors.show(exc)
            return
        case_id, institution, codes = self.cell.case_id, self.cell.institution_uuid, self.codes

        def store(vault: Vault) -> list[str]:
            today = vault.clock.today()
            return [record_legal_basis(vault, case_id, institution, code, basis, reason, today,
                                       until) for code in codes]

        form.save.setEnabled(False)
        run_guarded(self, self.ctx, store, self._done,
                    lambda exc: self._failed(form.errors.show, exc))

    def _failed(self, show: object, exc: BaseException) -> None:
        for form in (self.consent, self.basis):
            if form is not None:
                form.save.setEnabled(True)
        if callable(show):
            show(exc)

    def _done(self, _result: object) -> None:
        self.saved.emit()
        self.accept()


def _institutions(vault: Vault) -> list[tuple[str, str, str | None]]:
    warnings = {k.code: k.disclosure_warning for k in catalogues.institution_kinds()}
    return [(i.uuid, f"{i.name} ({i.kind_label})", warnings.get(i.kind))
            for i in institutions(vault)]
