"""Einstellungen: "Datenschlüssel erneuern" re-encrypts the vault under a new data key, after a
confirmation, off the GUI thread, with progress and Abbrechen (honoured until the new key file
is written). What passphrase change and key renewal each protect against is said in both boxes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton

from app.errors import Cancelled, ValidationFailed
from app.progress import ProgressFn
from app.services.account.write import NOT_RENEWED_DE, REOPEN_DE, KeyChange, renew_data_key
from app.vault.memory import wipe_str
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import labelled_row
from ui.secret_field import take_secret
from ui.settings.progress_row import ProgressRow

CHANGE_EXPLAINED_DE = (
    "Schützt davor, dass jemand Ihre bisherige Passphrase erfährt und erst danach die "
    "Schlüsseldatei kopiert. Der Datenschlüssel bleibt gleich: Eine früher kopierte "
    "Schlüsseldatei (jede Sicherung enthält eine) öffnet den Tresor mit der alten Passphrase "
    "weiterhin. Dagegen hilft „Datenschlüssel erneuern“. Dauert wenige Sekunden.")
RENEWAL_EXPLAINED_DE = (
    "Verschlüsselt alle Daten mit einem neuen Datenschlüssel. Danach öffnet keine früher "
    "kopierte Schlüsseldatei den Tresor mehr, auch nicht mit der alten Passphrase. Könnte "
    "jemand Ihre Passphrase kennen: erst die Passphrase ändern, dann den Datenschlüssel "
    "erneuern. Ältere Sicherungen bleiben mit ihrer damaligen Passphrase lesbar; löschen Sie "
    "sie, wenn sie nicht mehr sicher sind.")
CONFIRM_DE = (
    "Alle Daten des Tresors werden jetzt mit einem neuen Schlüssel neu verschlüsselt. Bei "
    "vielen Fällen kann das einige Minuten dauern; so lange ist der Tresor nicht nutzbar. "
    "Frühere Schlüsseldateien öffnen ihn danach nicht mehr.")
RENEWED_DE = ("Der Datenschlüssel wurde erneuert. Früher kopierte Schlüsseldateien öffnen den "
              "Tresor nicht mehr; Ihre Passphrase bleibt dieselbe.")


class KeyRenewalBox(QGroupBox):
    def __init__(self, ctx: AppContext, errors: dict[str, QLabel]) -> None:
        super().__init__("Datenschlüssel erneuern")
        self.ctx = ctx
        form = QFormLayout(self)
        self.explanation = QLabel(RENEWAL_EXPLAINED_DE)
        self.explanation.setWordWrap(True)
        form.addRow(self.explanation)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self._typed = ""  # the passphrase of a renewal while it runs
        self.error = labelled_row(form, "Passphrase zur Bestäti&gung:", self.passphrase, errors,
                                  "rekey")
        self.button = QPushButton("Datenschlüssel e&rneuern …")
        self.button.clicked.connect(self.ask)
        self.progress = ProgressRow("Fortschritt der Schlüsselerneuerung",
                                    "Schlüsselerneuerung abbrechen")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress.cancel_requested.connect(
            lambda: self.message.setText("Wird abgebrochen …"))
        form.addRow(self.button, self.progress)
        form.addRow(self.message)
        # Locking waits for database work: stop ours rather than finish it under a closing key.
        ctx.locked.connect(self.progress.cancel)

    def ask(self) -> None:
        self.error.hide()
        # Started once the question has closed, so "Abbrechen" can take the keyboard focus.
        confirm(self, "Datenschlüssel erneuern", CONFIRM_DE, "&Erneuern",
                lambda: QTimer.singleShot(0, self.start))

    def start(self) -> None:
        # Out of the field (its Qt buffer overwritten); wiped once the renewal is over.
        passphrase = self._typed = take_secret(self.passphrase)
        session = self.ctx.session  # the worker's closure must not hold this widget
        self.button.setEnabled(False)
        self.message.setText("Der Tresor wird neu verschlüsselt …")
        stop = self.progress.start()

        def work(_vault: Vault, progress: ProgressFn) -> KeyChange:
            return renew_data_key(session, passphrase, progress, cancelled=stop.is_set)

        self.ctx.run_progress(work, self._renewed, self._failed, self.progress.report)

    def _forget_typed(self) -> None:
        typed, self._typed = self._typed, ""
        wipe_str(typed)

    def _renewed(self, change: KeyChange) -> None:
        late = self.progress.cancelled
        self._forget_typed()
        self.button.setEnabled(True)
        self.progress.finish(self.button)
        notes = [change.note_de()] if not change.audited else []
        if change.vault is None:  # the renewed vault could not be opened at once
            notes.append(REOPEN_DE)
        self.message.setText(" ".join([("Das Abbrechen kam zu spät. " if late else "")
                                       + RENEWED_DE, *notes]))

    def _failed(self, exc: BaseException) -> None:
        self._forget_typed()  # a second try is typed again (a wrong one is no use back)
        self.button.setEnabled(True)
        self.progress.finish(self.button)
        if isinstance(exc, Cancelled):
            self.message.setText(NOT_RENEWED_DE)
        elif isinstance(exc, ValidationFailed) and exc.field == "rekey":
            self.message.setText("")
            self.error.setText(exc.message_de)
            self.error.show()
        else:
            self.message.setText(german_message(exc))
