"""Heute: what needs attention today, each item one Enter away from the right part of its case.

A stored follow-up is marked done or postponed right here; a computed one (a status or consent
about to expire) ends when the renewal is recorded, so its item opens the case at that section.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.services.tasks.write import complete_task, update_task
from app.services.today.read import today_overview
from app.services.today.records import TodayItem, TodayOverview
from app.settings import STATUS_WINDOWS, load_settings, update_settings
from app.vault.store import Vault
from ui.casefile._form import alive, run_guarded
from ui.context import AppContext, german_message
from ui.forms import fill_with_scrolled
from ui.today.postpone import PostponeDialog
from ui.today.section import GERMAN, TARGET_ROLE, Section, item_text

# Heute summarises deadlines, statuses, consents and contacts of every case, and the backup.
TODAY_KINDS = (Kind.CASE, Kind.PERSON, Kind.STATUS, Kind.TASK, Kind.CONSENT, Kind.JOURNAL,
               Kind.PLAN, Kind.STAFF, Kind.SETTINGS)
CONFERENCE = "conference:"  # an entry's target: the conference (uuid follows), not a case
RENEWABLE = {"status_expiry": "status", "consent_expiry": "consents", "status": "status",
             "consent": "consents"}


def _entries(items: list[TodayItem]) -> list[tuple[str, TodayItem | None, int, str]]:
    return [(item_text(i), i, i.case_id, i.section) for i in items]


class TodayPage(QWidget):
    settings_requested = Signal()  # the backup reminder's button: show "Einstellungen"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("todayPage")
        self._loading = False
        self._pending = False
        self._window: int | None = None  # status window chosen here; None: from settings
        self._only_mine: bool | None = None  # chosen here; None: from settings
        self.overview: TodayOverview | None = None
        self.postpone_dialog: PostponeDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        self.reminder = QFrame()
        self.reminder.setObjectName("backupReminder")
        self.reminder.setFrameShape(QFrame.Shape.StyledPanel)
        self.reminder.setStyleSheet("#backupReminder { background: #fff4ce; }")
        self.reminder_text = QLabel()
        self.reminder_text.setWordWrap(True)
        self.reminder_button = QPushButton("Jetzt &sichern …")
        self.reminder_button.clicked.connect(self.settings_requested.emit)
        row = QHBoxLayout(self.reminder)
        row.addWidget(self.reminder_text, 1)
        row.addWidget(self.reminder_button)
        self.reminder.hide()

        self.overdue = Section("Überfällige Wiedervorlagen", "Nichts überfällig.", "overdue")
        self.upcoming = Section("Wiedervorlagen der nächsten 14 Tage", "Keine Wiedervorlagen.",
                                "upcoming")
        # Duldung and Gestattung are no Aufenthaltstitel: the block is about every status.
        self.statuses = Section("Ablaufender Aufenthaltsstatus", "Kein Aufenthaltsstatus läuft ab.",
                                "statuses")
        self.consents = Section("Ablaufende Einwilligungen", "Keine Einwilligung läuft ab.",
                                "consents")
        self.quiet = Section("Fälle ohne Kontakt", "Alle Fälle hatten kürzlich Kontakt.", "quiet")
        self.conferences = Section("Fallkonferenzen der nächsten 30 Tage",
                                   "Keine Fallkonferenz geplant.", "conferences")
        self.sections = [self.overdue, self.upcoming, self.statuses, self.consents, self.quiet,
                         self.conferences]
        self._focused: Section = self.overdue  # the block the actions below work on
        for section in self.sections:
            section.list.itemActivated.connect(self._activated)
            section.list.currentItemChanged.connect(self._update_actions)
            section.list.installEventFilter(self)

        # What Heute looks at: the owner's cases or all, and how far ahead statuses and
        # consents are shown (30/60/90 days); both remembered in the vault's settings.
        self.only_mine = QCheckBox("&nur meine Fälle")
        self.only_mine.setObjectName("onlyMine")
        self.only_mine.setToolTip("Nur Fälle, deren Fallmanager:in Sie sind")
        self.only_mine.toggled.connect(self._mine_chosen)
        self.window_buttons = QButtonGroup(self)
        choice = QHBoxLayout()
        choice.addWidget(self.only_mine)
        choice.addSpacing(24)
        window_label = QLabel("Zeitraum für Status und Einwilligungen:")
        choice.addWidget(window_label)
        for days in STATUS_WINDOWS:
            button = QRadioButton(f"{days} Tage")
            button.setObjectName(f"window{days}")
            self.window_buttons.addButton(button, days)
            choice.addWidget(button)
        choice.addStretch(1)
        window_label.setBuddy(self.window_buttons.button(STATUS_WINDOWS[0]))
        self.window_buttons.idClicked.connect(self._window_chosen)

        # Actions on the chosen entry of the block last used.
        self.done_button = QPushButton("Erle&digt")
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self._mark_done)
        self.postpone_button = QPushButton("Verschie&ben …")
        self.postpone_button.setObjectName("postponeButton")
        self.postpone_button.clicked.connect(self._postpone)
        self.renew_button = QPushButton("Verlängerung e&rfassen")
        self.renew_button.setObjectName("renewButton")
        self.renew_button.clicked.connect(self._renew)
        self.chosen = QLabel()
        self.chosen.setObjectName("chosenEntry")
        # Any length of entry wraps here instead of widening the page beyond the window.
        self.chosen.setWordWrap(True)
        self.chosen.setMinimumWidth(1)
        self.chosen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions = QHBoxLayout()
        for action in (self.done_button, self.postpone_button, self.renew_button):
            action.setAutoDefault(False)
            actions.addWidget(action)
        actions.addWidget(self.chosen, 1)
        self._update_actions()

        grid = QGridLayout()
        for i, section in enumerate(self.sections):
            grid.addWidget(section, i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.heading)
        inner.addWidget(self.reminder)
        inner.addWidget(self.message)
        inner.addLayout(choice)
        inner.addLayout(actions)
        inner.addLayout(grid)
        inner.addStretch(1)
        fill_with_scrolled(self, body)

        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:  # one load at a time; a change meanwhile loads once more afterwards
            self._pending = True
            return
        self._loading = True
        window, mine = self._window, self._only_mine

        def load(vault: Vault) -> TodayOverview:
            settings = load_settings(vault)
            return today_overview(
                vault, status_window_days=window or settings.status_window_days,
                quiet_weeks=settings.quiet_weeks,
                only_mine=settings.today_only_mine if mine is None else mine)

        # Outcomes may arrive after the page is gone (closed window, lock): dropped then.
        def show(data: TodayOverview) -> None:
            if alive(self):
                self._show(data)

        def failed(exc: BaseException) -> None:
            if alive(self):
                self._failed(exc)

        self.ctx.run_background(load, show, failed)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*TODAY_KINDS):
            self.refresh()

    def _finish(self) -> None:
        self._loading = False
        if self._pending:
            self._pending = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(german_message(exc))
        self.message.show()
        self._finish()

    def _show(self, data: TodayOverview) -> None:
        self.overview = data
        self.message.hide()
        day = QDate(data.today.year, data.today.month, data.today.day)
        self.heading.setText(f"<h2>Heute, {GERMAN.toString(day, 'dddd, dd.MM.yyyy')}</h2>")
        self._show_reminder(data)
        self.only_mine.blockSignals(True)
        self.only_mine.setChecked(data.only_mine)
        self.only_mine.blockSignals(False)
        days = data.status_window_days
        self.overdue.set_entries(_entries(data.overdue), cases=data.overdue_cases)
        self.upcoming.set_entries(_entries(data.upcoming), data.upcoming_total)
        self.statuses.title_text = f"Aufenthaltsstatus, die in {days} Tagen ablaufen"
        self.statuses.set_entries(_entries(data.statuses), data.statuses_total)
        self.consents.title_text = f"Einwilligungen, die in {days} Tagen ablaufen"
        self.consents.set_entries(_entries(data.consents), data.consents_total)
        self.quiet.title_text = f"Fälle ohne Kontakt seit mehr als {data.quiet_weeks} Wochen"
        self.quiet.set_entries(_entries(data.quiet), data.quiet_total)
        entries: list[tuple[str, TodayItem | None, int, str]] = []
        for conf in data.conferences:
            when = conf.scheduled_at.astimezone()  # stored in UTC, shown in local time
            place = conf.place or "Ort noch offen"
            head = f"{when:%d.%m.%Y, %H:%M} Uhr · {place}\n{conf.title}"
            numbers = ", ".join(number for _case_id, number in conf.cases) \
                or "noch kein Fall auf der Tagesordnung"
            # Enter opens the conference; its agenda opens each case.
            entries.append((f"{head} · {numbers}", None, 0, CONFERENCE + conf.uuid))
        self.conferences.set_entries(entries, len(data.conferences))
        chosen = self.window_buttons.button(days)
        if chosen is not None:
            chosen.setChecked(True)
        self._update_actions()
        self._finish()

    def _show_reminder(self, data: TodayOverview) -> None:
        if not data.backup_due:
            self.reminder.hide()
            return
        if data.last_backup is None:
            text = ("<b>Es gibt noch keine Datensicherung dieses Tresors.</b> Sichern Sie ihn "
                    "regelmäßig, zum Beispiel auf das Netzlaufwerk.")
        else:
            text = (f"<b>Die letzte Datensicherung ist älter als eine Woche</b> (vom "
                    f"{data.last_backup.astimezone():%d.%m.%Y}). Bitte jetzt sichern.")
        self.reminder_text.setText(text)
        self.reminder.show()

    def clear(self) -> None:
        """On lock: nothing personal stays on screen."""
        self.overview = None
        for section in self.sections:
            section.clear()
        self._update_actions()

    # -- choices -----------------------------------------------------------------------------

    def _window_chosen(self, days: int) -> None:
        self._window = days
        run_guarded(self, self.ctx,
                    lambda vault: update_settings(vault, status_window_days=days),
                    lambda _s: self.refresh(), self._failed)

    def _mine_chosen(self, mine: bool) -> None:
        self._only_mine = mine
        run_guarded(self, self.ctx, lambda vault: update_settings(vault, today_only_mine=mine),
                    lambda _s: self.refresh(), self._failed)

    # -- the chosen entry and its actions ----------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The actions follow the block the keyboard focus last entered, not every list
        whose current row changes (each refresh sets one in every list)."""
        if event.type() == QEvent.Type.FocusIn:
            for section in self.sections:
                if section.list is watched:
                    self._focused = section
                    self._update_actions()
        return super().eventFilter(watched, event)

    def current_item(self) -> TodayItem | None:
        return self._focused.current()

    def _update_actions(self) -> None:
        item = self.current_item() if self.overview is not None else None
        stored = item is not None and item.stored
        self.done_button.setEnabled(stored)
        self.postpone_button.setEnabled(stored)
        self.renew_button.setEnabled(item is not None and item.kind in RENEWABLE)
        self.chosen.setText("" if item is None else
                            f"{item.case_number} · {item.client}: {item.text}")

    def _back_to_list(self) -> None:
        self._focused.list.setFocus()

    def _mark_done(self) -> None:
        item = self.current_item()
        if item is None or not item.stored or item.source_uuid is None:
            return
        uuid = item.source_uuid

        def done(vault: Vault) -> None:
            complete_task(vault, uuid, vault.clock.today())

        run_guarded(self, self.ctx, done, lambda _r: self._back_to_list(), self._failed)

    def _postpone(self) -> None:
        item = self.current_item()
        if item is None or not item.stored or item.source_uuid is None or self.overview is None:
            return
        self.postpone_dialog = PostponeDialog(
            self, f"{item.case_number} · {item.client}: {item.text}", self.overview.today)
        uuid, dialog = item.source_uuid, self.postpone_dialog

        def finished(_result: int) -> None:
            due = dialog.chosen
            dialog.deleteLater()
            self.postpone_dialog = None
            if due is None:
                self._back_to_list()
                return
            run_guarded(self, self.ctx, lambda vault: update_task(vault, uuid, due_on=due),
                        lambda _r: self._back_to_list(), self._failed)

        dialog.finished.connect(finished)
        dialog.open()  # window-modal, without a nested event loop

    def _renew(self) -> None:
        item = self.current_item()
        if item is not None and item.kind in RENEWABLE:
            self.ctx.case_open_requested.emit(item.case_id, RENEWABLE[item.kind])

    def _activated(self, entry: QListWidgetItem) -> None:
        target = entry.data(TARGET_ROLE)
        if target and str(target[1]).startswith(CONFERENCE):
            # Its window (Fallkonferenzen owns it): planning, consents, minutes.
            self.ctx.conference_open_requested.emit(str(target[1])[len(CONFERENCE):])
            return
        if target and target[0]:
            case_id, section = target
            self.ctx.case_open_requested.emit(int(case_id), str(section))

