"""Who receives the certificate: the person themself (their own data, no gate) or an institution
from the directory, for which the consent gate (``recipient_check``) answers live: covered by
which consent, or refused with the gate's German reason and a way to record the consent."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.services.certificates.read import recipient_check
from app.services.consent.records import DisclosureDecision
from app.services.directory.read import institutions
from app.services.directory.records import InstitutionEntry
from app.vault.store import Vault
from ui.casefile._form import ERROR_STYLE, error_label, run_guarded
from ui.context import AppContext, german_message

OK_STYLE = "color: #1b5e20;"


class RecipientBox(QGroupBox):
    """``consent_wanted(institution uuid)``: the person asked to record the missing consent."""

    consent_wanted = Signal(str)

    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__("Empfänger")
        self.setObjectName("certificateRecipient")
        self.ctx, self.case_id = ctx, case_id
        self.institutions: list[InstitutionEntry] = []
        self.decision: DisclosureDecision | None = None
        self._asked = 0  # the newest check; older answers arriving late are dropped
        self._wanted: str | None = None  # a draft's institution, chosen once the list is in
        column = QVBoxLayout(self)
        self.person = QRadioButton("Der Person selbst aus&händigen")
        self.person.setObjectName("recipientPerson")
        self.person.setChecked(True)
        self.institution_choice = QRadioButton("An eine I&nstitution senden")
        self.institution_choice.setObjectName("recipientInstitution")
        group = QButtonGroup(self)
        group.addButton(self.person)
        group.addButton(self.institution_choice)
        column.addWidget(self.person)
        column.addWidget(self.institution_choice)
        row = QHBoxLayout()
        label = QLabel("Ins&titution:")
        self.institution = QComboBox()
        self.institution.setObjectName("recipientInstitutionCombo")
        self.institution.setMinimumContentsLength(30)
        label.setBuddy(self.institution)
        row.addWidget(label)
        row.addWidget(self.institution, 1)
        column.addLayout(row)
        self.gate = QLabel()
        self.gate.setObjectName("recipientGate")
        self.gate.setWordWrap(True)
        self.gate.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.gate)
        self.consent_button = QPushButton("Einwilligung er&fassen …")
        self.consent_button.setObjectName("recipientRecordConsent")
        self.consent_button.setToolTip("Das Einwilligungsformular der Fallakte, vorausgefüllt "
                                       "mit Institution, Zweck und Datenkategorien")
        self.consent_button.clicked.connect(self._consent_clicked)
        column.addWidget(self.consent_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.warning = QLabel()
        self.warning.setObjectName("recipientWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.warning)
        self.acknowledge = QCheckBox("Hinweis gelesen; die Weitergabe ist &gewollt")
        self.acknowledge.setObjectName("recipientAcknowledge")
        column.addWidget(self.acknowledge)
        self.error = error_label()
        self.error.setObjectName("error_recipient")
        column.addWidget(self.error)
        self.institution_choice.toggled.connect(self._mode_changed)
        self.institution.currentIndexChanged.connect(self.check)
        self._mode_changed(False)
        run_guarded(self, ctx, institutions, self._loaded)

    def _loaded(self, items: list[InstitutionEntry]) -> None:
        self.institutions = items
        self.institution.blockSignals(True)
        self.institution.clear()
        self.institution.addItem("– bitte wählen –", None)
        for i in items:
            self.institution.addItem(f"{i.name} ({i.kind_label})", i.uuid)
        self.institution.blockSignals(False)
        if self._wanted is not None:
            self.choose_institution(self._wanted)

    def choose_institution(self, uuid: str) -> None:
        """Send to this institution (a draft put back after unlocking): chosen as soon as the
        directory has loaded; one that no longer exists leaves the choice to the person."""
        self._wanted = uuid
        self.institution_choice.setChecked(True)
        index = self.institution.findData(uuid)
        if index >= 0:
            self._wanted = None
            self.institution.setCurrentIndex(index)

    def institution_uuid(self) -> str | None:
        """None: handed to the person."""
        if not self.institution_choice.isChecked():
            return None
        data = self.institution.currentData()
        return str(data) if data else None

    def wants_institution(self) -> bool:
        return self.institution_choice.isChecked()

    def _mode_changed(self, to_institution: bool) -> None:
        self.institution.setEnabled(to_institution)
        self.check()

    def check(self) -> None:
        """Ask the gate for the chosen institution (off the GUI thread)."""
        self._asked += 1
        asked = self._asked
        self.decision = None
        self.error.hide()
        uuid = self.institution_uuid()
        self._show_gate(None)
        if uuid is None:
            if self.wants_institution():
                self.gate.setStyleSheet("")
                self.gate.setText("Bitte die Institution wählen.")
                self.gate.show()
            return
        self.gate.setStyleSheet("")
        self.gate.setText("Einwilligung wird geprüft …")
        self.gate.show()
        case_id = self.case_id

        def ask(vault: Vault) -> DisclosureDecision:
            return recipient_check(vault, case_id, uuid)

        def done(decision: DisclosureDecision) -> None:
            if asked == self._asked:
                self.decision = decision
                self._show_gate(decision)

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.gate.setStyleSheet(ERROR_STYLE)
                self.gate.setText(german_message(exc))

        run_guarded(self, self.ctx, ask, done, failed)

    def _show_gate(self, decision: DisclosureDecision | None) -> None:
        refused = decision is not None and not decision.allowed
        warnings = decision.warnings if decision is not None and decision.allowed else []
        if decision is None:
            self.gate.hide()
        else:
            self.gate.setStyleSheet(OK_STYLE if decision.allowed else ERROR_STYLE)
            self.gate.setText(("Gedeckt: " if decision.allowed else "Nicht gedeckt: ")
                              + decision.reason_de)
            self.gate.setAccessibleDescription(self.gate.text())
            self.gate.show()
        self.consent_button.setVisible(refused)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.acknowledge.setVisible(bool(warnings))
        self.acknowledge.setChecked(False)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        if self.wants_institution() and self.institution_uuid() is None:
            self.institution.setFocus()
        elif self.consent_button.isVisible():
            self.consent_button.setFocus()
        elif self.acknowledge.isVisible():
            self.acknowledge.setFocus()
        else:
            self.institution_choice.setFocus()

    def _consent_clicked(self) -> None:
        uuid = self.institution_uuid()
        if uuid is not None:
            self.consent_wanted.emit(uuid)
