"""The sync state line of a case file: with whom the case is shared, its open conflicts (a link
to the Konflikte tab, filtered to the case), unsent changes, and for a handed-over case the
read-only stub with its reason; plus "Vertretung einrichten …" and "Fall übergeben …".

Which sections hold records with an open conflict is told to the case file
(``conflicts_loaded``), which marks them in its section list; which single records hold one or
wait to be sent (``marks_loaded``), which the case file marks in their rows.

An open "Vertretung einrichten" / "Fall übergeben" dialog with something chosen or typed is
part of the case file's draft (``draft_state``): the lock closes it, unlocking opens it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.faults import domain_error
from app.services.cases.read import rows_by_id
from app.services.conflicts.read import conflicts
from app.services.conflicts.records import ConflictRow
from app.services.handover.read import case_sync
from app.services.handover.records import CaseSyncState, GrantRow, RecordMarks
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext
from ui.sync.case_dialogs import DeputyDialog, PeerChoiceDialog, TransferDialog, open_dialog

LINK_STYLE = "color: #0b5cad; text-decoration: underline; text-align: left; padding: 0 4px;"
UNREADABLE_DE = "Der Stand des Abgleichs ließ sich nicht lesen."
READ_ONLY_STYLE = "color: #a4262c; font-weight: 600;"
DRAFT_DROPPED_DE = ("Ihre Eingaben zu Vertretung oder Übergabe ließen sich nicht wieder öffnen: "
                    "Der Fall kann hier nicht mehr geteilt oder übergeben werden.")


@dataclass(frozen=True)
class CaseSync:
    uuid: str
    case_number: str
    state: CaseSyncState
    conflicts: list[ConflictRow]
    marks: RecordMarks


COVERED_DE = ("Diesen Fall vertreten Sie nur; teilen oder übergeben kann ihn die "
              "zuständige Fallmanagerin oder der zuständige Fallmanager.")


def load_case_sync(vault: Vault, case_id: int) -> CaseSync:
    row = rows_by_id(vault, [case_id])[0]
    state, marks = case_sync(vault, row.uuid)
    return CaseSync(row.uuid, row.case_number, state,
                    [c for c in conflicts(vault, case_uuid=row.uuid) if c.resolved_at is None],
                    marks)


def line_text(state: CaseSyncState) -> str:
    parts = [state.label_de]
    if state.unsent_changes:
        parts.append("Änderungen noch nicht gesendet")
    return " · ".join(parts)


def conflicts_text(count: int) -> str:
    word = "offener Konflikt" if count == 1 else "offene Konflikte"
    return f"{count} {word} – im Abgleich lösen"


class CaseSyncLine(QWidget):
    conflicts_loaded = Signal(object)  # list[ConflictRow], open ones of this case
    marks_loaded = Signal(object)  # RecordMarks: the sync state of the case's single records
    read_only_changed = Signal(bool)

    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__()
        self.ctx, self.case_id = ctx, case_id
        self.setObjectName("caseSyncLine")
        self.data: CaseSync | None = None
        self.dialog: PeerChoiceDialog | None = None
        self._pending: dict[str, object] | None = None  # a dialog's draft, reopened once loaded
        self.label = QLabel("Abgleich: …")
        self.label.setObjectName("caseSyncState")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # one line: the link follows it
        # A button that looks like a link: reached by Tab and pressed by Space like any other.
        self.conflicts_link = QPushButton()
        self.conflicts_link.setObjectName("caseConflictsLink")
        self.conflicts_link.setFlat(True)
        self.conflicts_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts_link.setStyleSheet(LINK_STYLE)
        self.conflicts_link.setToolTip("Im Abgleich (Strg+8) öffnen, nur die Konflikte dieses "
                                       "Falls")
        self.conflicts_link.clicked.connect(self.show_conflicts)
        self.conflicts_link.hide()
        self.read_only = QLabel()
        self.read_only.setObjectName("caseReadOnly")
        self.read_only.setWordWrap(True)
        self.read_only.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only.setStyleSheet(READ_ONLY_STYLE)
        self.read_only.hide()
        # No mnemonics: Alt+letters belong to the sections of the case file.
        self.deputy_button = QPushButton("Vertretung einrichten …")
        self.deputy_button.setObjectName("deputyButton")
        self.deputy_button.clicked.connect(self.ask_deputy)
        self.transfer_button = QPushButton("Fall übergeben …")
        self.transfer_button.setObjectName("transferButton")
        self.transfer_button.clicked.connect(self.ask_transfer)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.conflicts_link)
        self._spacer = row.count()
        row.addStretch(1)
        row.addWidget(self.read_only, 1)
        self.row = row
        row.addWidget(self.deputy_button)
        row.addWidget(self.transfer_button)
        self._enable()

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: load_case_sync(vault, case_id), self._loaded,
                    self._failed)

    def _loaded(self, data: CaseSync) -> None:
        self.data = data
        state = data.state
        self.label.setText("Abgleich: " + line_text(state))
        self.conflicts_link.setText(conflicts_text(state.open_conflicts))
        self.conflicts_link.setVisible(state.open_conflicts > 0)
        self.conflicts_link.setToolTip("\n".join(
            f"Konflikt: {c.record_label} – {c.field_label} – im Abgleich lösen"
            for c in data.conflicts))
        self.read_only.setText(state.read_only_reason_de or "Nur lesbar.")
        self.read_only.setVisible(state.read_only)
        # A stub's buttons can never be used: the reason takes their place, on one line at
        # 1280 px rather than four lines that would push the window past the screen.
        self.row.setStretch(self._spacer, 0 if state.read_only else 1)
        self.deputy_button.setHidden(state.read_only)
        self.transfer_button.setHidden(state.read_only)
        self.label.setHidden(state.read_only)  # the reason says the same, and why
        self._enable()
        self.conflicts_loaded.emit(data.conflicts)
        self.marks_loaded.emit(data.marks)
        self.read_only_changed.emit(state.read_only)
        if self._pending is not None:
            self._reopen(self._pending)

    def _failed(self, exc: BaseException) -> None:
        # A read that failed: its own words, not the general "nothing was saved".
        known = domain_error(exc)
        self.label.setText("Abgleich: " + (known.message_de if known is not None
                                           else UNREADABLE_DE))
        self.conflicts_link.hide()
        self._enable()

    def _enable(self) -> None:
        usable = self.data is not None and not self.data.state.read_only
        # A case covered here as a deputy belongs to the colleague: only its owner shares or
        # hands it over (the service refuses it too; the buttons say so before a click).
        covered = self.data is not None and any(
            g.direction == "in" and g.kind == "deputy" and g.state == "active"
            for g in self.data.state.grants)
        for button in (self.deputy_button, self.transfer_button):
            button.setEnabled(usable and not covered)
            button.setToolTip(COVERED_DE if covered else "")

    def show_conflicts(self) -> None:
        if self.data is not None:
            self.ctx.sync_conflicts_requested.emit(self.data.uuid)

    def ask_deputy(self) -> None:
        if self.data is not None:
            self._open(DeputyDialog(self.ctx, self.data.uuid, self.data.case_number, self))

    def ask_transfer(self) -> None:
        if self.data is not None:
            self._open(TransferDialog(self.ctx, self.data.uuid, self.data.case_number, self))

    def _open(self, dialog: PeerChoiceDialog) -> None:
        self.dialog = dialog
        dialog.done_with.connect(self._granted)
        dialog.finished.connect(self._closed)  # deleted on close: never asked again
        open_dialog(dialog)

    def _closed(self, _result: int) -> None:
        self.dialog = None

    # --- typed input across a lock ----------------------------------------------------------

    def draft_state(self) -> dict[str, object] | None:
        """The open dialog's choice and input, JSON-safe; None when nothing was touched."""
        d = self.dialog
        return d.draft() if d is not None and d.isVisible() and d.is_dirty() else None

    def restore_draft(self, state: Mapping[str, object]) -> None:
        """Open the dialog again with the draft, once the case's sync state is read (the
        dialog needs its uuid and number, and a stub offers neither)."""
        self._pending = dict(state)
        if self.data is not None:
            self._reopen(self._pending)

    def _reopen(self, state: dict[str, object]) -> None:
        self._pending = None
        button = {DeputyDialog.kind: self.deputy_button,
                  TransferDialog.kind: self.transfer_button}.get(str(state.get("kind")))
        if button is None:
            return
        if not button.isEnabled():  # handed over or covered meanwhile: say so, never silently
            self.ctx.status_message.emit(DRAFT_DROPPED_DE)
            return
        button.click()
        if self.dialog is not None:
            self.dialog.restore(state)

    def _granted(self, grant: GrantRow) -> None:
        self.ctx.status_message.emit(
            f"Vertretung für Fall {grant.case_number} mit {grant.peer_name} eingerichtet; der "
            "Fall geht mit dem nächsten Abgleich hinaus." if grant.kind == "deputy" else
            f"Fall {grant.case_number} ist {grant.peer_name} angeboten; die Antwort kommt mit "
            "einem der nächsten Abgleiche.")
        self.refresh()
