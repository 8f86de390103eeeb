"""Protokoll je Fall: the form for the minutes of one agenda case at a time (legal basis, state
of affairs per covered institution, resources and goals, dissent, system gaps, next review) and
what was typed into it and not saved, per case, while the person moves between the cases.

A part of its own so that the minutes tab keeps to the lifecycle and to storing: this form only
shows and collects; the tab stores what ``unsaved_minutes`` returns and says how it went.

The state of affairs is asked per institution the consent gate covers for that case: what an
institution may not hear about, it cannot report on either."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from app.errors import ValidationFailed
from app.services.conferences.records import (
    AgendaDetail,
    CaseMinutes,
    ConferenceDetail,
    ConsentGate,
)
from ui.casefile._form import date_edit, left_aligned, read_date, set_date


def _text(edit: QPlainTextEdit) -> str | None:
    return edit.toPlainText().strip() or None


def _area(name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)  # Tab leaves the field, as in every other form
    edit.setFixedHeight(56)
    return edit


class CaseMinutesBox(QGroupBox):
    case_shown = Signal(object, bool)  # AgendaDetail | None, writable: the decisions follow
    gap_requested = Signal(str)  # system-gap text to offer to the gap register

    def __init__(self) -> None:
        super().__init__("Protokoll je Fall")
        self.detail: ConferenceDetail | None = None
        self.gate: ConsentGate | None = None
        self.writable = False  # the conference's minutes may change (held, not approved)
        self.edits: dict[str, CaseMinutes] = {}  # agenda uuid -> typed, not yet saved
        self.shown: str | None = None  # agenda uuid in the form

        self.case = QComboBox()
        self.case.setObjectName("minutesCase")
        case_label = QLabel("F&all:")
        case_label.setBuddy(self.case)
        case_form = QFormLayout(self)
        case_form.addRow(case_label, self.case)
        self.legal_basis = QLineEdit()
        self.legal_basis.setObjectName("minutesLegalBasis")
        self.legal_basis.setPlaceholderText("z. B. Einwilligungen vom … / § 69 SGB X")
        case_form.addRow("Rechtsgrundlage der We&itergabe:", self.legal_basis)
        self.affairs_box = QGroupBox("Sachstand je Institution (kurz)")
        self.affairs_form = QFormLayout(self.affairs_box)
        # Institution names are long: each name goes above its field, the field keeps the
        # width a sentence needs.
        self.affairs_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.affairs: dict[str, QLineEdit] = {}
        case_form.addRow(self.affairs_box)
        self.resources = _area("minutesResources")
        case_form.addRow("Ressourcen && &Ziele:", self.resources)
        self.disagreements = _area("minutesDisagreements")
        case_form.addRow("&Dissens:", self.disagreements)
        self.gaps = _area("minutesGaps")
        self.gap_button = QPushButton("In das &Lückenregister übernehmen…")
        self.gap_button.setObjectName("offerGap")
        case_form.addRow("Lücken im S&ystem:", self.gaps)
        case_form.addRow("", left_aligned(self.gap_button))
        self.next_review = date_edit(optional=True)
        self.next_review.setObjectName("minutesNextReview")
        case_form.addRow("&Nächste Überprüfung:", self.next_review)
        self.save_button = QPushButton("Protokoll &speichern")
        self.save_button.setObjectName("saveMinutes")
        case_form.addRow("", left_aligned(self.save_button))
        # addRow with a text makes the label the field's buddy (its Alt key, its name).

        self.case.currentIndexChanged.connect(lambda _i: self._show_case())
        self.gap_button.clicked.connect(lambda: self.gap_requested.emit(self.gaps.toPlainText()))

    def show_detail(self, detail: ConferenceDetail, gate: ConsentGate | None,
                    writable: bool) -> None:
        if self.shown is not None and self.writable:  # typed, not saved: kept over a reload
            self.edits[self.shown] = self.typed()
        self.detail, self.gate, self.writable = detail, gate, writable
        self.edits = {k: v for k, v in self.edits.items()
                      if any(a.uuid == k for a in detail.agenda)} if writable else {}
        current = self.shown
        self.case.blockSignals(True)
        self.case.clear()
        for a in detail.agenda:
            self.case.addItem(f"{a.case_number} · {a.client}", a.uuid)
        self.case.setCurrentIndex(max(self.case.findData(current), 0))
        self.case.blockSignals(False)
        self.shown = None
        self._show_case()

    def current_agenda(self) -> AgendaDetail | None:
        uuid = self.case.currentData()
        return next((a for a in self.detail.agenda if a.uuid == uuid), None) \
            if self.detail else None

    def _show_case(self) -> None:
        if self.shown is not None and self.writable:
            self.edits[self.shown] = self.typed()
        agenda = self.current_agenda()
        self.shown = agenda.uuid if agenda else None
        minutes = (self.edits.get(agenda.uuid, agenda.minutes) if agenda else CaseMinutes())
        while self.affairs_form.rowCount():
            self.affairs_form.removeRow(0)
        self.affairs = {}
        for uuid, name in self._covered(agenda):
            edit = QLineEdit(minutes.state_of_affairs.get(uuid, ""))
            edit.setCursorPosition(0)  # show how the sentence begins, not how it ends
            edit.setObjectName(f"affairs_{uuid}")
            label = QLabel(f"{name}:")
            label.setBuddy(edit)
            self.affairs_form.addRow(label, edit)
            self.affairs[uuid] = edit
        if agenda is not None and not self.affairs:
            self.affairs_form.addRow(QLabel("Keine teilnehmende Institution ist für diesen "
                                            "Fall abgedeckt."))
        self.legal_basis.setText(minutes.legal_basis_note or "")
        self.legal_basis.setCursorPosition(0)
        self.resources.setPlainText(minutes.resources_goals or "")
        self.disagreements.setPlainText(minutes.disagreements or "")
        self.gaps.setPlainText(minutes.system_gap_notes or "")
        set_date(self.next_review, minutes.next_review_on)
        writable = self.writable and agenda is not None
        for edit in (self.legal_basis, *self.affairs.values()):
            edit.setReadOnly(not writable)
        for area in (self.resources, self.disagreements, self.gaps):
            area.setReadOnly(not writable)
        self.next_review.setReadOnly(not writable)
        self.save_button.setEnabled(writable)
        self.gap_button.setEnabled(agenda is not None)
        self.case_shown.emit(agenda, writable)

    def _covered(self, agenda: AgendaDetail | None) -> list[tuple[str, str]]:
        if agenda is None or self.detail is None:
            return []
        names: dict[str, str] = {}
        for p in self.detail.participants:
            if p.institution_uuid and p.institution_name:
                names.setdefault(p.institution_uuid, p.institution_name)
        gate = self.gate
        return [(uuid, name) for uuid, name in names.items()
                if gate is not None and agenda.case_id in gate.covered_cases(uuid)]

    def typed(self) -> CaseMinutes:
        try:
            review = read_date(self.next_review)
        except ValidationFailed:
            review = None
        return CaseMinutes(
            legal_basis_note=self.legal_basis.text().strip() or None,
            state_of_affairs={u: e.text().strip() for u, e in self.affairs.items()
                              if e.text().strip()},
            resources_goals=_text(self.resources), disagreements=_text(self.disagreements),
            system_gap_notes=_text(self.gaps), next_review_on=review)

    def unsaved_minutes(self) -> dict[str, CaseMinutes]:
        """The minutes typed and not saved, per agenda uuid (what a save stores; the drafts
        across a lock)."""
        if not self.writable or self.detail is None:
            return {}
        if self.shown is not None:
            self.edits[self.shown] = self.typed()
        stored = {a.uuid: a.minutes for a in self.detail.agenda}
        return {k: m for k, m in self.edits.items() if m != stored.get(k)}

    def restore_minutes(self, edits: dict[str, CaseMinutes]) -> None:
        """Minutes typed before a lock, over what was loaded (only while they may change)."""
        if not self.writable or self.detail is None:
            return
        known = {a.uuid for a in self.detail.agenda}
        self.edits.update({k: m for k, m in edits.items() if k in known})
        self.shown = None  # show the current case from the restored edits, not over them
        self._show_case()
