"""Einstellungen, in tabs: "Allgemein" (idle lock, default municipality, profile, passphrase
change, key renewal, backup), "Vorlagen" (certificate templates), "Schlüssel" (the vault's
signing key and the keys it trusts) and "Austausch" (the share folder and the key cards of the
vaults this one exchanges bundles with).
A steering committee's vault (``ctx.steering``) has no Vorlagen (no certificates) and no rows only
case work reads (default municipality, weeks without contact, e-mail and phone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.backup import CANCELLED_DE, BackupResult
from app.changes import Changes, Kind
from app.errors import Cancelled, Refused, ValidationFailed
from app.passphrase_policy import strength_hint
from app.progress import ProgressFn
from app.services.account.read import last_backup, owner_profile, passphrase_context
from app.services.account.records import OwnerProfile
from app.services.account.write import (
    NOT_CHANGED_DE,
    KeyChange,
    backup_to_folder,
    change_passphrase,
    update_owner_profile,
)
from app.settings import RANGES, Settings, load_settings, update_settings
from app.vault.memory import wipe_str
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import fill_with_scrolled, labelled_row
from ui.passphrase_suggestion import PassphraseSuggestion, preload_in_background
from ui.secret_field import take_secret
from ui.settings.key_box import CHANGE_EXPLAINED_DE, KeyRenewalBox
from ui.settings.keys_tab import KeysTab
from ui.settings.progress_row import ProgressRow
from ui.settings.restore_box import RestoreBox
from ui.settings.templates_tab import DISCARD_DE, TemplatesTab
from ui.sync.exchange_tab import ExchangeTab


def spin(key: str, one: str, many: str) -> QSpinBox:
    """A number with its unit in singular or plural as the value asks ("1 Minute")."""
    low, high, _ = RANGES[key]
    box = QSpinBox()
    box.setRange(low, high)

    def follow(value: int) -> None:
        box.setSuffix(one if value == 1 else many)

    box.valueChanged.connect(follow)
    follow(box.value())
    return box


class SettingsPage(QWidget):
    settings_changed = Signal()  # after saving: the shell re-reads the idle time

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx, self.steering = ctx, ctx.steering
        self.setObjectName("settingsPage")
        self.errors: dict[str, QLabel] = {}
        # Replaceable in tests: the folder picker returns "" when cancelled.
        self.choose_folder: Callable[[str], str] = lambda start: QFileDialog.getExistingDirectory(
            self, "Ordner für die Datensicherung wählen", start)
        self.settings: Settings | None = None
        self._typed: tuple[str, ...] = ()  # the passphrases of a change while it runs

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._general_box())
        column.addWidget(self._passphrase_box())
        self.key_box = KeyRenewalBox(ctx, self.errors)
        column.addWidget(self.key_box)
        column.addWidget(self._backup_box())
        self.restore_box = RestoreBox(ctx, self.errors)  # a backup replaces the open vault
        column.addWidget(self.restore_box)
        column.addStretch(1)
        body.setMaximumWidth(720)
        general = QWidget()
        fill_with_scrolled(general, body)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(general, "Allge&mein")
        self.templates_tab: TemplatesTab | None = None if ctx.steering else TemplatesTab(ctx)
        if self.templates_tab is not None:
            self.tabs.addTab(self.templates_tab, "V&orlagen")
        self.keys_tab = KeysTab(ctx)  # each reads the vault when shown
        self.tabs.addTab(self.keys_tab, "Schl&üssel")
        self.exchange_tab = ExchangeTab(ctx)
        self.tabs.addTab(self.exchange_tab, "&Austausch")
        self._tab = 0
        self.tabs.currentChanged.connect(self._tab_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        ctx.changes.connect(self._on_changes)
        # Locking waits for database work: stop ours rather than finish it under a closing key.
        ctx.locked.connect(self.pass_progress.cancel)
        ctx.locked.connect(self.backup_progress.cancel)
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _row(self, form: QFormLayout, text: str, field: QWidget, key: str) -> None:
        """Label tied to the field (buddy), with the field's error message right below it."""
        labelled_row(form, text, field, self.errors, key)

    def _general_box(self) -> QGroupBox:
        box = QGroupBox("Arbeitsplatz und Profil")
        form = QFormLayout(box)
        self.idle_minutes = spin("idle_lock_minutes", " Minute", " Minuten")
        self._row(form, "Sperren nach &Leerlauf:", self.idle_minutes, "idle_lock_minutes")
        self.municipality = QComboBox()
        for m in catalogues.municipalities():
            self.municipality.addItem(m.label, m.code)
        self._row(form, "Standard-&Kommune:", self.municipality, "default_municipality")
        self.quiet_weeks = spin("quiet_weeks", " Woche", " Wochen")
        self._row(form, "„Heute“: &Wochen ohne Kontakt:", self.quiet_weeks, "quiet_weeks")
        self.display_name = QLineEdit()
        self._row(form, "&Name (auf der Schlüsselkarte):" if self.steering
                  else "&Name (Fallmanager:in):", self.display_name, "display_name")
        self.email = QLineEdit()
        self._row(form, "&E-Mail:", self.email, "email")
        self.phone = QLineEdit()
        self._row(form, "&Telefon:", self.phone, "phone")
        if self.steering:  # kept as loaded, so saving leaves them as they are
            for field in (self.municipality, self.quiet_weeks, self.email, self.phone):
                form.setRowVisible(field.parentWidget() or field, False)  # its holder
        self.save_button = QPushButton("Einstellungen &speichern")
        self.save_button.clicked.connect(self.save)
        self.save_message = QLabel()
        self.save_message.setWordWrap(True)
        form.addRow(self.save_button, self.save_message)
        return box

    def _passphrase_box(self) -> QGroupBox:
        box = QGroupBox("Passphrase ändern")
        form = QFormLayout(box)
        self.pass_explanation = QLabel(CHANGE_EXPLAINED_DE)
        self.pass_explanation.setWordWrap(True)
        form.addRow(self.pass_explanation)
        self.old_pass, self.new_pass, self.repeat_pass = QLineEdit(), QLineEdit(), QLineEdit()
        for field in (self.old_pass, self.new_pass, self.repeat_pass):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(form, "&Bisherige Passphrase:", self.old_pass, "old")
        self._row(form, "Neue &Passphrase:", self.new_pass, "new")
        self._row(form, "Neue Passphrase wie&derholen:", self.repeat_pass, "repeat")
        self.strength = QLabel()
        self.strength.setObjectName("passphraseStrength")
        self.strength.setWordWrap(True)
        form.addRow("", self.strength)
        self.suggestion = PassphraseSuggestion(self.new_pass, self.repeat_pass,
                                               self._passphrase_context)
        form.addRow("", self.suggestion)
        self.new_pass.textChanged.connect(self._update_strength)
        self.old_pass.textChanged.connect(lambda _t: self._update_strength(self.new_pass.text()))
        preload_in_background()
        self.change_button = QPushButton("Passphrase &ändern")
        self.change_button.clicked.connect(self.change_passphrase)
        self.pass_progress = ProgressRow("Fortschritt der Passphrasen-Änderung",
                                         "Passphrasen-Änderung abbrechen")
        self.pass_progress.cancel_requested.connect(self._passphrase_cancelling)
        form.addRow(self.change_button, self.pass_progress)
        self.pass_message = QLabel()
        self.pass_message.setWordWrap(True)
        form.addRow(self.pass_message)
        return box

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox("Datensicherung")
        form = QFormLayout(box)
        self.last_backup_label = QLabel()
        form.addRow("Letzte Sicherung:", self.last_backup_label)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        form.addRow("Zuletzt verwendeter Ordner:", self.folder_label)
        self.backup_button = QPushButton("In Ordner si&chern …")
        self.backup_button.clicked.connect(self._pick_and_backup)
        self.backup_progress = ProgressRow("Fortschritt der Datensicherung",
                                           "Datensicherung abbrechen")
        self.backup_progress.cancel_requested.connect(self._backup_cancelling)
        form.addRow(self.backup_button, self.backup_progress)
        self.backup_result = QLabel()
        self.backup_result.setWordWrap(True)
        self.backup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.backup_result)
        return box

    # -- tabs --------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.templates_tab is not None and self.templates_tab.has_unsaved_changes()

    def _tab_changed(self, index: int) -> None:
        """Leaving "Vorlagen" with unsaved changes asks first (the edits are kept otherwise)."""
        leaving = self.tabs.widget(self._tab)
        if leaving is self.templates_tab and self.has_unsaved_changes():
            blocked = self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self._tab)
            self.tabs.blockSignals(blocked)
            confirm(self, "Ungespeicherte Änderungen",
                    "In der Vorlage gibt es ungespeicherte Änderungen. Verwerfen und den "
                    "Reiter wechseln?", DISCARD_DE, lambda: self._leave_templates(index))
            return
        self._tab = index

    def _leave_templates(self, index: int) -> None:
        if self.templates_tab is not None:
            self.templates_tab.discard()
        self._tab = index
        self.tabs.setCurrentIndex(index)

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        def load(vault: Vault) -> tuple[Settings, OwnerProfile, datetime | None]:
            return load_settings(vault), owner_profile(vault), last_backup(vault)

        self.ctx.run(load, self._show, self._general_failed)

    def _show(self, data: tuple[Settings, OwnerProfile, datetime | None]) -> None:
        settings, profile, backed_up = data
        self.settings = settings
        self.idle_minutes.setValue(settings.idle_lock_minutes)
        self.quiet_weeks.setValue(settings.quiet_weeks)
        index = self.municipality.findData(settings.default_municipality)
        self.municipality.setCurrentIndex(max(index, 0))
        self.display_name.setText(profile.display_name)
        self.email.setText(profile.email or "")
        self.phone.setText(profile.phone or "")
        self._show_backup_info(settings, backed_up)

    def _show_backup_info(self, settings: Settings, backed_up: datetime | None) -> None:
        self.last_backup_label.setText(
            f"{backed_up.astimezone():%d.%m.%Y, %H:%M} Uhr" if backed_up
            else "noch keine Sicherung")
        self.folder_label.setText(settings.backup_folder or "noch keiner")

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.SETTINGS):  # never overwrite what the user is typing
            self.ctx.run(lambda v: (load_settings(v), last_backup(v)),
                         lambda d: self._show_backup_info(*d))

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()

    def _field_error(self, exc: BaseException, fallback: QLabel) -> None:
        label = self.errors.get(exc.field or "") if isinstance(exc, ValidationFailed) else None
        (label or fallback).setText(german_message(exc))
        (label or fallback).show()

    def _general_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.save_message.setText("")
        self._field_error(exc, self.save_message)

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        self._clear_errors()
        self.save_message.setText("")
        changes = {"idle_lock_minutes": self.idle_minutes.value(),
                   "quiet_weeks": self.quiet_weeks.value(),
                   "default_municipality": str(self.municipality.currentData() or "")}
        profile = OwnerProfile(self.display_name.text(), self.email.text(), self.phone.text())

        def store(vault: Vault) -> Settings:
            update_owner_profile(vault, profile)
            return update_settings(vault, **changes)

        self.save_button.setEnabled(False)
        self.ctx.run(store, self._saved, self._general_failed)

    def _saved(self, settings: Settings) -> None:
        self.settings = settings
        self.save_button.setEnabled(True)
        self.save_message.setText("Gespeichert.")
        self.settings_changed.emit()

    # -- passphrase --------------------------------------------------------------------------

    def _pass_fields(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return self.old_pass, self.new_pass, self.repeat_pass

    def change_passphrase(self) -> None:
        self._clear_errors()
        # Out of the fields (their Qt buffers overwritten); wiped once the change is done.
        old, new, repeat = self._typed = tuple(take_secret(f) for f in self._pass_fields())
        self.change_button.setEnabled(False)
        self.pass_message.setText("Die Passphrase wird geändert …")
        stop = self.pass_progress.start()

        def work(vault: Vault, progress: ProgressFn) -> KeyChange:
            return change_passphrase(vault, old, new, repeat, progress, cancelled=stop.is_set)

        self.ctx.run_progress(work, self._passphrase_changed, self._passphrase_failed,
                              self.pass_progress.report)

    def _passphrase_context(self) -> list[str]:
        """The old passphrase, the owner's name, municipality and vault code: tried first."""
        try:
            return [self.old_pass.text(), *passphrase_context(self.ctx.vault())]
        except Refused:  # locked meanwhile: the page is about to go
            return [self.old_pass.text()]

    def _update_strength(self, text: str) -> None:
        self.strength.setText(strength_hint(text, self._passphrase_context()))

    def _passphrase_cancelling(self) -> None:
        self.pass_message.setText("Wird abgebrochen …")

    def _forget_typed(self, *, give_back: bool) -> None:
        """Wipe what ``change_passphrase`` took; after a refusal or a cancel the fields first
        get it back, for a second try (signals blocked: no copies for textChanged)."""
        typed, self._typed = self._typed, ()
        for field, text in zip(self._pass_fields(), typed, strict=False):
            if give_back:
                blocked = field.blockSignals(True)
                field.setText(text)
                field.blockSignals(blocked)
            wipe_str(text)

    def _passphrase_changed(self, change: KeyChange) -> None:
        late = self.pass_progress.cancelled
        self._forget_typed(give_back=False)
        self.suggestion.forget()  # the fields were emptied without textChanged: say it here
        self.change_button.setEnabled(True)
        self.pass_progress.finish(self.change_button)
        self.pass_message.setText(
            ("Das Abbrechen kam zu spät. " if late else "")
            + "Die Passphrase wurde geändert. Ab sofort gilt die neue Passphrase; ältere "
            "Sicherungen öffnen weiter mit der alten. Damit auch früher kopierte "
            "Schlüsseldateien nicht mehr passen: „Datenschlüssel erneuern“."
            + (f" {change.note_de()}" if not change.audited else ""))

    def _passphrase_failed(self, exc: BaseException) -> None:
        self._forget_typed(give_back=True)
        self.change_button.setEnabled(True)
        self.pass_progress.finish(self.change_button)
        self.pass_message.setText("")
        if isinstance(exc, Cancelled):
            self.pass_message.setText(NOT_CHANGED_DE)
            return
        self._field_error(exc, self.pass_message)

    # -- backup ------------------------------------------------------------------------------

    def _pick_and_backup(self) -> None:
        start = self.settings.backup_folder if self.settings else ""
        folder = self.choose_folder(start or str(Path.home()))
        if folder:
            self.backup_to(Path(folder))

    def backup_to(self, folder: Path) -> None:
        self.backup_button.setEnabled(False)
        self.backup_result.setText("Die Sicherung wird geschrieben …")
        stop = self.backup_progress.start()

        def work(vault: Vault, progress: ProgressFn) -> BackupResult:
            return backup_to_folder(vault, folder, progress, cancelled=stop.is_set)

        self.ctx.run_progress(work, self._backed_up, self._backup_failed,
                              self.backup_progress.report)

    def _backup_cancelling(self) -> None:
        self.backup_result.setText("Die Sicherung wird abgebrochen …")

    def _backed_up(self, result: BackupResult) -> None:
        late = self.backup_progress.cancelled
        self.backup_button.setEnabled(True)
        self.backup_progress.finish(self.backup_button)
        self.backup_result.setText(("Die Sicherung war schon fertig, als abgebrochen wurde. "
                                    if late else "") + f"Gesichert nach: {result.path}")

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.backup_progress.finish(self.backup_button)
        self.backup_result.setText(CANCELLED_DE if isinstance(exc, Cancelled)
                                   else german_message(exc))
