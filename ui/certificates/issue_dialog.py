"""Issuing a certificate from the case file: the template, its fields, the recipient (the
person, or an institution behind the consent gate), then "Ausstellen" (also Strg+Enter).

The register (``issue_certificate``) checks everything again and numbers, seals and audits in
one transaction off the GUI thread; its ``ValidationFailed(field=...)`` shows at the input it
names. Once issued, ``issued`` carries the certificate and the output view opens.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.date_input import DateInputError
from app.errors import ValidationFailed
from app.services.certificates.records import IssuedCertificate, IssueRequest
from app.services.certificates.write import issue_certificate
from app.services.consent.records import DisclosureRefused, DisclosureWarningPending
from app.services.templates.read import templates
from app.services.templates.records import Template
from ui.casefile._form import ERROR_STYLE, FieldErrors, error_label, run_guarded
from ui.certificates.consent_dialog import CertificateConsentDialog
from ui.certificates.output import CertificateOutput, show_certificate
from ui.certificates.recipient import RecipientBox
from ui.certificates.template_form import TemplateFieldsForm
from ui.context import AppContext, german_message

RECIPIENT_FIELDS = ("recipient", "recipient_institution_uuid", "institution",
                    "warning_acknowledged")
NO_INSTITUTION_DE = "Bitte die Institution wählen, an die die Bescheinigung gehen soll."


class IssueDialog(QDialog):
    issued = Signal(object)  # IssuedCertificate

    def __init__(self, ctx: AppContext, case_id: int, case_number: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setObjectName("issueCertificateDialog")
        self.setWindowTitle("Bescheinigung ausstellen" + (f" – {case_number}"
                                                          if case_number else ""))
        self.templates: list[Template] = []
        self.consent_dialog: CertificateConsentDialog | None = None
        self.output: CertificateOutput | None = None
        self._busy = False
        self._pending: Mapping[str, object] | None = None  # a draft waiting for the templates
        column = QVBoxLayout(self)
        top = QFormLayout()
        self.template = QComboBox()
        self.template.setObjectName("certificateTemplate")
        self.template.setMinimumContentsLength(30)
        label = QLabel("&Vorlage:")
        label.setBuddy(self.template)
        top.addRow(label, self.template)
        column.addLayout(top)
        self.general = error_label()
        self.general.setObjectName("issueError")
        self.general.setWordWrap(True)
        self.errors = FieldErrors(self.general)
        template_error = error_label()
        top.addRow("", template_error)
        for name in ("template", "template_key"):  # the register names it "template"
            self.errors.add(name, template_error, self.template)
        box = QGroupBox("Angaben auf der Bescheinigung")
        inner = QVBoxLayout(box)
        self.fields = TemplateFieldsForm()
        inner.addWidget(self.fields)
        # A template fills one page (check_template), so its fields fit without scrolling.
        column.addWidget(box)
        self.recipient = RecipientBox(ctx, case_id)
        self.recipient.consent_wanted.connect(self._record_consent)
        column.addWidget(self.recipient)
        column.addWidget(self.general)
        column.addStretch(1)
        self.issue_button = QPushButton("&Ausstellen")
        self.issue_button.setObjectName("issueCertificate")
        self.issue_button.setToolTip("Bescheinigung ausstellen, siegeln und in das Register "
                                     "eintragen (Strg+Eingabe)")
        self.issue_button.setAutoDefault(False)
        self.issue_button.clicked.connect(self.issue)
        cancel = QPushButton("Abbrechen")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        hint = QLabel("Eine ausgestellte Bescheinigung lässt sich nicht mehr ändern, nur "
                      "widerrufen.")
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        row.addWidget(self.issue_button)
        row.addWidget(cancel)
        column.addLayout(row)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.issue)
        # The main window's Ctrl+L does not reach a dialog: locking must work here too (what
        # is typed comes back after unlocking, as the section's draft).
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(ctx.lock_requested)
        self.template.currentIndexChanged.connect(self._template_changed)
        ctx.locked.connect(self.reject)  # nothing typed about a person stays on screen
        run_guarded(self, ctx, templates, self._templates_loaded, self._load_failed)
        self.resize(760, 600)

    # --- loading ------------------------------------------------------------------------------

    def _templates_loaded(self, items: list[Template]) -> None:
        self.templates = [t for t in items if t.active]
        self.template.blockSignals(True)
        self.template.clear()
        for t in self.templates:
            self.template.addItem(t.title, t.key)
        self.template.blockSignals(False)
        if self.templates:
            self.template.setCurrentIndex(0)
            self._template_changed(0)
        self.template.setFocus()
        if self._pending is not None:
            self._apply(self._pending)

    def _load_failed(self, exc: BaseException) -> None:
        self.general.setText(german_message(exc))
        self.general.show()

    def chosen_template(self) -> Template | None:
        key = self.template.currentData()
        return next((t for t in self.templates if t.key == key), None)

    def _template_changed(self, _index: int) -> None:
        chosen = self.chosen_template()
        self.errors.clear()
        self.fields.set_fields(chosen.fields if chosen is not None else (), self.errors)
        # The rows are made after the recipient box: Tab goes template, fields, recipient.
        chain = [self.template, *self.fields.inputs.values(), self.recipient.person]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- the consent gate ---------------------------------------------------------------------

    def _record_consent(self, institution_uuid: str) -> None:
        self.consent_dialog = CertificateConsentDialog(self.ctx, self.case_id,
                                                       institution_uuid, self)
        self.consent_dialog.saved.connect(self.recipient.check)
        self.consent_dialog.open()

    # --- issuing ------------------------------------------------------------------------------

    def issue(self) -> None:
        chosen = self.chosen_template()
        if self._busy or chosen is None:
            return
        self.errors.clear()
        self.recipient.error.hide()
        try:
            values = self.fields.values()
        except DateInputError as exc:  # the field says what is wrong and keeps the focus
            self._show_error(exc)
            return
        institution = self.recipient.institution_uuid()
        if self.recipient.wants_institution() and institution is None:
            self.recipient.show_error(NO_INSTITUTION_DE)
            return
        # An unconfirmed warning is refused by the register (DisclosureWarningPending), with
        # its German text, shown at the recipient like a refusal.
        acknowledged = self.recipient.acknowledge.isChecked()
        request = IssueRequest(case_ref=self.case_id, template_key=chosen.key, values=values,
                               recipient_institution_uuid=institution,
                               warning_acknowledged=acknowledged)
        self._busy = True
        self.issue_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: issue_certificate(vault, request),
                    self._issued, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.issue_button.setEnabled(True)
        self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        field = exc.field if isinstance(exc, ValidationFailed) else None
        if field in RECIPIENT_FIELDS or _is_refusal(exc):
            self.recipient.show_error(german_message(exc))
            return
        self.errors.show(exc)
        if field is None or field not in self.errors.labels:
            self.general.setStyleSheet(ERROR_STYLE)

    def _issued(self, result: IssuedCertificate) -> None:
        """Issued: the preview opens (beside the case file, not inside this dialog, which
        closes), then whoever opened the dialog hears of it."""
        self._busy = False
        self.output = show_certificate(self.ctx, self.parentWidget(), result.document,
                                       result.serial)
        self.issued.emit(result)
        self.accept()

    # --- typed input --------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.fields.is_dirty()

    def draft(self) -> dict[str, object]:
        """What is typed and chosen, sealed with the other drafts when Lotse locks."""
        return {"template": self.template.currentData(), "fields": self.fields.texts(),
                "institution": self.recipient.institution_uuid()}

    def restore(self, state: Mapping[str, object]) -> None:
        """Put a draft back (after unlocking); applied once the templates have loaded."""
        if self.templates:
            self._apply(state)
        else:
            self._pending = state

    def _apply(self, state: Mapping[str, object]) -> None:
        self._pending = None
        index = self.template.findData(state.get("template"))
        if index >= 0:  # a template withdrawn meanwhile: the fields would not match
            self.template.setCurrentIndex(index)
            fields = state.get("fields")
            if isinstance(fields, dict):
                self.fields.set_texts(fields)
        institution = state.get("institution")
        if isinstance(institution, str):
            self.recipient.choose_institution(institution)


def _is_refusal(exc: BaseException) -> bool:
    """The consent gate's refusal or its unconfirmed warning, whatever field it names."""
    return isinstance(exc, DisclosureRefused | DisclosureWarningPending)
