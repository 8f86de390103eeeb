"""Add and edit forms of the directory: institution, contact, cooperation agreement.

Each dialog stays open when the core refuses the input, shows the German message next to the
field it concerns, and keeps everything typed so far.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.errors import ValidationFailed
from app.services.directory.records import ContactEntry, NewAgreement, NewInstitution
from app.services.directory.write import (
    add_agreement,
    add_contact,
    add_institution,
    update_agreement,
    update_contact,
    update_institution,
)
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.date_field import DateField
from ui.forms import labelled_row


def optional_date(edit: DateField) -> date | None:
    """The date typed, None if left empty; text that is no date raises (the dialog stays)."""
    return edit.value()


def date_field(initial: QDate | None = None) -> DateField:
    """The desktop's date field (``ui.date_field``), optional, showing ``initial`` if given."""
    edit = DateField(optional=True)
    if initial is not None:
        edit.set_value(date(initial.year(), initial.month(), initial.day()))
    return edit


def checkable_list(entries: Sequence[tuple[str, str]], name: str) -> QListWidget:
    """(key, label) entries the user ticks; the key is kept in the item's user data."""
    widget = QListWidget()
    widget.setTabKeyNavigation(False)
    widget.setAccessibleName(name)
    for key, label in entries:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def checked_keys(widget: QListWidget) -> list[str]:
    return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class FormDialog(QDialog):
    saved = Signal(str)  # uuid of the new record

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.errors: dict[str, QLabel] = {}
        self.column = QVBoxLayout(self)
        self.form = QFormLayout()
        self.column.addLayout(self.form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Speichern")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.column.addWidget(self.message)
        self.column.addWidget(self.buttons)

    def row(self, text: str, field: QWidget, key: str) -> None:
        labelled_row(self.form, text, field, self.errors, key)

    def work(self) -> Callable[[Vault], str]:
        raise NotImplementedError

    def submit(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.message.clear()
        try:
            work = self.work()  # reads the dates: one that cannot be read stops here
        except ValidationFailed as exc:
            self._failed(exc)
            return
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        self.ctx.run(work, self._done, self._failed)

    def _done(self, uuid: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.saved.emit(uuid)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        label = self.errors.get(exc.field or "") if isinstance(exc, ValidationFailed) else None
        (label or self.message).setText(german_message(exc))
        (label or self.message).show()


def text_or_none(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


class InstitutionDialog(FormDialog):
    """Adds an institution, or edits one when ``existing`` is (uuid, its current fields)."""

    def __init__(self, ctx: AppContext, municipality: str | None,
                 parent: QWidget | None = None,
                 existing: tuple[str, NewInstitution] | None = None) -> None:
        super().__init__(ctx, "Institution bearbeiten" if existing else "Neue Institution",
                         parent)
        self.uuid = existing[0] if existing else None
        self.name = QLineEdit()
        self.row("&Name:", self.name, "name")
        self.kind = QComboBox()
        for kind in catalogues.institution_kinds():
            self.kind.addItem(kind.label, kind.code)
        self.row("&Art:", self.kind, "kind")
        self.municipality = QComboBox()
        self.municipality.addItem("– keine –", "")
        for m in catalogues.municipalities():
            self.municipality.addItem(m.label, m.code)
        self.municipality.setCurrentIndex(max(self.municipality.findData(municipality or ""), 0))
        self.row("&Kommune:", self.municipality, "municipality")
        self.legal_domain = QLineEdit()
        self.row("&Rechtskreis:", self.legal_domain, "legal_domain")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.street, self.postcode, self.city = QLineEdit(), QLineEdit(), QLineEdit()
        self.row("S&traße:", self.street, "address_street")
        self.row("&PLZ:", self.postcode, "address_postcode")
        self.row("&Ort:", self.city, "address_city")
        self.phone, self.email = QLineEdit(), QLineEdit()
        self.row("Tele&fon:", self.phone, "phone")
        self.row("&E-Mail:", self.email, "email")
        self.finish_layout()
        if existing:
            self._fill(existing[1])

    def _fill(self, old: NewInstitution) -> None:
        self.name.setText(old.name)
        self.kind.setCurrentIndex(max(self.kind.findData(old.kind), 0))
        self.municipality.setCurrentIndex(max(self.municipality.findData(old.municipality or ""),
                                              0))
        for edit, value in ((self.legal_domain, old.legal_domain),
                            (self.street, old.address_street),
                            (self.postcode, old.address_postcode),
                            (self.city, old.address_city), (self.phone, old.phone),
                            (self.email, old.email)):
            edit.setText(value or "")

    def _kind_changed(self) -> None:
        kind = catalogues.institution_kind(str(self.kind.currentData()))
        self.legal_domain.setPlaceholderText(kind.legal_domain or "")

    def work(self) -> Callable[[Vault], str]:
        new = NewInstitution(
            name=self.name.text(), kind=str(self.kind.currentData()),
            municipality=str(self.municipality.currentData()) or None,
            legal_domain=text_or_none(self.legal_domain),
            address_street=text_or_none(self.street),
            address_postcode=text_or_none(self.postcode), address_city=text_or_none(self.city),
            phone=text_or_none(self.phone), email=text_or_none(self.email))
        uuid = self.uuid
        if uuid is not None:
            return lambda vault: update_institution(vault, uuid, new)
        return lambda vault: add_institution(vault, new)


class ContactDialog(FormDialog):
    """Adds a contact to an institution, or edits ``existing``."""

    def __init__(self, ctx: AppContext, institution_uuid: str, institution_name: str,
                 parent: QWidget | None = None, existing: ContactEntry | None = None) -> None:
        title = "Kontakt bearbeiten" if existing else "Neuer Kontakt"
        super().__init__(ctx, f"{title} – {institution_name}", parent)
        self.institution_uuid = institution_uuid
        self.existing = existing
        self.name, self.role = QLineEdit(), QLineEdit()
        self.phone, self.email = QLineEdit(), QLineEdit()
        self.row("&Name:", self.name, "name")
        self.row("&Funktion:", self.role, "role")
        self.row("&Telefon:", self.phone, "phone")
        self.row("&E-Mail:", self.email, "email")
        self.finish_layout()
        if existing:
            for edit, value in ((self.name, existing.name), (self.role, existing.role),
                                (self.phone, existing.phone), (self.email, existing.email)):
                edit.setText(value or "")

    def work(self) -> Callable[[Vault], str]:
        name, role = self.name.text(), text_or_none(self.role)
        phone, email = text_or_none(self.phone), text_or_none(self.email)
        if self.existing is not None:
            contact = self.existing.uuid
            return lambda vault: update_contact(vault, contact, name, role, phone, email)
        uuid = self.institution_uuid
        return lambda vault: add_contact(vault, uuid, name, role, phone, email)


def set_optional_date(edit: DateField, value: date | None) -> None:
    edit.set_value(value)


def check_keys(widget: QListWidget, keys: Sequence[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                           else Qt.CheckState.Unchecked)


class AgreementDialog(FormDialog):
    """Adds an agreement, or edits one when ``existing`` is (uuid, its current fields)."""

    def __init__(self, ctx: AppContext, institutions: Sequence[tuple[str, str]],
                 preselected: str | None, today: QDate, parent: QWidget | None = None,
                 existing: tuple[str, NewAgreement] | None = None) -> None:
        super().__init__(ctx, "Kooperationsvereinbarung bearbeiten" if existing
                         else "Neue Kooperationsvereinbarung", parent)
        self.uuid = existing[0] if existing else None
        self.subject = QLineEdit()
        self.row("&Gegenstand:", self.subject, "subject")
        self.parties = checkable_list(institutions, "Partner")
        for i in range(self.parties.count()):
            if self.parties.item(i).data(Qt.ItemDataRole.UserRole) == preselected:
                self.parties.item(i).setCheckState(Qt.CheckState.Checked)
                self.parties.setCurrentRow(i)
        self.row("&Partner (mindestens zwei):", self.parties, "party_uuids")
        self.categories = checkable_list(
            [(c.code, c.label) for c in catalogues.data_categories()], "Datenkategorien")
        self.row("&Datenkategorien:", self.categories, "data_categories")
        self.valid_from, self.valid_until = date_field(today), date_field()
        self.signed_on = date_field()
        self.row("Gültig &ab:", self.valid_from, "valid_from")
        self.row("Gültig &bis:", self.valid_until, "valid_until")
        self.row("&Unterzeichnet am:", self.signed_on, "signed_on")
        self.finish_layout()
        if existing:
            self._fill(existing[1])

    def _fill(self, old: NewAgreement) -> None:
        self.subject.setText(old.subject)
        check_keys(self.parties, old.party_uuids)
        check_keys(self.categories, old.data_categories)
        set_optional_date(self.valid_from, old.valid_from)
        set_optional_date(self.valid_until, old.valid_until)
        set_optional_date(self.signed_on, old.signed_on)

    def work(self) -> Callable[[Vault], Any]:
        new = NewAgreement(subject=self.subject.text(), party_uuids=checked_keys(self.parties),
                           data_categories=checked_keys(self.categories),
                           valid_from=optional_date(self.valid_from),
                           valid_until=optional_date(self.valid_until),
                           signed_on=optional_date(self.signed_on))
        uuid = self.uuid
        if uuid is not None:
            return lambda vault: update_agreement(vault, uuid, new)
        return lambda vault: add_agreement(vault, new)
