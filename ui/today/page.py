"""Heute: what needs attention today, each item one Enter away from the right part of its case."""

from __future__ import annotations

from PySide6.QtCore import QDate, QItemSelectionModel, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.services.today.read import LIST_LIMIT, today_overview
from app.services.today.records import TodayItem, TodayOverview
from app.settings import STATUS_WINDOWS, load_settings, update_settings
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.forms import fill_with_scrolled

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1  # (case id, section)
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)

# Heute summarises deadlines, statuses, consents and contacts of every case, and the backup.
TODAY_KINDS = (Kind.CASE, Kind.PERSON, Kind.STATUS, Kind.TASK, Kind.CONSENT, Kind.JOURNAL,
               Kind.PLAN, Kind.STAFF, Kind.SETTINGS)


class Section(QGroupBox):
    """A titled list with its count; activating an entry opens its case."""

    def __init__(self, title: str, empty_text: str, name: str) -> None:
        super().__init__()
        self._title = title
        self._empty = empty_text
        self.setObjectName(name)
        self.list = QListWidget()
        self.list.setObjectName(name + "List")
        self.list.setTabKeyNavigation(False)
        self.list.setAccessibleName(title)
        self.list.setMinimumHeight(150)
        self.list.setUniformItemSizes(True)
        # Long lines end in "…" with the full text as tooltip, instead of a sideways scroll.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.list)
        self.set_count(None)

    def set_count(self, count: int | None, unit: str = "") -> None:
        text = self._title if count is None else \
            f"{self._title} ({GERMAN.toString(count)}{unit})"
        self.setTitle(text)
        self.list.setAccessibleName(text)

    def clear(self) -> None:
        self.list.clear()
        self.set_count(None)

    def set_entries(self, entries: list[tuple[str, int, str]], total: int | None = None,
                    cases: int | None = None) -> None:
        """``entries``: (text, case id, section); ``total`` when more exist than are listed;
        ``cases`` instead when only the number of cases behind the entries is known."""
        self.list.clear()
        for text, case_id, section in entries[:LIST_LIMIT]:
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(TARGET_ROLE, (case_id, section))
            self.list.addItem(item)
        count = len(entries) if total is None else total
        listed_cases = len({case_id for _, case_id, _ in entries[:LIST_LIMIT]})
        if cases is not None and cases > listed_cases:
            note = QListWidgetItem(f"… weitere in {GERMAN.toString(cases - listed_cases)} Fällen "
                                   "(unter „Fälle“ mit Frist „überfällig“ filtern)")
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(note)
        elif count > self.list.count():
            note = QListWidgetItem(f"… und {GERMAN.toString(count - self.list.count())} weitere "
                                   "(in der Fallliste filtern)")
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(note)
        if count == 0:
            empty = QListWidgetItem(self._empty)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        else:  # keyboard users start at the top; no row looks selected before that
            self.list.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        if cases is not None:
            self.set_count(cases, " Fall" if cases == 1 else " Fälle")
        else:
            self.set_count(count)


def item_text(item: TodayItem) -> str:
    return f"{item.on:%d.%m.%Y} · {item.case_number} · {item.client} – {item.text}"


class TodayPage(QWidget):
    settings_requested = Signal()  # the backup reminder's button: show "Einstellungen"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("todayPage")
        self._loading = False
        self._pending = False
        self._window: int | None = None  # status window chosen here; None: from settings

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
        self.statuses = Section("Ablaufende Aufenthaltstitel", "Kein Aufenthaltsstatus läuft ab.",
                                "statuses")
        self.consents = Section("Ablaufende Einwilligungen (30 Tage)",
                                "Keine Einwilligung läuft ab.", "consents")
        self.quiet = Section("Fälle ohne Kontakt", "Alle Fälle hatten kürzlich Kontakt.", "quiet")
        self.conferences = Section("Fallkonferenzen der nächsten 30 Tage",
                                   "Keine Fallkonferenz geplant.", "conferences")
        self.sections = [self.overdue, self.upcoming, self.statuses, self.consents, self.quiet,
                         self.conferences]
        for section in self.sections:
            section.list.itemActivated.connect(self._activated)

        # The status window is a segmented choice inside its section.
        self.window_buttons = QButtonGroup(self)
        choice = QHBoxLayout()
        window_label = QLabel("Zeitraum:")
        choice.addWidget(window_label)
        for days in STATUS_WINDOWS:
            button = QRadioButton(f"{days} Tage")
            button.setObjectName(f"window{days}")
            self.window_buttons.addButton(button, days)
            choice.addWidget(button)
        choice.addStretch(1)
        window_label.setBuddy(self.window_buttons.button(STATUS_WINDOWS[0]))
        self.statuses.layout_.insertLayout(0, choice)
        self.window_buttons.idClicked.connect(self._window_chosen)

        grid = QGridLayout()
        for i, section in enumerate(self.sections):
            grid.addWidget(section, i // 2, i % 2)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.heading)
        inner.addWidget(self.reminder)
        inner.addWidget(self.message)
        inner.addLayout(grid)
        inner.addStretch(1)
        fill_with_scrolled(self, body)

        self.overview: TodayOverview | None = None
        ctx.changes.connect(self._on_changes)
        ctx.locked.connect(self.clear)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:  # one load at a time; a change meanwhile loads once more afterwards
            self._pending = True
            return
        self._loading = True
        window = self._window

        def load(vault: Vault) -> TodayOverview:
            settings = load_settings(vault)
            return today_overview(vault, status_window_days=window or settings.status_window_days,
                                  quiet_weeks=settings.quiet_weeks)

        self.ctx.run_background(load, self._show, self._failed)

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
        self.overdue.set_entries([(item_text(i), i.case_id, i.section) for i in data.overdue],
                                 cases=data.overdue_cases)
        self.upcoming.set_entries([(item_text(i), i.case_id, i.section) for i in data.upcoming],
                                  data.upcoming_total)
        self.statuses._title = f"Aufenthaltstitel, die in {data.status_window_days} Tagen ablaufen"
        self.statuses.set_entries([(item_text(i), i.case_id, i.section) for i in data.statuses],
                                  data.statuses_total)
        self.consents.set_entries([(item_text(i), i.case_id, i.section) for i in data.consents],
                                  data.consents_total)
        self.quiet._title = f"Fälle ohne Kontakt seit mehr als {data.quiet_weeks} Wochen"
        self.quiet.set_entries([(item_text(i), i.case_id, i.section) for i in data.quiet],
                               data.quiet_total)
        entries = []
        for conf in data.conferences:
            when = conf.scheduled_at.astimezone()  # stored in UTC, shown in local time
            for case_id, number in conf.cases:
                entries.append((f"{when:%d.%m.%Y, %H:%M} Uhr · {conf.title} · {number}",
                                case_id, "conferences"))
        self.conferences.set_entries(entries, len(data.conferences))
        button = self.window_buttons.button(data.status_window_days)
        if button is not None:
            button.setChecked(True)
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

    # -- actions -----------------------------------------------------------------------------

    def _window_chosen(self, days: int) -> None:
        self._window = days
        self.ctx.run(lambda vault: update_settings(vault, status_window_days=days),
                     lambda _s: self.refresh(), self._failed)

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            case_id, section = target
            self.ctx.case_open_requested.emit(int(case_id), str(section))
