"""Section "Aufenthalt": the residence-status timeline and a form to add a new status."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app import catalogues
from app.date_input import DateInputError
from app.services.residence import read as residence_read
from app.services.residence.records import NewStatus, StatusEntry, StatusView
from app.services.residence.write import add_status
from ui.casefile._form import (
    FieldErrors,
    count_text,
    date_edit,
    error_label,
    field_row,
    fmt_date,
    left_aligned,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._section import DraftState, Section
from ui.casefile._table import Row, table_with_status
from ui.context import AppContext, german_message

HEADERS = ("Art", "Rechtsgrundlage", "Gültig ab", "Gültig bis", "Erwerbstätigkeit",
           "Wohnsitzauflage", "Gesehen am")
WORK_PERMISSION_LABELS = {
    "allowed": "erlaubt",
    "with_consent": "mit Zustimmung der Ausländerbehörde",
    "forbidden": "nicht erlaubt",
}
EXPIRY_WARNING_DAYS = 90


def until_text(valid_until: date | None, today: date) -> tuple[str, bool]:
    """The "valid until" cell and whether it needs attention (expired or within 90 days)."""
    if valid_until is None:
        return "unbefristet / unbekannt", False
    days = (valid_until - today).days
    if days < 0:
        return f"{fmt_date(valid_until)} (abgelaufen)", True
    if days <= EXPIRY_WARNING_DAYS:
        return f"{fmt_date(valid_until)} (läuft in {days} Tagen ab)", True
    return fmt_date(valid_until), False


def status_row(entry: StatusEntry, today: date, current: bool = True) -> Row:
    """One timeline row; only the current status is marked (superseded ones need no action)."""
    until, attention = until_text(entry.valid_until, today)
    attention = attention and current
    cells = (entry.kind_label, entry.legal_basis or "", fmt_date(entry.valid_from), until,
             WORK_PERMISSION_LABELS.get(entry.work_permission or "", "keine Angabe"),
             entry.residence_obligation or "", fmt_date(entry.document_seen_on))
    # Narrow columns elide; the tooltip carries every cell in full.
    tooltip = "\n".join(f"{h}: {c}" for h, c in zip(HEADERS, cells, strict=True) if c)
    return Row(cells, highlight=attention, tooltip=tooltip, key=entry.uuid)


class StatusSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.status, self.model, self.table = table_with_status(
            self, HEADERS, "Aufenthaltsstatus im Zeitverlauf")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._build_form())

    def _build_form(self) -> QGroupBox:
        box = QGroupBox("Neuen Aufenthaltsstatus erfassen")
        form = QFormLayout(box)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.kind = QComboBox()
        for kind in catalogues.status_kinds():
            self.kind.addItem(kind.label, kind.code)
        self.legal_basis = QLineEdit()
        self.valid_from = date_edit(optional=True)
        self.valid_until = date_edit(optional=True)
        self.work_permission = QComboBox()
        self.work_permission.addItem("keine Angabe", None)
        for code, label in WORK_PERMISSION_LABELS.items():
            self.work_permission.addItem(label, code)
        self.obligation = QLineEdit()
        self.obligation.setPlaceholderText("z. B. Wohnsitzauflage Dortmund")
        self.document_seen = date_edit(optional=True)
        field_row(form, "&Art:", self.kind, self.errors, "kind")
        field_row(form, "&Rechtsgrundlage:", self.legal_basis, self.errors, "legal_basis")
        field_row(form, "Gültig a&b:", self.valid_from, self.errors, "valid_from")
        field_row(form, "Gültig b&is:", self.valid_until, self.errors, "valid_until")
        field_row(form, "&Erwerbstätigkeit:", self.work_permission, self.errors,
                  "work_permission")
        field_row(form, "&Wohnsitzauflage:", self.obligation)
        field_row(form, "&Dokument gesehen am:", self.document_seen)
        self.add_button = QPushButton("Status &hinzufügen")
        self.add_button.clicked.connect(self.add)
        form.addRow(self.general_error)
        form.addRow("", left_aligned(self.add_button))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        return box

    def _kind_changed(self) -> None:
        kind = catalogues.status_kind(str(self.kind.currentData()))
        self.legal_basis.setPlaceholderText(kind.legal_basis)
        index = self.work_permission.findData(kind.default_work_permission)
        self.work_permission.setCurrentIndex(max(index, 0))

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: residence_read.statuses(vault, case_id),
                    self._loaded, self._failed)

    def _loaded(self, view: StatusView) -> None:
        # Newest first: the first row is the status in force, older ones are superseded.
        rows = [status_row(s, view.today, current=i == 0) for i, s in enumerate(view.statuses)]
        soon = sum(r.highlight for r in rows)
        text = "Noch kein Aufenthaltsstatus erfasst." if not rows else \
            f"{count_text(len(rows))}, der jüngste zuerst."
        if soon:
            text += " Der aktuelle Status ist abgelaufen oder läuft in den nächsten 90 Tagen ab " \
                "(markiert)."
        self.status.setText(text)
        self.model.set_rows(rows)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(german_message(exc))

    def _new_status(self) -> NewStatus:
        return NewStatus(kind=str(self.kind.currentData()), valid_from=read_date(self.valid_from),
                         valid_until=read_date(self.valid_until),
                         legal_basis=self.legal_basis.text().strip() or None,
                         work_permission=self.work_permission.currentData(),
                         residence_obligation=self.obligation.text().strip() or None,
                         document_seen_on=read_date(self.document_seen))

    def add(self) -> None:
        self.errors.clear()
        try:
            new, case_id = self._new_status(), self.case_id
        except DateInputError as exc:  # a date that cannot be read: nothing is saved
            self.errors.show(exc)
            return
        self.add_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: add_status(vault, case_id, new), self._added,
                    self._add_failed)

    def _added(self, _uuid: str) -> None:
        self.add_button.setEnabled(True)
        self.legal_basis.clear()
        self.obligation.clear()
        for edit in (self.valid_from, self.valid_until, self.document_seen):
            set_date(edit, None)
        self.ctx.status_message.emit("Aufenthaltsstatus gespeichert.")

    def _add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        self.errors.show(exc)

    def has_unsaved_changes(self) -> bool:
        return bool(self.legal_basis.text().strip() or self.obligation.text().strip()
                    or read_date(self.valid_from) or read_date(self.valid_until))

    def draft_state(self) -> DraftState | None:
        if not self.has_unsaved_changes():
            return None
        new = self._new_status()
        return {"kind": new.kind, "legal_basis": self.legal_basis.text(),
                "valid_from": new.valid_from, "valid_until": new.valid_until,
                "work_permission": new.work_permission,
                "obligation": self.obligation.text(), "document_seen_on": new.document_seen_on}

    def restore_draft(self, state: DraftState) -> None:
        kind = self.kind.findData(state.get("kind"))
        if kind >= 0:
            self.kind.setCurrentIndex(kind)  # first: a new kind resets the work permission
        self.legal_basis.setText(str(state.get("legal_basis") or ""))
        set_date(self.valid_from, state.get("valid_from"))
        set_date(self.valid_until, state.get("valid_until"))
        permission = self.work_permission.findData(state.get("work_permission"))
        if permission >= 0:
            self.work_permission.setCurrentIndex(permission)
        self.obligation.setText(str(state.get("obligation") or ""))
        set_date(self.document_seen, state.get("document_seen_on"))
