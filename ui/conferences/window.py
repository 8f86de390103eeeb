"""One case conference in a window of its own (beside the main window, not a tab: a
conference spans several cases, and the caseworker keeps the case files open next to it).

Parts: Planung, Einwilligungen (the consent gate), Durchführung & Protokoll, Ausfertigungen
(the output panel). The window belongs to the Fallkonferenzen page and so to the workspace:
locking throws it away with everything else; the page reopens it after unlocking. Closing it
with unsaved input asks first, as a case file does."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.read import header
from app.services.cases.records import CaseHeader
from app.services.conferences.read import conference_detail, consent_gate
from app.services.conferences.records import PLANNED, CaseMinutes, ConferenceDetail, ConsentGate
from app.vault.store import Vault
from ui.casefile._form import fmt_datetime, run_guarded
from ui.conferences.drafts import (
    minutes_draft,
    plan_draft,
    read_minutes_draft,
    restore_plan,
)
from ui.conferences.gate import GateTab
from ui.conferences.minutes import MinutesTab
from ui.conferences.output import OutputPanel
from ui.conferences.planning import PlanningTab
from ui.context import AppContext, german_message
from ui.workspace import ask_discard

Loaded = tuple[ConferenceDetail, ConsentGate]


class ConferenceWindow(QWidget):
    closed = Signal()

    def __init__(self, ctx: AppContext, uuid: str | None, case_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("conferenceWindow")
        self.ctx = ctx
        self.uuid = uuid
        self._read_audited = False  # the opening is audited once (reload)
        self.detail: ConferenceDetail | None = None
        self._draft: dict[str, Any] | None = None  # planning input to put back once loaded
        self._minutes_draft: dict[str, CaseMinutes] = {}  # minutes typed before a lock
        self.setWindowTitle("Neue Fallkonferenz" if uuid is None else "Fallkonferenz")
        self.heading = QLabel("Neue Fallkonferenz" if uuid is None else
                              "Fallkonferenz wird geladen …")
        self.heading.setObjectName("conferenceHeading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        self.planning = PlanningTab(ctx)
        self.gate = GateTab(ctx)
        self.minutes = MinutesTab(ctx)
        self.output = QWidget()
        self.output.setObjectName("conferenceOutput")
        self.output_panel: QWidget | None = None  # built once the conference is stored
        QVBoxLayout(self.output).addWidget(QLabel("Vorschau, Druck und PDF des Protokolls je "
                                                  "Teilnehmer:in erscheinen hier."))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("conferenceParts")
        self.tabs.addTab(self.planning, "&Planung")
        self.tabs.addTab(self.gate, "Einwilli&gungen")
        self.tabs.addTab(self.minutes, "Dur&chführung && Protokoll")
        self.tabs.addTab(self.output, "A&usfertigungen")
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.message)
        column.addWidget(self.tabs, 1)

        self.planning.saved.connect(self._plan_saved)
        self.gate.recorded.connect(self.reload)
        self.minutes.changed.connect(self.reload)
        self.minutes.gap_requested.connect(self._offer_gap)
        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.activated.connect(self._save_shortcut)
        close = QShortcut(QKeySequence("Ctrl+W"), self)
        close.activated.connect(self.close)
        # The main window's Ctrl+L works in its own window only: locking must work here too.
        lock = QShortcut(QKeySequence("Ctrl+L"), self)
        lock.activated.connect(ctx.lock_requested)
        self.resize(1180, 680)
        self._enable_parts()
        if uuid is not None:
            self.reload()
        elif case_id:
            run_guarded(self, ctx, lambda vault: header(vault, case_id), self._case_loaded,
                        self._failed)
        self.planning.title.setFocus()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        uuid = self.uuid
        if uuid is None:
            return

        # The opening is audited once; reloads after this window's own saves are not reads.
        audited = not self._read_audited
        self._read_audited = True

        def load(vault: Vault) -> Loaded:
            return conference_detail(vault, uuid, audited=audited), consent_gate(vault, uuid)

        run_guarded(self, self.ctx, load, self._loaded, self._failed)

    def _loaded(self, loaded: Loaded) -> None:
        detail, gate = loaded
        self.detail = detail
        self.message.hide()
        when = fmt_datetime(detail.scheduled_at)
        self.heading.setText(f"{detail.title} – {when} Uhr – {detail.status_label}")
        self.setWindowTitle(f"Fallkonferenz – {detail.title}")
        self.planning.show_detail(detail)
        if self._draft is not None and detail.status == PLANNED:
            restore_plan(self.planning, self._draft)
        self._draft = None
        self.gate.uuid = detail.uuid
        self.gate.locked = detail.locked
        self.gate.show_gate(gate)
        self.minutes.show_detail(detail, gate)
        if self._minutes_draft:  # typed before the lock: over what was just loaded
            self.minutes.restore_minutes(self._minutes_draft)
        self._minutes_draft = {}
        self._enable_parts()
        if self.output_panel is None:
            self.output_panel = self._output_for(detail.uuid)
            if self.output_panel is not None:
                self.set_output_widget(self.output_panel)

    def _case_loaded(self, case: CaseHeader) -> None:
        client = f"{case.family_name}, {case.given_names}"
        self.planning.add_case_entry(case.id, f"{case.case_number} · {client}", client)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))
        self.message.show()

    def _enable_parts(self) -> None:
        known = self.uuid is not None
        for index in (1, 2, 3):
            self.tabs.setTabEnabled(index, known)

    def _plan_saved(self, uuid: str) -> None:
        self.uuid = uuid
        self.gate.uuid = uuid
        self._enable_parts()
        self.reload()

    def _output_for(self, uuid: str) -> QWidget | None:
        """The Ausfertigungen part (preview, print, PDF per participant) of a stored
        conference."""
        return OutputPanel(self.ctx, uuid)

    def set_output_widget(self, widget: QWidget) -> None:
        """The output panel in place of the placeholder's content."""
        layout = self.output.layout()
        assert layout is not None
        while layout.count():
            item = layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        layout.addWidget(widget)

    # --- keys and closing ---------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.planning and self.planning.save_button.isEnabled():
            self.planning.save()
        elif current is self.minutes and self.minutes.case_form.save_button.isEnabled():
            self.minutes.save()

    def _offer_gap(self, text: str) -> None:
        self.ctx.gap_draft_requested.emit(text)

    def draft_state(self) -> dict[str, Any]:
        """Which conference, and the planning input and minutes not yet saved (for the
        workspace's drafts across a lock)."""
        state: dict[str, Any] = {"uuid": self.uuid}
        plan = plan_draft(self.planning)
        if plan is not None:
            state["plan"] = plan
        minutes = self.minutes.unsaved_minutes()
        if minutes:
            state["minutes"] = minutes_draft(minutes)
        return state

    def restore_draft(self, plan: dict[str, Any] | None, minutes: object = None) -> None:
        """Input from before the lock: planning input now for a new conference; for a stored
        one, planning input and minutes after loading (the load would overwrite them)."""
        self._minutes_draft = read_minutes_draft(minutes)
        if plan is None:
            return
        if self.uuid is None:
            restore_plan(self.planning, plan)
        else:
            self._draft = plan

    def has_unsaved_changes(self) -> bool:
        return self.planning.has_unsaved_changes() or self.minutes.has_unsaved_changes()

    def closeEvent(self, event: QCloseEvent) -> None:
        title = self.detail.title if self.detail else "Neue Fallkonferenz"
        if self.has_unsaved_changes() and not ask_discard(self, title):
            event.ignore()
            return
        event.accept()
        self.closed.emit()
