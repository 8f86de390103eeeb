"""The consent gate of a referral: what is missing, and recording it right there.

Shown under the referral form when the service refused the referral (``DisclosureRefused``):
the same German explanation ``may_disclose`` gives, then either a consent (the consent form of
the Einwilligungen section, prefilled with institution, categories and purpose) or a legal
basis with its reason for the refused categories. Whatever is recorded is audited by its
service; then ``recorded`` asks the plan section to save the referral again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.consent.records import CONFIDED, DisclosureRefused
from app.services.consent.write import record_consent, record_legal_basis
from app.vault.store import Vault
from ui.casefile._form import (
    ERROR_STYLE,
    date_edit,
    errors_below,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile.sections._consent_form import ConsentForm
from ui.context import AppContext


class LegalBasisForm(QGroupBox):
    """A statutory basis instead of a consent, with its reason (not for confided data)."""

    save_requested = Signal()

    def __init__(self) -> None:
        super().__init__("Oder: Rechtsgrundlage dokumentieren")
        self.setObjectName("legalBasisForm")
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # narrow, beside a table
        self.covers = QLabel()
        self.covers.setObjectName("legalBasisCovers")
        self.covers.setWordWrap(True)
        form.addRow(self.covers)
        self.basis = QLineEdit()
        self.basis.setObjectName("legalBasis")
        self.basis.setPlaceholderText("z. B. § 69 Abs. 1 Nr. 1 SGB X")
        form.addRow("Rechts&grundlage:", self.basis)
        self.reason = QLineEdit()
        self.reason.setObjectName("legalBasisReason")
        form.addRow("&Begründung:", self.reason)
        self.valid_until = date_edit(optional=True)
        self.valid_until.setObjectName("legalBasisValidUntil")
        form.addRow("Gilt &bis:", self.valid_until)
        self.general = QLabel()
        form.addRow(self.general)
        self.save = QPushButton("Rechtsgrundlage speichern und vermitte&ln")
        self.save.setObjectName("saveLegalBasis")
        self.save.clicked.connect(self.save_requested)
        form.addRow("", self.save)
        self.errors = errors_below(form, {"basis": self.basis}, self.general)

    def reset(self) -> None:
        self.basis.clear()
        self.reason.clear()
        set_date(self.valid_until, None)
        self.errors.clear()


class ReferralGate(QGroupBox):
    """Hidden until a referral is refused; ``recorded`` once a consent or basis was saved."""

    recorded = Signal()

    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__("Keine Grundlage für die Weitergabe")
        self.setObjectName("referralGate")
        self.ctx, self.case_id = ctx, case_id
        self._institution = ""
        self._refused: list[str] = []
        self._purpose = ""
        layout = QVBoxLayout(self)
        self.reason = QLabel()
        self.reason.setObjectName("referralGateReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.reason)
        hint = QLabel("Die Vermittlung wird erst gespeichert, wenn eine Einwilligung oder eine "
                      "dokumentierte Rechtsgrundlage jede gewählte Datenkategorie abdeckt.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        categories = [(c.code, c.label) for c in catalogues.data_categories()]
        self.consent = ConsentForm(categories, "Einwilligung erfassen",
                                   "Einwilligung speichern und &vermitteln", "gateConsentForm",
                                   narrow=True)
        self.basis = LegalBasisForm()
        layout.addWidget(self.consent)
        layout.addWidget(self.basis)
        self.dismiss = QPushButton("Abbrechen")
        self.dismiss.setObjectName("referralGateCancel")
        self.dismiss.setToolTip("Nichts erfassen; die Vermittlung bleibt ungespeichert")
        self.dismiss.clicked.connect(self.close_gate)
        layout.addWidget(self.dismiss)
        self.consent.save_requested.connect(self._save_consent)
        self.basis.save_requested.connect(self._save_basis)
        self.hide()

    def set_institutions(self, items: list[tuple[str, str, str | None]]) -> None:
        self.consent.set_institutions(items)

    def open_for(self, institution_uuid: str, purpose: str, refused: DisclosureRefused) -> None:
        """Explain what is missing and prefill both ways of recording it."""
        self._institution, self._purpose = institution_uuid, purpose
        self._refused = [code for code, _, _ in refused.refused]
        self.reason.setText(refused.message_de)
        self.setAccessibleDescription(refused.message_de)
        self.consent.reset()
        self.consent.restore({"institution": institution_uuid, "purpose": purpose,
                              "categories": self._refused})
        self.basis.reset()
        labels = {c.code: c.label for c in catalogues.data_categories()}
        basis_codes = [c for c in self._refused if c != CONFIDED]
        self.basis.setEnabled(bool(basis_codes))
        self.basis.covers.setText(
            "Gilt für: " + ", ".join(labels.get(c, c) for c in basis_codes) if basis_codes else
            "In der Beratung anvertraute Informationen dürfen nur mit ausdrücklicher "
            "Einwilligung weitergegeben werden.")
        self.show()
        self.consent.given_on.setFocus()

    def close_gate(self) -> None:
        self._refused = []
        self.consent.reset()
        self.basis.reset()
        self.hide()

    # --- recording what is missing ------------------------------------------------------------

    def _save_consent(self) -> None:
        new = self.consent.value()
        if not new.institution_uuid:
            self.consent.errors.show(ValidationFailed("Bitte die Institution wählen.",
                                                      "no institution", field="institution"))
            return
        self.consent.errors.clear()
        self.consent.save.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.consent.save.setEnabled(True)
            self.consent.errors.show(exc)

        run_guarded(self, self.ctx, lambda v: record_consent(v, self.case_id, new),
                    self._recorded, failed)

    def _save_basis(self) -> None:
        codes = [c for c in self._refused if c != CONFIDED]
        basis, reason = self.basis.basis.text(), self.basis.reason.text()
        until = read_date(self.basis.valid_until)
        institution, case_id = self._institution, self.case_id
        if not codes:
            return
        self.basis.errors.clear()
        self.basis.save.setEnabled(False)

        def store(vault: Vault) -> list[str]:
            today = vault.clock.today()
            return [record_legal_basis(vault, case_id, institution, code, basis, reason, today,
                                       until) for code in codes]

        def failed(exc: BaseException) -> None:
            self.basis.save.setEnabled(True)
            self.basis.errors.show(exc)

        run_guarded(self, self.ctx, store, self._recorded, failed)

    def _recorded(self, _result: object) -> None:
        self.consent.save.setEnabled(True)
        self.basis.save.setEnabled(True)
        self.close_gate()
        self.recorded.emit()
