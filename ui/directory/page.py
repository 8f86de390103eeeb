"""Verzeichnis: institutions with their contacts and cooperation agreements (add, edit, and
for agreements also end or delete)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.changes import Changes, Kind
from app.services.directory.read import (
    agreement_detail,
    agreements,
    contact_detail,
    contacts_of,
    institution_detail,
    institutions,
)
from app.services.directory.records import (
    AgreementEntry,
    ContactEntry,
    InstitutionEntry,
    NewAgreement,
)
from app.services.directory.write import delete_agreement, end_agreement
from app.settings import load_settings
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.directory.forms import AgreementDialog, ContactDialog, FormDialog, InstitutionDialog
from ui.directory.table_model import KEY_ROLE, RowsModel, configure_table, fmt_date
from ui.forms import with_clear_button


class DirectoryPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("directoryPage")
        self.entries: dict[str, InstitutionEntry] = {}
        self.agreement_entries: dict[str, AgreementEntry] = {}
        self.dialog: FormDialog | None = None
        self._today = QDate.currentDate()
        self._select_after_load: str | None = None
        self._home = ""  # default municipality from the settings, for new institutions

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Name, Art, Rechtskreis oder Kommune")
        with_clear_button(self.filter, "Suche leeren")
        filter_label = QLabel("&Suchen:")
        filter_label.setBuddy(self.filter)
        self.municipality = QComboBox()
        self.municipality.addItem("Alle Kommunen", "")
        for m in catalogues.municipalities():
            self.municipality.addItem(m.label, m.code)
        municipality_label = QLabel("&Kommune:")
        municipality_label.setBuddy(self.municipality)
        self.new_institution = QPushButton("&Neue Institution …")
        self.edit_institution_button = QPushButton("Institution &bearbeiten …")
        top = QHBoxLayout()
        for widget in (filter_label, self.filter, municipality_label, self.municipality):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.edit_institution_button)
        top.addWidget(self.new_institution)

        self.model = RowsModel(["Name", "Art", "Rechtskreis", "Kommune"], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortLocaleAware(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        configure_table(self.table, "Institutionen")
        table_label = QLabel("&Institutionen:")
        table_label.setBuddy(self.table)

        self.contacts_model = RowsModel(["Name", "Funktion", "Telefon", "E-Mail"], self)
        self.contacts = QTableView()
        self.contacts.setModel(self.contacts_model)
        configure_table(self.contacts, "Kontakte der Institution")
        self.new_contact = QPushButton("Neuer K&ontakt …")
        self.edit_contact_button = QPushButton("Kontakt bearbei&ten …")
        self.agreements_model = RowsModel(["Gegenstand", "Partner", "Datenkategorien",
                                           "Gültig ab", "Gültig bis", "Unterzeichnet am"], self)
        self.agreements = QTableView()
        self.agreements.setModel(self.agreements_model)
        configure_table(self.agreements, "Kooperationsvereinbarungen")
        self.new_agreement = QPushButton("Neue &Vereinbarung …")
        self.edit_agreement_button = QPushButton("Vereinbarung bea&rbeiten …")
        self.end_agreement_button = QPushButton("Vereinbarung be&enden …")
        self.delete_agreement_button = QPushButton("Vereinbarung &löschen …")
        self.agreement_notice = QLabel()  # outlives the reload that the change causes
        self.agreement_notice.setObjectName("agreementNotice")
        self.agreement_notice.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)

        lower = QSplitter()
        lower.addWidget(self._group("Kontakte", self.contacts, self.edit_contact_button,
                                    self.new_contact))
        agreements_box = self._group("Kooperationsvereinbarungen", self.agreements,
                                     self.edit_agreement_button, self.end_agreement_button,
                                     self.delete_agreement_button, self.new_agreement)
        agreements_layout = agreements_box.layout()
        assert isinstance(agreements_layout, QVBoxLayout)
        agreements_layout.addWidget(self.agreement_notice)
        lower.addWidget(agreements_box)
        upper = QWidget()
        upper_column = QVBoxLayout(upper)
        upper_column.setContentsMargins(0, 0, 0, 0)
        upper_column.addWidget(table_label)
        upper_column.addWidget(self.table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.message)
        outer.addWidget(split, 1)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.municipality.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.new_institution.clicked.connect(self.add_institution)
        self.new_contact.clicked.connect(self.add_contact)
        self.new_agreement.clicked.connect(self.add_agreement)
        self.edit_institution_button.clicked.connect(self.edit_institution)
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.table.activated.connect(lambda _index: self.edit_institution())
        self.contacts.activated.connect(lambda _index: self.edit_contact())
        self.edit_agreement_button.clicked.connect(self.edit_agreement)
        self.end_agreement_button.clicked.connect(self.ask_end_agreement)
        self.delete_agreement_button.clicked.connect(self.ask_delete_agreement)
        self.agreements.activated.connect(lambda _index: self.edit_agreement())
        self.agreements.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._update_buttons())
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self._update_buttons()
        self.refresh()

    @staticmethod
    def _group(title: str, table: QTableView, *buttons: QPushButton) -> QGroupBox:
        box = QGroupBox(title)
        column = QVBoxLayout(box)
        column.addWidget(table)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        column.addLayout(row)
        return box

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        code = str(self.municipality.currentData() or "") or None
        self.ctx.run(lambda vault: (institutions(vault, code), vault.clock.today(),
                                    load_settings(vault).default_municipality),
                     self._show, self._failed)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.DIRECTORY):
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))

    def _show(self, data: tuple[list[InstitutionEntry], date, str]) -> None:
        rows, today, self._home = data
        self._today = QDate(today.year, today.month, today.day)
        keep = self._select_after_load or self.current_uuid()
        self._select_after_load = None
        self.entries = {e.uuid: e for e in rows}
        self.model.set_rows([(e.name, e.kind_label, e.legal_domain or "", e.municipality_label)
                             for e in rows], [e.uuid for e in rows])
        self.table.resizeColumnsToContents()
        self.message.setText("" if rows else "Keine Institutionen für diese Auswahl.")
        if keep:
            self.select(keep)
        if self.current_uuid() is None:
            self._show_related(None)

    def current_uuid(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(KEY_ROLE)) if index.isValid() else None

    def select(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_related(str(current.data(KEY_ROLE)) if current.isValid() else None)

    def _show_related(self, uuid: str | None) -> None:
        self._update_buttons()
        if uuid is None:
            self.contacts_model.set_rows([], [])
            self.ctx.run(lambda vault: ([], agreements(vault)), self._show_related_rows,
                         self._failed)
            return
        self.ctx.run(lambda vault: (contacts_of(vault, uuid), agreements(vault, uuid)),
                     self._show_related_rows, self._failed)

    def _show_related_rows(self, data: tuple[list[ContactEntry], list[AgreementEntry]]) -> None:
        contacts, agreed = data
        self.agreement_entries = {a.uuid: a for a in agreed}
        self.contacts_model.set_rows([(c.name, c.role or "", c.phone or "", c.email or "")
                                      for c in contacts], [c.uuid for c in contacts])
        self.agreements_model.set_rows(
            [(a.subject, ", ".join(a.parties), ", ".join(a.data_categories),
              fmt_date(a.valid_from), fmt_date(a.valid_until),
              fmt_date(a.signed_on) if a.signed_on else "nicht unterzeichnet") for a in agreed],
            [a.uuid for a in agreed])
        self.contacts.resizeColumnsToContents()
        if contacts:
            self.contacts.setCurrentIndex(self.contacts_model.index(0, 0))
        self._update_buttons()
        self.agreements.resizeColumnsToContents()

    def _update_buttons(self) -> None:
        selected = self.current_uuid() is not None
        self.new_contact.setEnabled(selected)
        self.edit_institution_button.setEnabled(selected)
        self.edit_contact_button.setEnabled(self.contacts.currentIndex().isValid())
        agreement = self.current_agreement() is not None
        for button in (self.edit_agreement_button, self.end_agreement_button,
                       self.delete_agreement_button):
            button.setEnabled(agreement)

    def current_agreement(self) -> str | None:
        index = self.agreements.currentIndex()
        return str(index.data(KEY_ROLE)) if index.isValid() else None

    def clear(self) -> None:
        self.entries, self.agreement_entries = {}, {}
        for model in (self.model, self.contacts_model, self.agreements_model):
            model.set_rows([], [])

    # -- adding ------------------------------------------------------------------------------

    def _open(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, uuid: str) -> None:
        if isinstance(self.dialog, InstitutionDialog):  # show the new one once reloaded
            self._select_after_load = uuid

    def add_institution(self) -> None:
        code = str(self.municipality.currentData() or "") or self._home or None
        self._open(InstitutionDialog(self.ctx, code, self))

    def add_contact(self) -> None:
        uuid = self.current_uuid()
        if uuid is not None:
            self._open(ContactDialog(self.ctx, uuid, self.entries[uuid].name, self))

    def edit_institution(self) -> None:
        uuid = self.current_uuid()
        if uuid is None:
            return
        self.ctx.run(lambda vault: institution_detail(vault, uuid),
                     lambda old: self._open(InstitutionDialog(self.ctx, None, self,
                                                              existing=(uuid, old))),
                     self._failed)

    def edit_contact(self) -> None:
        uuid, index = self.current_uuid(), self.contacts.currentIndex()
        if uuid is None or not index.isValid():
            return
        contact = str(index.data(KEY_ROLE))
        name = self.entries[uuid].name
        self.ctx.run(lambda vault: contact_detail(vault, contact),
                     lambda old: self._open(ContactDialog(self.ctx, uuid, name, self,
                                                          existing=old)),
                     self._failed)

    def add_agreement(self) -> None:
        choices = [(e.uuid, e.name) for e in self.entries.values()]
        self._open(AgreementDialog(self.ctx, choices, self.current_uuid(), self._today, self))

    # -- agreements: correct, end, delete ------------------------------------------------------

    def edit_agreement(self) -> None:
        uuid = self.current_agreement()
        if uuid is None:
            return
        self.agreement_notice.clear()

        def load(vault: Vault) -> tuple[NewAgreement, list[tuple[str, str]]]:
            # every institution, not just the filtered ones: no party may get lost
            return agreement_detail(vault, uuid), [(e.uuid, e.name) for e in institutions(vault)]

        self.ctx.run(load, lambda data: self._open(AgreementDialog(
            self.ctx, data[1], None, self._today, self, existing=(uuid, data[0]))),
            self._failed)

    def ask_end_agreement(self) -> None:
        uuid = self.current_agreement()
        entry = self.agreement_entries.get(uuid or "")
        if entry is None:
            return
        today = date(self._today.year(), self._today.month(), self._today.day())
        confirm(self, "Vereinbarung beenden",
                f"Die Kooperationsvereinbarung „{entry.subject}“ gilt dann nur noch bis heute "
                f"({fmt_date(today)}). Sie bleibt im Verzeichnis sichtbar.",
                "Vereinbarung be&enden",
                lambda: self._agreement_step(lambda vault: end_agreement(vault, entry.uuid, today),
                                             f"Die Vereinbarung gilt bis {fmt_date(today)}."))

    def ask_delete_agreement(self) -> None:
        uuid = self.current_agreement()
        entry = self.agreement_entries.get(uuid or "")
        if entry is None:
            return
        confirm(self, "Vereinbarung löschen",
                f"Die Kooperationsvereinbarung „{entry.subject}“ wird gelöscht, etwa weil sie "
                "versehentlich erfasst wurde. Eine Vereinbarung, die nicht mehr gilt, besser "
                "„beenden“.",
                "Vereinbarung &löschen",
                lambda: self._agreement_step(lambda vault: delete_agreement(vault, entry.uuid),
                                             "Die Vereinbarung wurde gelöscht."))

    def _agreement_step(self, work: Callable[[Vault], None], done_text: str) -> None:
        def done(_none: None) -> None:
            self.agreement_notice.setText(done_text)

        def failed(exc: BaseException) -> None:
            self.agreement_notice.setText(german_message(exc))

        self.ctx.run(work, done, failed)
