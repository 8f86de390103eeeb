"""Einstellungen → Schlüssel: this vault's signing key (its card for the offices that check our
certificates, withdrawing it) and the keys of other offices this vault trusts.

Files are chosen through seams (``choose_save_path``, ``choose_open_path``, ``ask_replace``) the
tests answer; everything that touches the vault or a file runs on the database thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.keys.read import preview_card, trusted_keys
from app.services.keys.records import CardPreview, TrustedKeyRow
from app.services.keys.write import distrust, export_card, import_card, own_key, withdraw_own_key
from app.vault.store import Vault
from ui.conferences.output_file import SaveFailed, save_pdf
from ui.conferences.output_questions import replace_confirmed
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import ERROR_STYLE, labelled_row
from ui.settings.key_files import (
    ask_card_open_path,
    ask_card_save_path,
    card_file_name,
    read_card,
    two_lines,
)
from ui.settings.key_import import KeyImportPanel, monospace
from ui.settings.trusted_keys_table import fill_trusted_keys

HEADERS = ("Aussteller", "Person", "Tresor", "Gültig bis", "Zurück-\ngezogen",
           "Fingerabdruck", "Widerrufs-\nliste", "Eigener")
REASON_MISSING_DE = "Bitte geben Sie an, warum der Schlüssel zurückgezogen wird."
WITHDRAW_EXPLAINED_DE = (
    "Der Schlüssel wird ab heute zurückgezogen. Bescheinigungen, die nach heute mit ihm "
    "unterschrieben wären, werden bei der Prüfung NICHT als gültig anerkannt. Bisher "
    "ausgestellte Bescheinigungen bleiben prüfbar.\n\n"
    "Lotse erzeugt sofort einen neuen Schlüssel. Geben Sie danach die neue Schlüsselkarte an "
    "alle Stellen weiter, die Ihre Bescheinigungen prüfen – sonst können diese neue "
    "Bescheinigungen nicht prüfen.\n\nDas lässt sich nicht rückgängig machen.")


class KeysTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        # A steering committee's vault issues no certificates: its own key is neither shown
        # nor withdrawn there; the keys it trusts still are.
        self.shows_own_key = not ctx.steering
        self.setObjectName("keysTab")
        self.errors: dict[str, QLabel] = {}
        self.own: TrustedKeyRow | None = None
        self.rows: list[TrustedKeyRow] = []
        self.card_data: bytes | None = None  # the card being imported, in memory only
        self.loaded_once = False
        # Seams the tests answer: "" means cancelled.
        self.choose_save_path: Callable[[str], str] = self._ask_save_path
        self.choose_open_path: Callable[[], str] = self._ask_open_path
        self.ask_replace: Callable[[Path], bool] = lambda path: replace_confirmed(self, path)
        self._build()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        own = QGroupBox("Eigener Schlüssel dieses Tresors")
        form = QFormLayout(own)
        self.own_issuer = QLabel("…")
        self.own_issuer.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Aussteller:", self.own_issuer)
        self.own_valid = QLabel()
        form.addRow("Gültig bis:", self.own_valid)
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setObjectName("ownFingerprint")
        self.own_fingerprint.setFont(monospace(6))
        self.own_fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_fingerprint.setAccessibleName("Fingerabdruck des eigenen Schlüssels")
        form.addRow(QLabel("Fingerabdruck:"))
        form.addRow(self.own_fingerprint)
        hint = QLabel("Diesen Fingerabdruck lesen Sie einer Stelle vor, die Ihre Schlüsselkarte "
                      "übernimmt: so weiß sie, dass die Karte von Ihnen stammt.")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.export_button = QPushButton("Schlüsselkarte e&xportieren …")
        self.export_button.clicked.connect(self.pick_and_export)
        self.export_message = QLabel()
        self.export_message.setObjectName("exportMessage")
        self.export_message.setWordWrap(True)
        self.export_message.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.export_button)
        form.addRow(self.export_message)
        withdraw = QGroupBox("Schlüssel zurückziehen")
        withdraw_form = QFormLayout(withdraw)
        when = QLabel("Nur nötig, wenn der Schlüssel in falsche Hände geraten sein könnte "
                      "(Rechner verloren, Sicherung weitergegeben).")
        when.setWordWrap(True)
        withdraw_form.addRow(when)
        self.reason = QLineEdit()
        self.reason.setObjectName("withdrawReason")
        self.reason.setPlaceholderText("z. B. Rechner verloren")
        labelled_row(withdraw_form, "&Begründung:", self.reason, self.errors, "reason")
        self.withdraw_button = QPushButton("Schlüssel &zurückziehen …")
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.withdraw_message = QLabel()
        self.withdraw_message.setWordWrap(True)
        self.withdraw_message.setTextFormat(Qt.TextFormat.PlainText)
        withdraw_form.addRow(self.withdraw_button)
        withdraw_form.addRow(self.withdraw_message)
        left = QVBoxLayout()
        left.addWidget(own)
        left.addWidget(withdraw)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(460)
        self.own_box = left_box
        if not self.shows_own_key:
            left_box.hide()

        trusted = QGroupBox("Vertrauenswürdige Schlüssel (Bescheinigungen dieser Stellen "
                            "lassen sich prüfen)")
        column = QVBoxLayout(trusted)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("trustedKeys")
        self.table.setAccessibleName("Vertrauenswürdige Schlüssel")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)  # two-line fingerprints and lists
        table_label = QLabel("&Schlüssel:")
        table_label.setBuddy(self.table)
        column.addWidget(table_label)
        column.addWidget(self.table, 1)
        self.import_button = QPushButton("Schlüsselkarte &importieren …")
        self.import_button.clicked.connect(self.pick_and_preview)
        self.distrust_button = QPushButton("Vertrauen en&tziehen …")
        self.distrust_button.clicked.connect(self.ask_distrust)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.distrust_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.trust_message = QLabel()
        self.trust_message.setObjectName("trustMessage")
        self.trust_message.setWordWrap(True)
        self.trust_message.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.trust_message)
        self.import_panel = KeyImportPanel()
        self.import_panel.confirmed.connect(self.import_confirmed)
        self.import_panel.cancelled.connect(self._import_cancelled)
        column.addWidget(self.import_panel)

        row = QHBoxLayout(self)
        row.addWidget(left_box)
        row.addWidget(trusted, 1)

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.loaded_once:  # the first look makes the vault's key: not at unlock
            self.loaded_once = True
            self.reload()

    def reload(self) -> None:
        def load(vault: Vault) -> tuple[TrustedKeyRow, list[TrustedKeyRow]]:
            own = own_key(vault)  # made here when the vault has none (or only a withdrawn one)
            return own, trusted_keys(vault)

        self.ctx.run(load, self._show, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.trust_message.setText(german_message(exc))

    def _show(self, data: tuple[TrustedKeyRow, list[TrustedKeyRow]]) -> None:
        own, rows = data
        self.own, self.rows = own, list(rows)
        self.own_issuer.setText(f"{own.issuer_office} – {own.holder_name}")
        self.own_valid.setText(f"{own.valid_until:%d.%m.%Y}")
        self.own_fingerprint.setText(two_lines(own.fingerprint_display))
        fill_trusted_keys(self.table, self.rows)
        self.distrust_button.setEnabled(bool(self.rows))

    # -- export ------------------------------------------------------------------------------

    def _ask_save_path(self, suggested: str) -> str:
        return ask_card_save_path(self, suggested)

    def pick_and_export(self) -> None:
        if self.own is None:
            return
        chosen = self.choose_save_path(card_file_name(self.own, date.today()))
        if not chosen:
            return
        path = Path(chosen)
        replacing = path.exists()
        if replacing and not self.ask_replace(path):
            self.export_message.setText("Nichts gespeichert: die vorhandene Datei bleibt.")
            return
        self.export_to(path, replace_existing=replacing)

    def export_to(self, path: Path, *, replace_existing: bool = False) -> None:
        self.export_button.setEnabled(False)
        self.export_message.setStyleSheet("")
        self.export_message.setText("Die Schlüsselkarte wird geschrieben …")

        def work(vault: Vault) -> Path:
            save_pdf(path, export_card(vault), replace_existing=replace_existing)
            return path

        self.ctx.run(work, self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.export_message.setText(f"Gespeichert: {path}")

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.export_message.setStyleSheet(ERROR_STYLE)
        self.export_message.setText(str(exc.args[0]) if isinstance(exc, SaveFailed)
                                    else german_message(exc))

    # -- withdraw ----------------------------------------------------------------------------

    def ask_withdraw(self) -> None:
        self.errors["reason"].hide()
        if not self.reason.text().strip():
            self.errors["reason"].setText(REASON_MISSING_DE)
            self.errors["reason"].show()
            self.reason.setFocus()
            return
        confirm(self, "Schlüssel zurückziehen", WITHDRAW_EXPLAINED_DE,
                "Schlüssel endgültig &zurückziehen", self.withdraw)

    def withdraw(self) -> None:
        reason = self.reason.text().strip()
        self.withdraw_button.setEnabled(False)

        def work(vault: Vault) -> tuple[TrustedKeyRow, list[TrustedKeyRow]]:
            withdraw_own_key(vault, reason)
            return own_key(vault), trusted_keys(vault)  # the new key, made now

        self.ctx.run(work, self._withdrawn, self._withdraw_failed)

    def _withdrawn(self, data: tuple[TrustedKeyRow, list[TrustedKeyRow]]) -> None:
        self.withdraw_button.setEnabled(True)
        self.reason.clear()
        self._show(data)
        self.withdraw_message.setText("Der Schlüssel wurde zurückgezogen; ein neuer ist "
                                      "erzeugt. Bitte die neue Schlüsselkarte weitergeben.")

    def _withdraw_failed(self, exc: BaseException) -> None:
        self.withdraw_button.setEnabled(True)
        self.errors["reason"].setText(german_message(exc))
        self.errors["reason"].show()

    # -- import ------------------------------------------------------------------------------

    def _ask_open_path(self) -> str:
        return ask_card_open_path(self, "Schlüsselkarte importieren")

    def pick_and_preview(self) -> None:
        chosen = self.choose_open_path()
        if chosen:
            self.preview_file(Path(chosen))

    def preview_file(self, path: Path) -> None:
        self.trust_message.setStyleSheet("")
        self.trust_message.setText("Die Schlüsselkarte wird gelesen …")

        def work(vault: Vault) -> tuple[bytes, CardPreview]:
            data = read_card(path)
            return data, preview_card(vault, data)

        self.ctx.run(work, self._previewed, self._trust_failed)

    def _previewed(self, result: tuple[bytes, CardPreview]) -> None:
        self.card_data, preview = result
        self.trust_message.clear()
        self.import_panel.show_preview(preview)

    def import_confirmed(self, typed: str) -> None:
        data = self.card_data
        if data is None:
            return
        self.import_panel.accept_button.setEnabled(False)

        def work(vault: Vault) -> tuple[TrustedKeyRow, tuple[TrustedKeyRow,
                                                             list[TrustedKeyRow]]]:
            row = import_card(vault, data, typed)
            return row, (own_key(vault), trusted_keys(vault))

        self.ctx.run(work, self._imported, self._import_failed)

    def _imported(self, result: tuple[TrustedKeyRow, tuple[TrustedKeyRow,
                                                           list[TrustedKeyRow]]]) -> None:
        row, listing = result
        self.import_panel.accept_button.setEnabled(True)
        self.card_data = None
        self.import_panel.preview = None
        self.import_panel.hide()
        self._show(listing)
        self.trust_message.setStyleSheet("")
        self.trust_message.setText(f"Übernommen: Schlüssel von {row.issuer_office} "
                                   f"({row.fingerprint_display}).")
        self.table.setFocus()

    def _import_failed(self, exc: BaseException) -> None:
        """The refusal where the person typed (a wrong fingerprint above all)."""
        self.import_panel.accept_button.setEnabled(True)
        self.import_panel.show_error("confirmed_fingerprint", german_message(exc))
        self.import_panel.typed.setFocus()

    def _import_cancelled(self) -> None:
        self.card_data = None
        self.trust_message.setText("Import abgebrochen; es wurde nichts übernommen.")
        self.import_button.setFocus()

    def _trust_failed(self, exc: BaseException) -> None:
        self.trust_message.setStyleSheet(ERROR_STYLE)
        self.trust_message.setText(german_message(exc))

    # -- distrust ----------------------------------------------------------------------------

    def selected(self) -> TrustedKeyRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def ask_distrust(self) -> None:
        chosen = self.selected()
        self.trust_message.setStyleSheet(ERROR_STYLE)
        if chosen is None:
            self.trust_message.setText("Bitte wählen Sie zuerst einen Schlüssel in der Liste.")
            return
        if chosen.own:
            self.trust_message.setText("Dem eigenen Schlüssel kann nicht das Vertrauen entzogen "
                                       "werden; ziehen Sie ihn links zurück.")
            return
        self.trust_message.setStyleSheet("")
        self.trust_message.clear()
        fingerprint = chosen.fingerprint
        confirm(self, "Vertrauen entziehen",
                f"Bescheinigungen von {chosen.issuer_office} ({chosen.holder_name}) mit diesem "
                "Schlüssel gelten bei der Prüfung dann als „Aussteller unbekannt“, bis Sie "
                "die Schlüsselkarte erneut übernehmen.",
                "Vertrauen en&tziehen", lambda: self.distrust_key(fingerprint))

    def distrust_key(self, fingerprint: str) -> None:
        def work(vault: Vault) -> tuple[TrustedKeyRow, list[TrustedKeyRow]]:
            distrust(vault, fingerprint)
            return own_key(vault), trusted_keys(vault)

        self.ctx.run(work, self._distrusted, self._trust_failed)

    def _distrusted(self, data: tuple[TrustedKeyRow, list[TrustedKeyRow]]) -> None:
        self._show(data)
        self.trust_message.setStyleSheet("")
        self.trust_message.setText("Dem Schlüssel wird nicht mehr vertraut.")
