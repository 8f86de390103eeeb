"""The case file's consent form, opened from the certificate's recipient when the gate refused:
prefilled with the institution, the purpose "Bescheinigung" and the categories a certificate
discloses, as the conference gate opens it for one of its cells."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import catalogues
from app.errors import ValidationFailed
from app.services.certificates.records import CERTIFICATE_CATEGORIES, CERTIFICATE_PURPOSE
from app.services.consent.write import record_consent
from app.services.directory.read import institutions
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.casefile.sections._consent_form import ConsentForm
from ui.context import AppContext


def institution_items(vault: Vault) -> list[tuple[str, str, str | None]]:
    warnings = {k.code: k.disclosure_warning for k in catalogues.institution_kinds()}
    return [(i.uuid, f"{i.name} ({i.kind_label})", warnings.get(i.kind))
            for i in institutions(vault)]


class CertificateConsentDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx: AppContext, case_id: int, institution_uuid: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("certificateConsentDialog")
        self.setWindowTitle("Einwilligung erfassen")
        self.ctx, self.case_id = ctx, case_id
        column = QVBoxLayout(self)
        why = QLabel("Für das Senden der Bescheinigung an die Institution fehlt eine "
                     "Einwilligung. Bitte so erfassen, wie sie unterschrieben vorliegt.")
        why.setWordWrap(True)
        column.addWidget(why)
        self.form = ConsentForm([(c.code, c.label) for c in catalogues.data_categories()],
                                "Einwilligung (wie auf dem unterschriebenen Blatt)")
        self.form.restore({"institution": institution_uuid, "purpose": CERTIFICATE_PURPOSE,
                           "categories": list(CERTIFICATE_CATEGORIES)})
        self.form.save_requested.connect(self._save)
        column.addWidget(self.form)
        cancel = QPushButton("Abbrechen")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        column.addLayout(row)
        run_guarded(self, ctx, institution_items, self.form.set_institutions)
        self.form.given_on.setFocus()
        self.resize(640, 560)

    def _save(self) -> None:
        form = self.form
        try:
            new = form.value()
        except ValidationFailed as exc:
            form.errors.show(exc)
            return
        if not new.institution_uuid:
            form.errors.show(ValidationFailed("Bitte die Institution wählen.",
                                              "no institution", field="institution"))
            return
        case_id = self.case_id
        form.save.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: record_consent(vault, case_id, new),
                    self._done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.form.save.setEnabled(True)
        self.form.errors.show(exc)

    def _done(self, _uuid: str) -> None:
        self.saved.emit()
        self.accept()
