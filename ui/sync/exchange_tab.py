"""Einstellungen → Austausch: the share folder, this vault's own key card (its fingerprint
large enough to read out on the phone) and the vaults this one knows, with their trust.

Files and folders are chosen through seams the tests answer (``choose_folder``,
``choose_save_path``, ``choose_open_path``: "" means cancelled); everything that touches the
vault, the share or a file runs on the database thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.services.devices.read import devices
from app.services.devices.records import DeviceRow
from app.services.devices.write import distrust, export_card_file, import_card_file
from app.services.sync.read import status
from app.services.sync.records import SyncStatus
from app.services.sync.write import set_share_folder
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import ERROR_STYLE, labelled_row
from ui.settings.key_files import ask_card_open_path, ask_card_save_path
from ui.settings.key_import import monospace
from ui.sync.labels import ROLES, day, in_rows, municipality, trust_text
from ui.sync.trust_dialog import TrustDialog, open_trust_dialog

HEADERS = ("Name", "Kommune", "Rolle", "Fingerabdruck", "Vertrauen", "seit")
FINGERPRINT_COLUMN = 3
CARD_SUFFIX = ".lcard"  # as the sync service names cards on the share
SHARE_HINT_DE = ("Der gemeinsame Ordner auf dem Netzlaufwerk, über den die Tresore Bündel "
                 "austauschen, z. B. S:\\Lotse oder \\\\server\\freigabe\\Lotse.")


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class ExchangeTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("exchangeTab")
        self.errors: dict[str, QLabel] = {}
        self.own: DeviceRow | None = None
        self.rows: list[DeviceRow] = []  # the peers, in table order
        self.loaded_once = False
        self.dialog: TrustDialog | None = None
        self.choose_folder: Callable[[str], str] = lambda start: \
            QFileDialog.getExistingDirectory(self, "Austauschordner wählen", start)
        self.choose_save_path: Callable[[str], str] = self._ask_save_path
        self.choose_open_path: Callable[[], str] = self._ask_open_path
        self._build()
        ctx.changes.connect(self._on_changes)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        share = QGroupBox("Austauschordner")
        form = QFormLayout(share)
        hint = QLabel(SHARE_HINT_DE)
        hint.setWordWrap(True)
        form.addRow(hint)
        self.share_path = QLineEdit()
        self.share_path.setObjectName("sharePath")
        self.share_path.setPlaceholderText("S:\\Lotse")
        labelled_row(form, "&Pfad:", self.share_path, self.errors, "share_folder")
        self.choose_button = QPushButton("Ordner &wählen …")
        self.choose_button.clicked.connect(self.pick_folder)
        self.apply_button = QPushButton("Ü&bernehmen")
        self.apply_button.clicked.connect(self.apply_share)
        self.share_path.returnPressed.connect(self.apply_share)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.share_message = QLabel()
        self.share_message.setObjectName("shareMessage")
        self.share_message.setWordWrap(True)
        self.share_message.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.share_message)

        own = QGroupBox("Schlüsselkarte dieses Tresors")
        own_form = QFormLayout(own)
        self.own_name = QLabel("…")
        self.own_name.setTextFormat(Qt.TextFormat.PlainText)
        self.own_name.setWordWrap(True)
        own_form.addRow("Tresor:", self.own_name)
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setObjectName("ownSyncFingerprint")
        self.own_fingerprint.setFont(monospace(6))
        self.own_fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_fingerprint.setAccessibleName("Fingerabdruck dieses Tresors")
        own_form.addRow(QLabel("Fingerabdruck:"))
        own_form.addRow(self.own_fingerprint)
        read_out = QLabel("Diesen Fingerabdruck lesen Sie Kolleginnen und Kollegen vor, die "
                          "Ihre Karte bestätigen: so wissen sie, dass die Bündel von Ihnen "
                          "stammen.")
        read_out.setWordWrap(True)
        own_form.addRow(read_out)
        self.save_card_button = QPushButton("Schlüsselkarte &speichern …")
        self.save_card_button.clicked.connect(self.pick_and_save_card)
        own_form.addRow(self.save_card_button)
        self.card_message = QLabel()
        self.card_message.setWordWrap(True)
        self.card_message.setTextFormat(Qt.TextFormat.PlainText)
        own_form.addRow(self.card_message)

        left = QVBoxLayout()
        left.addWidget(share)
        left.addWidget(own)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(400)  # room for a UNC path and the grouped fingerprint
        left_box.setMaximumWidth(480)

        known = QGroupBox("Bekannte Tresore (Bündel werden nur von bestätigten übernommen)")
        column = QVBoxLayout(known)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("knownVaults")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        label = QLabel("Bekannte &Tresore:")
        label.setBuddy(self.table)
        self.table.setAccessibleName("Bekannte Tresore")
        self.table.currentCellChanged.connect(self._cell_changed)
        column.addWidget(label)
        column.addWidget(self.table, 1)
        self.trust_button = QPushButton("&Vertrauen …")
        self.trust_button.clicked.connect(self.ask_trust)
        self.distrust_button = QPushButton("Vertrauen ent&ziehen …")
        self.distrust_button.clicked.connect(self.ask_distrust)
        self.card_file_button = QPushButton("&Karte aus Datei …")
        self.card_file_button.clicked.connect(self.pick_card_file)
        row = QHBoxLayout()
        for button in (self.trust_button, self.distrust_button, self.card_file_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.trust_message = QLabel()
        self.trust_message.setObjectName("vaultTrustMessage")
        self.trust_message.setWordWrap(True)
        self.trust_message.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.trust_message)

        outer = QHBoxLayout(self)
        outer.addWidget(left_box)
        outer.addWidget(known, 1)

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.loaded_once:  # the first look makes this vault's sync keys: not at unlock
            self.loaded_once = True
            self.reload(with_share=True)

    def reload(self, *, with_share: bool = False) -> None:
        def load(vault: Vault) -> tuple[list[DeviceRow], SyncStatus | None]:
            return devices(vault), status(vault) if with_share else None

        run_guarded(self, self.ctx, load, self._show, self._load_failed)

    def _on_changes(self, changes: Changes) -> None:
        if self.loaded_once and changes.touches(Kind.SYNC):
            self.reload()

    def _load_failed(self, exc: BaseException) -> None:
        self.trust_message.setStyleSheet(ERROR_STYLE)
        self.trust_message.setText(german_message(exc))

    def _show(self, data: tuple[list[DeviceRow], SyncStatus | None]) -> None:
        rows, share = data
        if share is not None and not self.share_path.isModified():
            self.share_path.setText(share.share_folder or "")
        self.own = next((r for r in rows if r.own), None)
        if self.own is not None:
            self.own_name.setText(f"{self.own.holder_name} – {self.own.vault_name} "
                                  f"({municipality(self.own.municipality)})")
            self.own_fingerprint.setText(in_rows(self.own.fingerprint_display))
            self.own_fingerprint.setAccessibleDescription(self.own.fingerprint_display)
        chosen = self.selected()
        self.rows = [r for r in rows if not r.own]
        self.table.setRowCount(0)
        for r in self.rows:
            index = self.table.rowCount()
            self.table.insertRow(index)
            texts = (f"{r.holder_name}\n{r.vault_name}", municipality(r.municipality),
                     ROLES.get(r.role, r.role), in_rows(r.fingerprint_display),
                     trust_text(r), day(r.trusted_at or r.first_seen_at))
            for col, text in enumerate(texts):
                item = _cell(text)
                if col == FINGERPRINT_COLUMN:
                    item.setFont(monospace())
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, r.fingerprint_display)
                self.table.setItem(index, col, item)
        if chosen is not None:  # the same vault stays selected across a reload
            self.select(chosen.fingerprint)
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected()
        self.distrust_button.setEnabled(chosen is not None and chosen.trust == "trusted")

    def _cell_changed(self, *_cells: int) -> None:
        self._enable()

    def selected(self) -> DeviceRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, fingerprint: str) -> None:
        index = next((i for i, r in enumerate(self.rows) if r.fingerprint == fingerprint), -1)
        if index >= 0:
            self.table.setCurrentCell(index, 0)

    # -- share folder ------------------------------------------------------------------------

    def pick_folder(self) -> None:
        chosen = self.choose_folder(self.share_path.text() or str(Path.home()))
        if chosen:
            self.share_path.setText(chosen)
            self.share_path.setModified(True)
            self.apply_share()

    def apply_share(self) -> None:
        """An empty field switches the exchange off; the service refuses, in German, a folder
        that is missing or cannot be written, and the message shows under the field."""
        self.errors["share_folder"].hide()
        self.share_message.setStyleSheet("")
        text = self.share_path.text().strip()
        folder = Path(text) if text else None
        self.apply_button.setEnabled(False)
        self.share_message.setText("Der Ordner wird geprüft …")

        def work(vault: Vault) -> SyncStatus:
            set_share_folder(vault, folder)
            return status(vault)

        run_guarded(self, self.ctx, work, self._share_set, self._share_failed)

    def _share_set(self, share: SyncStatus) -> None:
        self.apply_button.setEnabled(True)
        self.share_path.setModified(False)
        self.share_path.setText(share.share_folder or "")
        self.share_message.setText(
            f"Übernommen. Lotse gleicht über {share.share_folder} ab." if share.share_folder
            else "Kein Austauschordner: Lotse gleicht nicht ab.")

    def _share_failed(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        self.share_message.clear()
        error = self.errors["share_folder"]
        error.setText(german_message(exc))
        error.show()
        self.share_path.setFocus()

    # -- own card ----------------------------------------------------------------------------

    def _ask_save_path(self, suggested: str) -> str:
        return ask_card_save_path(self, suggested, CARD_SUFFIX)

    def pick_and_save_card(self) -> None:
        if self.own is None:
            return
        # No personal name in the file name: the fingerprint's start identifies the card.
        chosen = self.choose_save_path(f"Lotse-Karte_{self.own.fingerprint[:8]}{CARD_SUFFIX}")
        if chosen:
            self.save_card(Path(chosen))

    def save_card(self, path: Path) -> None:
        self.card_message.setStyleSheet("")
        self.card_message.setText("Die Schlüsselkarte wird gespeichert …")

        def work(vault: Vault) -> Path:
            export_card_file(vault, path)
            return path

        run_guarded(self, self.ctx, work, self._card_saved, self._card_failed)

    def _card_saved(self, path: Path) -> None:
        self.card_message.setText(f"Gespeichert: {path}")

    def _card_failed(self, exc: BaseException) -> None:
        self.card_message.setStyleSheet(ERROR_STYLE)
        self.card_message.setText(german_message(exc))

    # -- trust -------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.trust_message.setStyleSheet(ERROR_STYLE if error else "")
        self.trust_message.setText(text)

    def ask_trust(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self._say("Bitte wählen Sie zuerst einen Tresor in der Liste.", error=True)
            return
        self._say("")
        self.open_trust(chosen)

    def open_trust(self, row: DeviceRow) -> TrustDialog:
        self.dialog = open_trust_dialog(self.ctx, row, self)
        self.dialog.trusted.connect(self._trusted)
        self.dialog.finished.connect(self._dialog_closed)  # deleted on close: let go of it
        return self.dialog

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def _trusted(self, row: DeviceRow) -> None:
        self._say(f"Bestätigt: {row.holder_name} ({row.vault_name}). Wartende Bündel dieses "
                  "Tresors werden beim nächsten Abgleich übernommen.")
        self.reload()
        self.table.setFocus()

    def ask_distrust(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.trust != "trusted":
            self._say("Bitte wählen Sie einen Tresor, dem Sie vertrauen.", error=True)
            return
        fingerprint = chosen.fingerprint
        confirm(self, "Vertrauen entziehen",
                f"Bündel von {chosen.holder_name} ({chosen.vault_name}) werden dann nicht mehr "
                "übernommen, sondern abgewiesen, bis Sie den Fingerabdruck erneut bestätigen.",
                "Vertrauen ent&ziehen", lambda: self.distrust_vault(fingerprint))

    def distrust_vault(self, fingerprint: str) -> None:
        run_guarded(self, self.ctx, lambda vault: distrust(vault, fingerprint), self._distrusted,
                    lambda exc: self._say(german_message(exc), error=True))

    def _distrusted(self, row: DeviceRow) -> None:
        self._say(f"{row.holder_name} ({row.vault_name}) wird nicht mehr vertraut.")
        self.reload()

    # -- a card handed over as a file --------------------------------------------------------

    def _ask_open_path(self) -> str:
        return ask_card_open_path(self, "Schlüsselkarte aus Datei", CARD_SUFFIX)

    def pick_card_file(self) -> None:
        chosen = self.choose_open_path()
        if chosen:
            self.read_card_file(Path(chosen))

    def read_card_file(self, path: Path) -> None:
        self._say("Die Schlüsselkarte wird gelesen …")
        run_guarded(self, self.ctx, lambda vault: import_card_file(vault, path), self._card_read,
                    lambda exc: self._say(german_message(exc), error=True))

    def _card_read(self, row: DeviceRow) -> None:
        """Read is not trusted: the fingerprint is compared right away, in the dialog."""
        self._say(f"Karte gelesen: {row.holder_name} ({row.vault_name}).")
        self.reload()
        if row.trust != "trusted" and not row.own:
            self.open_trust(row)
