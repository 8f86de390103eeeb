"""The case file ("Fallakte") of one case: header, section navigation, the sections.

Sections come from a registry (:data:`SECTIONS`) so further sections plug in without this
module knowing them; the window only relies on the abstract ``Section`` in ``_section``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from app import catalogues
from app.changes import Changes, Kind
from app.client_name import client_name
from app.services.cases import read as casefile_read
from app.services.cases.records import CaseHeader
from app.services.conflicts.records import ConflictRow
from app.services.handover.records import RecordMarks
from ui.casefile._form import fmt_date, run_guarded
from ui.casefile._section import DraftState, Section, SectionCode, SectionSpec
from ui.casefile._sync_marks import apply_marks
from ui.casefile.sections.certificates import CertificatesSection
from ui.casefile.sections.consents import ConsentsSection
from ui.casefile.sections.documentation import DocumentationSection
from ui.casefile.sections.documents import DocumentsSection
from ui.casefile.sections.history import HistorySection
from ui.casefile.sections.journal import JournalSection
from ui.casefile.sections.overview import PersonSection
from ui.casefile.sections.phase import PhaseSection
from ui.casefile.sections.plan import PlanSection
from ui.casefile.sections.status import StatusSection
from ui.casefile.sections.tasks import TasksSection
from ui.context import AppContext, german_message
from ui.page_hosts import CaseTab
from ui.sync.case_line import CaseSyncLine

# Order follows a caseworker's day: who, what was agreed, status, contacts, plan, deadlines,
# consents, documents; the phase step and the protocol last. Alt+1…9, 0 follow this order.
# Certificates came later: eleventh, so that Alt+1…0 keep the sections people know them for
# (reached by the arrow keys in the list, and from the register page).
SECTIONS: list[SectionSpec] = [
    SectionSpec(SectionCode.PERSON, "Person & Haushalt", PersonSection),
    SectionSpec(SectionCode.DOCUMENTATION, "Klärung & Vereinbarungen", DocumentationSection),
    SectionSpec(SectionCode.STATUS, "Aufenthalt", StatusSection),
    SectionSpec(SectionCode.JOURNAL, "Verlauf", JournalSection),
    SectionSpec(SectionCode.PLAN, "Assessment & Hilfeplan", PlanSection),
    SectionSpec(SectionCode.TASKS, "Aufgaben & Fristen", TasksSection),
    SectionSpec(SectionCode.CONSENTS, "Einwilligungen", ConsentsSection),
    SectionSpec(SectionCode.DOCUMENTS, "Dokumente", DocumentsSection),
    SectionSpec(SectionCode.PHASE, "Phase", PhaseSection),
    SectionSpec(SectionCode.HISTORY, "Protokoll", HistorySection),
    SectionSpec(SectionCode.CERTIFICATES, "Bescheinigungen", CertificatesSection),
]


def tab_title(header: CaseHeader) -> str:
    """ "Öztürk, A. – DO-2026-K7-0042": short enough for a tab, unambiguous by the number."""
    initial = header.given_names.strip()[:1]
    name = f"{header.family_name}, {initial}." if initial else (
        header.family_name or client_name("", ""))
    return f"{name} – {header.case_number}"


# Where a synced record shows: its section gets the conflict mark.
CONFLICT_SECTIONS: dict[str, SectionCode] = {
    "person": SectionCode.PERSON, "household": SectionCode.PERSON,
    "case_file": SectionCode.DOCUMENTATION, "residence_status": SectionCode.STATUS,
    "journal_entry": SectionCode.JOURNAL, "assessment": SectionCode.PLAN,
    "goal": SectionCode.PLAN, "measure": SectionCode.PLAN, "referral": SectionCode.PLAN,
    "task": SectionCode.TASKS, "consent": SectionCode.CONSENTS,
    "consent_scope": SectionCode.CONSENTS, "legal_basis": SectionCode.CONSENTS,
    "disclosure": SectionCode.CONSENTS, "attachment": SectionCode.DOCUMENTS,
    "phase_transition": SectionCode.PHASE, "certificate": SectionCode.CERTIFICATES,
}
CONFLICT_MARK = " ⚠"

# The sync line's dialog in the case file's draft: a key no section code can take.
SYNC_DRAFT = "sync_line"

# Section codes as the audit log names what a person looked at.
VIEWED: dict[str, str] = {SectionCode.PERSON: "person", SectionCode.STATUS: "statuses"}


def phase_label(code: str) -> str:
    return catalogues.label_or_code(catalogues.phases(), code)


class CaseFileWidget(CaseTab):
    def __init__(self, ctx: AppContext, case_id: int,
                 sections: Sequence[SectionSpec] | None = None, section: str = "") -> None:
        super().__init__(case_id)
        self.ctx = ctx
        self.header_data: CaseHeader | None = None
        self.specs = list(SECTIONS if sections is None else sections)
        self.sections: dict[SectionCode, Section] = {}
        self._stale: set[SectionCode] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)  # coalesce several change signals into one reload
        self._refresh_timer.timeout.connect(self.refresh)

        self.nav = QListWidget()
        self.nav.setAccessibleName("Abschnitte der Fallakte")
        self.nav.setMaximumWidth(220)
        self.stack = QStackedWidget()
        for number, spec in enumerate(self.specs, start=1):
            key = str(number % 10)  # the tenth section sits on Alt+0, as on the keyboard row
            item = QListWidgetItem(f"{key}  {spec.label}" if number <= 10 else spec.label)
            item.setData(Qt.ItemDataRole.UserRole, spec.code)
            if number <= 10:
                item.setToolTip(f"Alt+{key}")
                shortcut = QShortcut(QKeySequence(f"Alt+{key}"), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda code=spec.code: self.show_section(code))
            self.nav.addItem(item)
            widget = spec.factory(ctx, case_id)
            self.sections[spec.code] = widget
            self.stack.addWidget(widget)
            self._stale.add(spec.code)
        # Before connecting: refresh() below loads the section the opener asked for, and only it.
        self.nav.setCurrentRow(self._row_of(section))
        self.stack.setCurrentIndex(self.nav.currentRow())
        self.nav.currentRowChanged.connect(self._row_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_header())
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        self.setTabOrder(self.nav, self.stack)
        ctx.changes.connect(self._on_changes)
        ctx.unlocked.connect(self._refresh_timer.start)  # what was shown before the lock
        self.refresh()
        self._record_view(self.current_section())  # the person opened this case, here

    def _build_header(self) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        self.header_name = QLabel("Fallakte wird geladen …")
        self.header_name.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.header_number = QLabel()
        self.header_phase = QLabel()
        self.header_manager = QLabel()
        self.header_deadline = QLabel()
        self.header_error = QLabel()
        self.header_error.setWordWrap(True)
        self.header_error.hide()
        for label in (self.header_name, self.header_number, self.header_phase,
                      self.header_manager, self.header_deadline):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.header_name, 0, 0, 1, 4)
        grid.addWidget(self.header_number, 1, 0)
        grid.addWidget(self.header_phase, 1, 1)
        grid.addWidget(self.header_manager, 1, 2)
        grid.addWidget(self.header_deadline, 1, 3)
        grid.addWidget(self.header_error, 2, 0, 1, 4)
        # Target group, municipality and case manager are corrected at the top of "Klärung &
        # Vereinbarungen"; the header, where the case manager shows, leads there.
        self.header_change = change = QPushButton("Ändern …")  # no mnemonic: sections own those
        change.setObjectName("changeCaseAttributes")
        change.setToolTip("Zielgruppe, Kommune oder Fallmanager:in ändern")
        change.clicked.connect(self._change_attributes)
        grid.addWidget(change, 1, 4, Qt.AlignmentFlag.AlignLeft)
        # With whom the case is shared, its conflicts, a handed-over stub (issue 12).
        self.sync_line = CaseSyncLine(self.ctx, self.case_id)
        self.sync_line.conflicts_loaded.connect(self._mark_conflicts)
        # Each record's own state, in its row of whichever section shows it.
        self.sync_line.marks_loaded.connect(self._mark_records)
        self.sync_line.read_only_changed.connect(self._read_only)
        grid.addWidget(self.sync_line, 3, 0, 1, 5)
        return frame

    def _mark_conflicts(self, rows: list[ConflictRow]) -> None:
        """A section holding a record with an open conflict says so in the section list."""
        by_section: dict[SectionCode, list[str]] = {}
        for row in rows:
            code = CONFLICT_SECTIONS.get(row.table)
            if code is not None:
                by_section.setdefault(code, []).append(
                    f"Konflikt: {row.record_label} – {row.field_label} – im Abgleich lösen")
        for index, spec in enumerate(self.specs):
            item = self.nav.item(index)
            text = item.text().removesuffix(CONFLICT_MARK)
            notes = by_section.get(spec.code)
            item.setText(text + CONFLICT_MARK if notes else text)
            key = str((index + 1) % 10)
            item.setToolTip("\n".join([f"Alt+{key}" if index < 10 else "", *(notes or [])])
                            .strip())

    def _mark_records(self, marks: RecordMarks) -> None:
        apply_marks(self.stack, marks)

    def _read_only(self, read_only: bool) -> None:
        """Handed over: the stub is read only. Its fields are disabled (the services refuse
        every save in German as well); the section list stays usable for looking through."""
        self.header_change.setEnabled(not read_only)
        self.stack.setEnabled(not read_only)

    def _change_attributes(self) -> None:
        self.show_section(SectionCode.DOCUMENTATION)
        section = self.sections.get(SectionCode.DOCUMENTATION)
        if isinstance(section, DocumentationSection) and section.isEnabled():
            section.case_fields.manager.setFocus()

    # --- navigation ---------------------------------------------------------------------------

    def current_section(self) -> SectionCode:
        row = self.nav.currentRow()
        return self.specs[row].code if 0 <= row < len(self.specs) else self.specs[0].code

    def section_code(self) -> str:
        return str(self.current_section())

    def section(self, code: str) -> Section:
        return self.sections[SectionCode(code)]

    def show_section(self, code: str) -> None:
        """Show a section by code ("" = overview); unknown codes show the overview."""
        self.nav.setCurrentRow(self._row_of(code))
        self.nav.setFocus()  # arrows keep moving through sections; Tab enters the section

    def _row_of(self, code: str) -> int:
        wanted = SectionCode.parse(code)
        return next((i for i, s in enumerate(self.specs) if s.code == wanted), 0)

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        code = self.specs[row].code
        self.stack.setCurrentWidget(self.sections[code])
        self._record_view(code)  # the person turned to this section
        if code in self._stale:
            self._stale.discard(code)
            self.sections[code].refresh()

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the header and the visible section; the others reload when shown."""
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: casefile_read.header(vault, case_id),
                    self._header_loaded, self._header_failed)
        self.sync_line.refresh()
        visible = self.current_section()
        self._stale = set(self.sections) - {visible}
        self.sections[visible].refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches_case(self.case_id):
            self._refresh_timer.start()
        elif changes.touches(Kind.SYNC):  # shared, handed over, a conflict solved elsewhere
            self.sync_line.refresh()

    def _record_view(self, code: str) -> None:
        section = VIEWED.get(code, code)
        case_id = self.case_id
        self.ctx.run(lambda vault: casefile_read.record_view(vault, case_id, section),
                     lambda _none: None)

    def _header_loaded(self, header: CaseHeader) -> None:
        self.header_data = header
        self.header_error.hide()
        self.header_name.setText(client_name(header.family_name, header.given_names))
        self.header_number.setText(f"Aktenzeichen: {header.case_number}")
        self.header_phase.setText(f"Phase: {phase_label(header.phase)}")
        self.header_manager.setText(f"Fallmanager:in: {header.case_manager}")
        self.header_deadline.setText(
            f"Nächste Frist: {fmt_date(header.next_deadline) or 'keine'}"
            + (" (überfällig)" if header.overdue else ""))
        # Red as in the case list; the words say it for those who cannot see the colour.
        self.header_deadline.setStyleSheet("color: #a40000;" if header.overdue else "")
        self.title_changed.emit(tab_title(header))

    def _header_failed(self, exc: BaseException) -> None:
        self.header_error.setText(german_message(exc))
        self.header_error.show()

    # --- unsaved input ------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return (any(section.has_unsaved_changes() for section in self.sections.values())
                or self.sync_line.draft_state() is not None)

    def draft_state(self) -> dict[str, DraftState]:
        """Each section's draft by section code; sections without typed input are left out."""
        drafts: dict[str, DraftState] = {}
        for code, section in self.sections.items():
            draft = section.draft_state()
            if draft is not None:
                drafts[str(code)] = draft
        line = self.sync_line.draft_state()  # "Vertretung einrichten" / "Fall übergeben"
        if line is not None:
            drafts[SYNC_DRAFT] = line
        return drafts

    def restore_draft(self, state: dict[str, DraftState]) -> None:
        line = state.get(SYNC_DRAFT)
        if isinstance(line, dict):
            self.sync_line.restore_draft(line)
        by_code = {str(code): section for code, section in self.sections.items()}
        for code, draft in state.items():
            section = by_code.get(code)  # a section that no longer exists: its draft is dropped
            if section is not None and isinstance(draft, dict):
                section.restore_draft(draft)
