"""Einstellungen → "Sicherung wiederherstellen": a backup replaces the open vault.

The backup is chosen (its folder, or its manifest.json), opened with the passphrase that was
valid when it was written, and the replacement is confirmed by typing a word. The restore runs
off the GUI thread with a progress row and Abbrechen; it verifies everything into a new folder
beside the vault (``app.restore_in_place``), so a forged or damaged backup is refused with the
German reason and the vault is left byte for byte as it was. Only a verified backup replaces
it: the window locks, the folders are swapped, and the unlock page asks for the backup's
passphrase.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.backup_format import MANIFEST
from app.errors import Cancelled, LotseError
from app.restore_in_place import discard_replacement, prepare_replacement, swap_in
from app.vault.memory import wipe_str
from ui.context import AppContext, german_message
from ui.forms import labelled_row
from ui.secret_field import take_secret
from ui.settings.progress_row import ProgressRow

if TYPE_CHECKING:
    from app.progress import ProgressFn
    from app.vault.store import Vault
    from ui.main_window import MainWindow

CONFIRM_WORD = "ERSETZEN"
EXPLAINED_DE = (
    "Eine Sicherung ersetzt den geöffneten Tresor vollständig: alles, was seit der Sicherung "
    "erfasst wurde, ist danach nicht mehr im Tresor. Der bisherige Tresor wird nicht gelöscht, "
    "sondern daneben aufbewahrt. Die Sicherung wird vorher vollständig geprüft; eine "
    "beschädigte oder veränderte Sicherung wird abgelehnt und ändert nichts. Danach wird "
    "Lotse gesperrt: Entsperren Sie mit der Passphrase, die beim Sichern galt.")
REPLACED_DE = ("Die Sicherung wurde wiederhergestellt. Bitte entsperren Sie mit der Passphrase, "
               "die beim Sichern galt. Der bisherige Tresor liegt unter: {old}")


def backup_folder(chosen: str) -> Path:
    """The backup folder for what was chosen: the folder itself or its manifest.json."""
    path = Path(chosen.strip()).expanduser()
    return path.parent if path.name == MANIFEST else path


class RestoreBox(QGroupBox):
    restore_prepared = Signal(object, object)  # vault folder, verified restored folder

    def __init__(self, ctx: AppContext, errors: dict[str, QLabel]) -> None:
        super().__init__("Sicherung wiederherstellen")
        self.ctx = ctx
        self.setObjectName("restoreBox")
        form = QFormLayout(self)
        explanation = QLabel(EXPLAINED_DE)
        explanation.setWordWrap(True)
        form.addRow(explanation)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Ordner der Sicherung oder ihre Datei manifest.json")
        self.browse = QPushButton("Aus&wählen …")
        self.browse.clicked.connect(self._browse)
        chooser = QWidget()
        row = QHBoxLayout(chooser)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        chooser.setFocusProxy(self.path)
        self.path_error = labelled_row(form, "Sicherun&g:", chooser, errors, "restore_path")
        # The label names the text field itself (not only its holder), for screen readers.
        path_label = form.labelForField(chooser.parentWidget() or chooser)
        if isinstance(path_label, QLabel):
            path_label.setBuddy(self.path)
        self.path.setAccessibleName("Sicherung")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass_error = labelled_row(form, "Passphrase der Sic&herung:", self.passphrase,
                                       errors, "restore_passphrase")
        self.confirmation = QLineEdit()
        self.confirmation.setPlaceholderText(CONFIRM_WORD)
        self.confirm_error = labelled_row(
            form, f"Zur Bestätigung „{CONFIRM_WORD}“ ti&ppen:", self.confirmation, errors,
            "restore_confirmation")
        self.button = QPushButton("Sicherung &wiederherstellen …")
        self.button.clicked.connect(self.start)
        self.progress = ProgressRow("Fortschritt der Wiederherstellung",
                                    "Wiederherstellung abbrechen")
        self.message = QLabel()
        self.message.setObjectName("restoreMessage")
        self.message.setWordWrap(True)
        self.progress.cancel_requested.connect(lambda: self.message.setText("Wird abgebrochen …"))
        form.addRow(self.button, self.progress)
        form.addRow(self.message)
        ctx.locked.connect(self.progress.cancel)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Sicherung wählen (manifest.json im Sicherungsordner)", self.path.text(),
            f"Lotse-Sicherung ({MANIFEST})")
        if chosen:
            self.path.setText(chosen)

    def _refuse(self, error: QLabel, text: str, field: QWidget) -> None:
        error.setText(text)
        error.show()
        field.setFocus()

    def start(self) -> None:
        for error in (self.path_error, self.pass_error, self.confirm_error):
            error.hide()
        self.message.setText("")
        if not self.path.text().strip():
            self._refuse(self.path_error, "Bitte die Sicherung wählen.", self.path)
            return
        if not self.passphrase.text():
            self._refuse(self.pass_error, "Bitte die Passphrase der Sicherung eingeben.",
                         self.passphrase)
            return
        if self.confirmation.text().strip() != CONFIRM_WORD:
            self._refuse(self.confirm_error,
                         f"Bitte zur Bestätigung „{CONFIRM_WORD}“ eintippen: der geöffnete "
                         "Tresor wird ersetzt.", self.confirmation)
            return
        source = backup_folder(self.path.text())
        passphrase = take_secret(self.passphrase)  # the field's buffer is overwritten
        folder = self.ctx.vault().folder
        self.button.setEnabled(False)
        self.message.setText("Die Sicherung wird geprüft und wiederhergestellt …")
        stop = self.progress.start()

        def work(_vault: Vault, progress: ProgressFn) -> Path:
            try:
                return prepare_replacement(source, folder, passphrase, stop.is_set, progress)
            finally:
                wipe_str(passphrase)

        self.ctx.run_progress(work, lambda restored: self._prepared(folder, restored),
                              self._failed, self.progress.report)

    def _prepared(self, folder: Path, restored: Path) -> None:
        self.progress.finish(self.button)
        self.button.setEnabled(True)
        self.confirmation.clear()
        self.message.setText("Geprüft. Lotse wird gesperrt und der Tresor ersetzt …")
        self.restore_prepared.emit(folder, restored)

    def _failed(self, exc: BaseException) -> None:
        self.progress.finish(self.button)
        self.button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.message.setText(exc.message_de)
        else:
            self.message.setText("Nicht wiederhergestellt: " + german_message(exc))


def finish_restore(window: MainWindow, folder: Path, restored: Path) -> None:
    """Lock (the desktop lets go of the vault), swap the folders, ask for the backup's
    passphrase on the unlock page. A refused swap leaves the vault as it was."""
    window.lock()
    try:
        old = swap_in(folder, restored)
    except LotseError as exc:
        discard_replacement(restored)
        window.unlock_page.message.setText("Nicht wiederhergestellt: " + exc.message_de)
        return
    window.unlock_page.message.setText(REPLACED_DE.format(old=old))
