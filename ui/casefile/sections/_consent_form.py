"""The form to record a consent (Schweigepflichtentbindung) as it is on the signed paper."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app import catalogues
from app.services.consent.records import CONFIDED, NewConsent
from ui.casefile._form import (
    ERROR_STYLE,
    date_edit,
    errors_below,
    read_date,
    set_date,
)


class ConsentForm(QGroupBox):
    save_requested = Signal()

    def __init__(self, categories: list[tuple[str, str]], title: str = "Einwilligung erfassen",
                 save_text: str = "Einwilligung &speichern", name: str = "consentForm",
                 narrow: bool = False) -> None:
        super().__init__(title)
        self.setObjectName(name)
        form = QFormLayout(self)
        if narrow:  # beside a table (the referral gate): labels above their fields
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.institution = QComboBox()
        self.institution.setObjectName("consentInstitution")
        form.addRow("&Institution:", self.institution)
        self.warning = QLabel()
        self.warning.setObjectName("disclosureWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.warning.hide()
        form.addRow("", self.warning)
        self.category_box = QGroupBox("Datenkategorien")
        grid = QGridLayout(self.category_box)
        self.categories: dict[str, QCheckBox] = {}
        shown = [(code, label) for code, label in categories if code != CONFIDED]
        for i, (code, label) in enumerate(shown):
            box = QCheckBox(label)
            box.setObjectName(f"category_{code}")
            self.categories[code] = box
            grid.addWidget(box, *((i, 0) if narrow else (i // 2, i % 2)))
        form.addRow(self.category_box)
        self.purpose = QLineEdit()
        self.purpose.setObjectName("consentPurpose")
        form.addRow("&Zweck:", self.purpose)
        self.given_on = date_edit()
        self.given_on.setObjectName("consentGivenOn")
        form.addRow("&Erteilt am:", self.given_on)
        self.valid_until = date_edit(optional=True)
        self.valid_until.setObjectName("consentValidUntil")
        form.addRow("&Gültig bis:", self.valid_until)
        self.language = QLineEdit()
        self.language.setObjectName("consentLanguage")
        self.language.setPlaceholderText("z. B. Arabisch")
        # The catalogue's German names, stored as codes; another language can still be typed.
        self.language.setCompleter(QCompleter([lang.label for lang in catalogues.languages()],
                                              self.language))
        form.addRow("&Sprache des Informationsblatts:", self.language)
        self.interpreter = QCheckBox("&Dolmetscher:in war anwesend")
        self.interpreter.setObjectName("consentInterpreter")
        form.addRow("", self.interpreter)
        self.confided = QCheckBox("Umfasst auch in der Beratung an&vertraute Informationen")
        self.confided.setObjectName("consentConfided")
        form.addRow("", self.confided)
        self.general = QLabel()
        self.general.setStyleSheet(ERROR_STYLE)
        form.addRow(self.general)
        self.save = QPushButton(save_text)
        self.save.setObjectName("saveConsent")
        self.save.clicked.connect(self.save_requested)
        form.addRow("", self.save)
        self.errors = errors_below(form, {
            "institution": self.institution, "data_categories": self.category_box,
            "purpose": self.purpose, "valid_until": self.valid_until}, self.general)
        self.institution.currentIndexChanged.connect(self._show_warning)
        self._warnings: dict[str, str] = {}

    def set_institutions(self, items: list[tuple[str, str, str | None]]) -> None:
        """(uuid, display name, disclosure warning) for each institution of the directory."""
        # A restored draft may name an institution before the directory has arrived.
        current = self.institution.property("pending") or self.institution.currentData()
        self.institution.setProperty("pending", None)
        self.institution.blockSignals(True)
        self.institution.clear()
        self.institution.addItem("– bitte wählen –", None)
        self._warnings = {}
        for uuid, name, warning in items:
            self.institution.addItem(name, uuid)
            if warning:
                self._warnings[uuid] = warning
        index = self.institution.findData(current) if current else 0
        self.institution.setCurrentIndex(max(index, 0))
        self.institution.blockSignals(False)
        self._show_warning()

    def warning_for(self, uuid: str | None) -> str | None:
        return self._warnings.get(uuid or "")

    def _show_warning(self) -> None:
        text = self.warning_for(self.institution.currentData())
        self.warning.setText(text or "")
        self.warning.setVisible(bool(text))

    def value(self) -> NewConsent:
        codes = [code for code, box in self.categories.items() if box.isChecked()]
        if self.confided.isChecked():
            codes.append(CONFIDED)  # the flag and the category go together
        given = read_date(self.given_on)
        assert given is not None
        return NewConsent(
            institution_uuid=str(self.institution.currentData() or ""), data_categories=codes,
            purpose=self.purpose.text(), given_on=given, valid_until=read_date(self.valid_until),
            info_sheet_language=catalogues.language_code(self.language.text()) or None,
            interpreter_present=self.interpreter.isChecked(),
            covers_confided=self.confided.isChecked())

    def is_dirty(self) -> bool:
        return bool(self.purpose.text().strip() or self.language.text().strip()
                    or any(b.isChecked() for b in self.categories.values())
                    or self.institution.currentData())

    def reset(self) -> None:
        self.purpose.clear()
        self.language.clear()
        for box in (*self.categories.values(), self.interpreter, self.confided):
            box.setChecked(False)
        self.institution.setCurrentIndex(0)
        set_date(self.valid_until, None)
        self.errors.clear()

    def state(self) -> dict[str, object]:
        return {"institution": self.institution.currentData(), "purpose": self.purpose.text(),
                "categories": [c for c, b in self.categories.items() if b.isChecked()],
                "given_on": read_date(self.given_on), "valid_until": read_date(self.valid_until),
                "language": self.language.text(), "interpreter": self.interpreter.isChecked(),
                "confided": self.confided.isChecked()}

    def restore(self, state: dict[str, object]) -> None:
        """A draft or a prefill (from the referral gate); ``confided`` among the categories
        ticks the confided-information flag."""
        self.purpose.setText(str(state.get("purpose") or ""))
        self.language.setText(str(state.get("language") or ""))
        chosen = state.get("categories")
        for code, box in self.categories.items():
            box.setChecked(isinstance(chosen, list) and code in chosen)
        self.interpreter.setChecked(bool(state.get("interpreter")))
        self.confided.setChecked(bool(state.get("confided"))
                                 or (isinstance(chosen, list) and CONFIDED in chosen))
        set_date(self.given_on, state.get("given_on"))
        set_date(self.valid_until, state.get("valid_until"))
        index = self.institution.findData(state.get("institution"))
        if index >= 0:
            self.institution.setCurrentIndex(index)
        else:  # the directory is loaded later; remember the wish until then
            self.institution.setProperty("pending", state.get("institution"))

