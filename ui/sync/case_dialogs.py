"""From a case file: "Vertretung einrichten …" (a trusted colleague covers the case until a
date; both edit, changes flow both ways) and "Fall übergeben …" (the whole case offered to one
trusted colleague, after a confirmation; this vault keeps a read-only stub once accepted).

Both close when Lotse locks; what was chosen or typed is carried across the lock as the case
file's draft (``draft()`` / ``restore()``, gathered by ``ui.sync.case_line``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.devices.read import devices
from app.services.devices.records import DeviceRow
from app.services.handover.records import GrantRow
from app.services.handover.write import share_case, transfer_case
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.date_field import DateField
from ui.dialogs import confirm
from ui.forms import labelled_row
from ui.sync.labels import municipality

NO_COLLEAGUE_DE = ("Noch keine bestätigte Kollegin und kein bestätigter Kollege. Bestätigen Sie "
                   "zuerst deren Schlüsselkarte: Einstellungen → Austausch.")
CHOOSE_DE = "Bitte wählen Sie eine Kollegin oder einen Kollegen."
GONE_DE = ("Die zuvor gewählte Kollegin oder der zuvor gewählte Kollege wird nicht mehr "
           "angeboten. Bitte wählen Sie erneut.")


def colleagues(rows: list[DeviceRow]) -> list[DeviceRow]:
    """Who can cover or take a case: trusted casework vaults, not this one."""
    return [r for r in rows if not r.own and r.trust == "trusted" and r.role == "casework"]


class PeerChoiceDialog(QDialog):
    done_with = Signal(object)  # the GrantRow made
    kind = ""  # "deputy" or "transfer": which dialog a draft opens again

    def __init__(self, ctx: AppContext, case_uuid: str, case_number: str, title: str,
                 action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_uuid, self.case_number = ctx, case_uuid, case_number
        self.setWindowTitle(title)
        self.errors: dict[str, QLabel] = {}
        self.peers: list[DeviceRow] = []
        self.form = QFormLayout()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.peer = QComboBox()
        self.peer.setObjectName("peerChoice")
        labelled_row(self.form, "&Kollegin / Kollege:", self.peer, self.errors, "fingerprint")
        # The first colleague is preselected: only a person's own choice (``activated``, never
        # emitted for a change made in code) makes the dialog worth a draft.
        self._chose = False
        self._wanted: str | None = None  # a draft's colleague, chosen again once listed
        self.peer.activated.connect(self._picked)
        self.buttons = QDialogButtonBox()
        self.ok: QPushButton = self.buttons.addButton(action,
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("Abbre&chen", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.ok.setDefault(True)
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.resize(560, 0)
        # The main window's Ctrl+L does not reach a dialog: locking must work here too.
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(ctx.lock_requested)
        ctx.locked.connect(self.reject)  # nothing about a person stays on screen
        run_guarded(self, ctx, devices, self._loaded, self._failed)

    def _loaded(self, rows: list[DeviceRow]) -> None:
        self.peers = colleagues(rows)
        self.peer.clear()
        for r in self.peers:
            self.peer.addItem(f"{r.holder_name} ({municipality(r.municipality)})", r.fingerprint)
        if not self.peers:
            self._error(NO_COLLEAGUE_DE)
        self.ok.setEnabled(bool(self.peers))
        self.peer.setFocus()
        if self._wanted is not None:
            self._choose(self._wanted)

    def _picked(self, _index: int) -> None:
        self._chose = True

    def _choose(self, fingerprint: str) -> None:
        self._wanted = None
        index = self.peer.findData(fingerprint)
        if index < 0:  # no longer trusted or gone: the person chooses again
            self._error(GONE_DE)
            return
        self.peer.setCurrentIndex(index)
        self._chose = True

    def _error(self, text: str, key: str = "fingerprint") -> None:
        self.errors[key].setText(text)
        self.errors[key].show()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(bool(self.peers))
        self._error(german_message(exc))

    def chosen(self) -> str | None:
        data = self.peer.currentData()
        return str(data) if data else None

    def submit(self) -> None:
        raise NotImplementedError

    # --- typed input across a lock ----------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._chose or self._typed()

    def _typed(self) -> bool:
        return False

    def draft(self) -> dict[str, object]:
        """What was chosen and typed, JSON-safe; sealed with the other drafts at lock."""
        return {"kind": self.kind, "peer": self.chosen() if self._chose else None,
                **self._inputs()}

    def _inputs(self) -> dict[str, object]:
        return {}

    def restore(self, state: Mapping[str, object]) -> None:
        """Put a draft back (after unlocking); the colleague once the list has loaded."""
        peer = state.get("peer")
        if isinstance(peer, str):
            if self.peers:
                self._choose(peer)
            else:
                self._wanted = peer
        self._restore_inputs(state)

    def _restore_inputs(self, state: Mapping[str, object]) -> None:
        pass

    def _done(self, grant: GrantRow) -> None:
        self.done_with.emit(grant)
        self.accept()


class DeputyDialog(PeerChoiceDialog):
    kind = "deputy"

    def __init__(self, ctx: AppContext, case_uuid: str, case_number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_uuid, case_number, "Vertretung einrichten",
                         "&Vertretung einrichten", parent)
        self.intro.setText(f"Fall {case_number}: Die Kollegin oder der Kollege sieht und "
                           "bearbeitet den Fall während Ihrer Abwesenheit. Änderungen beider "
                           "Seiten gleichen sich bei jedem Abgleich ab.")
        self.until = DateField(optional=True)
        self.until.setObjectName("deputyUntil")
        labelled_row(self.form, "&bis einschließlich:", self.until, self.errors, "until")

    def _typed(self) -> bool:
        return bool(self.until.text().strip())

    def _inputs(self) -> dict[str, object]:
        return {"until": self.until.text()}  # as typed, a half-typed date too

    def _restore_inputs(self, state: Mapping[str, object]) -> None:
        until = state.get("until")
        if isinstance(until, str):
            self.until.setText(until)

    def submit(self) -> None:
        for label in self.errors.values():
            label.hide()
        fingerprint = self.chosen()
        if fingerprint is None:
            self._error(CHOOSE_DE)
            return
        try:
            until: date | None = self.until.value()
        except ValidationFailed:  # a date that cannot be read: said at the field already
            self.until.setFocus()
            return
        case_uuid = self.case_uuid
        self.ok.setEnabled(False)

        def work(vault: Vault) -> GrantRow:
            return share_case(vault, case_uuid, fingerprint, until)

        run_guarded(self, self.ctx, work, self._done, self._failed)


class TransferDialog(PeerChoiceDialog):
    kind = "transfer"

    def __init__(self, ctx: AppContext, case_uuid: str, case_number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_uuid, case_number, "Fall übergeben", "Fall &übergeben …",
                         parent)
        self.intro.setText(f"Fall {case_number} geht ganz (mit Dokumenten) an eine Kollegin "
                           "oder einen Kollegen, die oder der ihn annimmt oder ablehnt. Nach "
                           "der Annahme bleibt hier nur ein geschlossener, nur lesbarer Stand.")
        self.note = QPlainTextEdit()
        self.note.setObjectName("transferNote")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        labelled_row(self.form, "&Notiz:", self.note, self.errors, "note")

    def _typed(self) -> bool:
        return bool(self.note.toPlainText().strip())

    def _inputs(self) -> dict[str, object]:
        return {"note": self.note.toPlainText()}

    def _restore_inputs(self, state: Mapping[str, object]) -> None:
        note = state.get("note")
        if isinstance(note, str):
            self.note.setPlainText(note)

    def submit(self) -> None:
        for label in self.errors.values():
            label.hide()
        fingerprint = self.chosen()
        if fingerprint is None:
            self._error(CHOOSE_DE)
            return
        name = self.peer.currentText()
        note = self.note.toPlainText().strip()
        confirm(self, "Fall übergeben",
                f"Fall {self.case_number} an {name} übergeben? Nimmt sie oder er an, können "
                "Sie den Fall hier nur noch lesen.", "Fall &übergeben",
                lambda: self._transfer(fingerprint, note))

    def _transfer(self, fingerprint: str, note: str) -> None:
        case_uuid = self.case_uuid
        self.ok.setEnabled(False)

        def work(vault: Vault) -> GrantRow:
            return transfer_case(vault, case_uuid, fingerprint, note)

        run_guarded(self, self.ctx, work, self._done, self._failed)


def open_dialog(dialog: PeerChoiceDialog) -> PeerChoiceDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
