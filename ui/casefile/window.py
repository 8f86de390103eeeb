"""The case file ("Fallakte") of one case: header, section navigation, the sections.

Sections come from a registry (:data:`SECTIONS`) so further sections plug in without this
module knowing them; the window only relies on the small protocol in ``_section``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.services.cases import read as casefile_read
from app.services.cases.records import CaseHeader
from ui.casefile import _section
from ui.casefile._form import fmt_date
from ui.casefile._section import DraftState, SectionSpec, alive
from ui.casefile.documentation import DocumentationSection
from ui.casefile.history import HistorySection
from ui.casefile.journal import JournalSection
from ui.casefile.overview import PersonSection
from ui.casefile.phase import PhaseSection
from ui.casefile.sections.consents import ConsentsSection
from ui.casefile.sections.documents import DocumentsSection
from ui.casefile.sections.plan import PlanSection
from ui.casefile.sections.tasks import TasksSection
from ui.casefile.status import StatusSection
from ui.context import AppContext, german_message

# Order follows a caseworker's day: who, what was agreed, status, contacts, plan, deadlines,
# consents, documents; the phase step and the protocol last. Alt+1…9, 0 follow this order.
SECTIONS: list[SectionSpec] = [
    SectionSpec("", "Person & Haushalt", PersonSection),
    SectionSpec("documentation", "Klärung & Vereinbarungen", DocumentationSection),
    SectionSpec("status", "Aufenthalt", StatusSection),
    SectionSpec("journal", "Verlauf", JournalSection),
    SectionSpec("plan", "Assessment & Hilfeplan", PlanSection),
    SectionSpec("tasks", "Aufgaben & Fristen", TasksSection),
    SectionSpec("consents", "Einwilligungen", ConsentsSection),
    SectionSpec("documents", "Dokumente", DocumentsSection),
    SectionSpec("phase", "Phase", PhaseSection),
    SectionSpec("history", "Protokoll", HistorySection),
]


def tab_title(header: CaseHeader) -> str:
    """ "Öztürk, A. – DO-2026-K7-0042": short enough for a tab, unambiguous by the number."""
    initial = header.given_names.strip()[:1]
    name = f"{header.family_name}, {initial}." if initial else header.family_name
    return f"{name} – {header.case_number}"


def phase_label(code: str) -> str:
    return catalogues.label_or_code(catalogues.phases(), code)


class CaseFileWidget(QWidget):
    title_changed = Signal(str)

    def __init__(self, ctx: AppContext, case_id: int,
                 sections: Sequence[SectionSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id = case_id
        self.header_data: CaseHeader | None = None
        self.specs = list(SECTIONS if sections is None else sections)
        self.sections: dict[str, QWidget] = {}
        self._stale: set[str] = set()
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
        self.nav.setCurrentRow(0)  # before connecting: refresh() below loads the first section
        self.nav.currentRowChanged.connect(self._row_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_header())
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        self.setTabOrder(self.nav, self.stack)
        ctx.changed.connect(self._on_changed)
        ctx.unlocked.connect(self._on_changed)  # what was shown before the lock is reloaded
        self.refresh()

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
        return frame

    # --- navigation ---------------------------------------------------------------------------

    def current_section(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def section(self, code: str) -> QWidget:
        return self.sections[code]

    def show_section(self, code: str) -> None:
        """Show a section by code ("" = overview); unknown codes show the overview."""
        row = next((i for i, s in enumerate(self.specs) if s.code == code), 0)
        self.nav.setCurrentRow(row)
        self.nav.setFocus()  # arrows keep moving through sections; Tab enters the section

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        code = self.specs[row].code
        self.stack.setCurrentWidget(self.sections[code])
        if code in self._stale:
            self._stale.discard(code)
            _section.refresh(self.sections[code])

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the header and the visible section; the others reload when shown."""
        case_id = self.case_id
        self.ctx.run(lambda vault: casefile_read.header(vault, case_id),
                     self._header_loaded, self._header_failed)
        visible = self.current_section()
        self._stale = set(self.sections) - {visible}
        _section.refresh(self.sections[visible])

    def _on_changed(self, _what: str = "") -> None:
        self._refresh_timer.start()

    def _header_loaded(self, header: CaseHeader) -> None:
        if not alive(self):
            return
        self.header_data = header
        self.header_error.hide()
        self.header_name.setText(f"{header.family_name}, {header.given_names}")
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
        if alive(self):
            self.header_error.setText(german_message(exc))
            self.header_error.show()

    # --- unsaved input ------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return any(_section.is_dirty(w) for w in self.sections.values())

    def draft_state(self) -> dict[str, DraftState]:
        """Each section's draft by section code; sections without typed input are left out."""
        drafts: dict[str, DraftState] = {}
        for code, widget in self.sections.items():
            draft = _section.draft_of(widget)
            if draft is not None:
                drafts[code] = draft
        return drafts

    def restore_draft(self, state: dict[str, DraftState]) -> None:
        for code, draft in state.items():
            widget = self.sections.get(code)
            if widget is not None and isinstance(draft, dict):
                _section.restore(widget, draft)
