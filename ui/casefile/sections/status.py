"""Section "Aufenthalt": the residence-status timeline and a form to add a new status.

A status whose kind expires (catalogue ``expires``) is saved only with its end date or with
"Ende unbekannt" ticked, so a missing date is a decision, not an oversight. A wrong entry is
corrected ("Korrigieren…": the form turns into the corrected entry plus a required reason; the
old entry stays greyed in the timeline) or, if it should never have been made, removed with a
reason ("Entfernen…").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.date_input import DateInputError
from app.services.residence import read as residence_read
from app.services.residence.records import NewStatus, StatusEntry, StatusView
from app.services.residence.write import add_status, correct_status, remove_status
from ui.casefile._form import (
    FieldErrors,
    count_text,
    date_edit,
    error_label,
    field_row,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._section import DraftState, Section
from ui.casefile._table import table_with_status
from ui.casefile.sections._row_actions import RowActions
from ui.casefile.sections._status_parts import (
    EXPIRY_WARNING_DAYS,
    HEADERS,
    WORK_PERMISSION_LABELS,
    RemovalDialog,
    status_row,
    until_text,
)
from ui.context import AppContext, german_message

__all__ = ["EXPIRY_WARNING_DAYS", "HEADERS", "WORK_PERMISSION_LABELS", "StatusSection",
           "status_row", "until_text"]
NEW_TITLE = "Neuen Aufenthaltsstatus erfassen"


class StatusSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self._entries: dict[str, StatusEntry] = {}
        self._correcting: str | None = None  # uuid of the entry being corrected
        self.status, self.model, self.table = table_with_status(
            self, HEADERS, "Aufenthaltsstatus im Zeitverlauf")
        self.row_actions = RowActions(self.table, self._key_of, "&Korrigieren…", "En&tfernen…",
                                  "status")
        self.row_actions.edit_requested.connect(self.start_correction)
        self.row_actions.delete_requested.connect(self.ask_removal)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, handler in (("Korrigieren…", self.start_correction),
                              ("Entfernen…", self.ask_removal)):
            action = QAction(text, self.table)
            action.triggered.connect(
                lambda _checked=False, h=handler: self._on_selected(h))
            self.table.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.row_actions)
        layout.addWidget(self._build_form())
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.add)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        correct = QShortcut(QKeySequence("F2"), self,
                            lambda: self._on_selected(self.start_correction))
        correct.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _key_of(self, row: int) -> str | None:
        found = self.model.row_at(row)
        return found.key if found is not None else None

    def _on_selected(self, handler: Callable[[str], None]) -> None:
        # The row with the keyboard focus counts as chosen, as the person sees it.
        current = self.table.currentIndex()
        key = self.row_actions.selected_key() or (
            self._key_of(current.row()) if current.isValid() else None)
        if key is not None:
            handler(key)

    def _build_form(self) -> QGroupBox:
        box = QGroupBox(NEW_TITLE)
        self.form_box = box
        form = QFormLayout(box)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.kind = QComboBox()
        for kind in catalogues.status_kinds():
            self.kind.addItem(kind.label, kind.code)
        self.legal_basis = QLineEdit()
        self.valid_from = date_edit(optional=True)
        self.valid_until = date_edit(optional=True)
        self.end_unknown = QCheckBox("Ende &unbekannt")
        self.end_unknown.setToolTip("Das Dokument ist befristet, das Ende ist aber nicht "
                                    "bekannt (dann entsteht keine Wiedervorlage)")
        self.end_unknown.toggled.connect(self._end_unknown_toggled)
        self.work_permission = QComboBox()
        self.work_permission.addItem("keine Angabe", None)
        for code, label in WORK_PERMISSION_LABELS.items():
            self.work_permission.addItem(label, code)
        self.obligation = QLineEdit()
        self.obligation.setPlaceholderText("z. B. Wohnsitzauflage Dortmund")
        self.document_seen = date_edit(optional=True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("z. B. Art vom Dokument falsch abgelesen")
        field_row(form, "&Art:", self.kind, self.errors, "kind")
        field_row(form, "&Rechtsgrundlage:", self.legal_basis, self.errors, "legal_basis")
        field_row(form, "Gültig a&b:", self.valid_from, self.errors, "valid_from")
        field_row(form, "Gültig b&is:", _pair(self.valid_until, self.end_unknown))
        until_error = error_label()
        form.addRow("", until_error)
        self.errors.add("valid_until", until_error, self.valid_until)
        field_row(form, "&Erwerbstätigkeit:", self.work_permission, self.errors,
                  "work_permission")
        field_row(form, "&Wohnsitzauflage:", self.obligation)
        field_row(form, "&Dokument gesehen am:", self.document_seen)
        self.reason_label = field_row(form, "&Grund der Korrektur:", self.reason, self.errors,
                                      "correction_reason")
        self.add_button = QPushButton("Status &hinzufügen")
        self.add_button.setToolTip("Speichern (Strg+S)")
        self.add_button.clicked.connect(self.add)
        self.cancel_button = QPushButton("Abbre&chen")
        self.cancel_button.clicked.connect(self.cancel_correction)
        form.addRow(self.general_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._set_correcting(None)
        return box

    def _kind_changed(self) -> None:
        kind = catalogues.status_kind(str(self.kind.currentData()))
        self.legal_basis.setPlaceholderText(kind.legal_basis)
        index = self.work_permission.findData(kind.default_work_permission)
        self.work_permission.setCurrentIndex(max(index, 0))
        # Only a paper that runs out can have an unknown end.
        self.end_unknown.setVisible(kind.expires)
        if not kind.expires:
            self.end_unknown.setChecked(False)

    def _end_unknown_toggled(self, checked: bool) -> None:
        if checked:
            set_date(self.valid_until, None)
        self.valid_until.setEnabled(not checked)

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: residence_read.statuses(vault, case_id),
                    self._loaded, self._failed)

    def _loaded(self, view: StatusView) -> None:
        # Newest first: the first entry not corrected is the status in force.
        live = [s for s in view.statuses if not s.superseded]
        current = live[0].uuid if live else None
        self._entries = {s.uuid: s for s in view.statuses}
        rows = [status_row(s, view.today, current=s.uuid == current) for s in view.statuses]
        soon = sum(r.highlight for r in rows)
        text = "Noch kein Aufenthaltsstatus erfasst." if not rows else \
            f"{count_text(len(rows))}, der jüngste zuerst."
        if len(live) < len(rows):
            text += " Korrigierte Einträge sind grau und zählen nicht mehr."
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
                         document_seen_on=read_date(self.document_seen),
                         end_unknown=self.end_unknown.isChecked())

    def add(self) -> None:
        """Save the form: a new status, or the correction of the chosen one."""
        self.errors.clear()
        try:
            new, case_id, old = self._new_status(), self.case_id, self._correcting
        except DateInputError as exc:  # a date that cannot be read: nothing is saved
            self.errors.show(exc)
            return
        reason = self.reason.text()
        self.add_button.setEnabled(False)
        if old is None:
            run_guarded(self, self.ctx, lambda vault: add_status(vault, case_id, new),
                        self._added, self._add_failed)
        else:
            run_guarded(self, self.ctx,
                        lambda vault: correct_status(vault, case_id, old, new, reason),
                        self._added, self._add_failed)

    def _added(self, _uuid: str) -> None:
        self.add_button.setEnabled(True)
        corrected = self._correcting is not None
        self._clear_form()
        self.ctx.status_message.emit("Korrektur gespeichert; der alte Eintrag bleibt sichtbar."
                                     if corrected else "Aufenthaltsstatus gespeichert.")

    def _clear_form(self) -> None:
        self._set_correcting(None)
        self.legal_basis.clear()
        self.obligation.clear()
        self.reason.clear()
        self.end_unknown.setChecked(False)
        for edit in (self.valid_from, self.valid_until, self.document_seen):
            set_date(edit, None)

    def _add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        self.errors.show(exc)

    # --- correcting and removing --------------------------------------------------------------

    def _set_correcting(self, uuid: str | None) -> None:
        self._correcting = uuid
        entry = self._entries.get(uuid) if uuid is not None else None
        self.form_box.setTitle(NEW_TITLE if uuid is None else
                               f"Eintrag „{entry.kind_label if entry else ''}“ korrigieren "
                               "(der alte Eintrag bleibt als korrigiert sichtbar)")
        self.add_button.setText("Status &hinzufügen" if uuid is None else "Korrektur &speichern")
        for widget in (self.reason_label, self.reason, self.cancel_button):
            widget.setVisible(uuid is not None)

    def start_correction(self, uuid: str) -> None:
        entry = self._entries.get(uuid)
        if entry is None:
            return
        if entry.superseded:
            self.errors.clear()
            self.general_error.setText("Dieser Eintrag ist schon korrigiert; bitte die "
                                       "Korrektur wählen.")
            self.general_error.show()
            return
        self.errors.clear()
        self._set_correcting(uuid)
        index = self.kind.findData(entry.kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)  # first: a new kind resets the work permission
        self.legal_basis.setText(entry.legal_basis or "")
        set_date(self.valid_from, entry.valid_from)
        self.end_unknown.setChecked(entry.expires and entry.valid_until is None)
        set_date(self.valid_until, entry.valid_until)
        permission = self.work_permission.findData(entry.work_permission)
        self.work_permission.setCurrentIndex(max(permission, 0))
        self.obligation.setText(entry.residence_obligation or "")
        set_date(self.document_seen, entry.document_seen_on)
        self.reason.clear()
        self.kind.setFocus()

    def cancel_correction(self) -> None:
        self.errors.clear()
        self._clear_form()

    def ask_removal(self, uuid: str) -> None:
        entry = self._entries.get(uuid)
        if entry is None:
            return
        case_id = self.case_id

        def remove(reason: str) -> None:
            run_guarded(self, self.ctx,
                        lambda vault: remove_status(vault, case_id, uuid, reason),
                        lambda _none: self.ctx.status_message.emit(
                            "Aufenthaltsstatus entfernt."), self._add_failed)

        self.removal = RemovalDialog(self, entry.kind_label, remove)
        self.removal.open()

    # --- draft --------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return bool(self.legal_basis.text().strip() or self.obligation.text().strip()
                    or read_date(self.valid_from) or read_date(self.valid_until)
                    or self.reason.text().strip())

    def draft_state(self) -> DraftState | None:
        if not self.has_unsaved_changes():
            return None
        new = self._new_status()
        return {"kind": new.kind, "legal_basis": self.legal_basis.text(),
                "valid_from": new.valid_from, "valid_until": new.valid_until,
                "work_permission": new.work_permission,
                "obligation": self.obligation.text(), "document_seen_on": new.document_seen_on,
                "end_unknown": new.end_unknown, "correcting": self._correcting,
                "reason": self.reason.text()}

    def restore_draft(self, state: DraftState) -> None:
        kind = self.kind.findData(state.get("kind"))
        if kind >= 0:
            self.kind.setCurrentIndex(kind)  # first: a new kind resets the work permission
        self.legal_basis.setText(str(state.get("legal_basis") or ""))
        set_date(self.valid_from, state.get("valid_from"))
        self.end_unknown.setChecked(bool(state.get("end_unknown")))
        set_date(self.valid_until, state.get("valid_until"))
        permission = self.work_permission.findData(state.get("work_permission"))
        if permission >= 0:
            self.work_permission.setCurrentIndex(permission)
        self.obligation.setText(str(state.get("obligation") or ""))
        set_date(self.document_seen, state.get("document_seen_on"))
        correcting = state.get("correcting")
        if isinstance(correcting, str):
            self._set_correcting(correcting)
            self.reason.setText(str(state.get("reason") or ""))


def _pair(date_field: QWidget, unknown: QCheckBox) -> QWidget:
    """The end date and its "Ende unbekannt" on one row; the row's label focuses the date."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(date_field)
    row.addSpacing(12)
    row.addWidget(unknown)
    row.addStretch(1)
    holder.setFocusProxy(date_field)
    return holder

