"""Sync runs in the background: "Jetzt synchronisieren" (F5), every few minutes and right after
unlocking while a share is set and reachable, never two at once, stopped at the lock.

``SyncController`` exists from unlock to lock and runs ``run_sync`` on the context's own sync
pool, so a slow share holds up neither saves nor Heute; it shows the status and its runs in the
window's ``SyncStatusBar``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.changes import Changes
from app.services.sync.read import status
from app.services.sync.records import SyncReport, SyncStatus
from app.services.sync.write import run_sync
from app.vault.store import Vault
from ui.context import AppContext, german_message
from ui.sync.labels import report_is_news, report_line, status_line
from ui.sync.status_bar import SyncStatusBar

AUTO_MINUTES = 5
STATUS_DELAY_MS = 500  # a burst of saves reads the status once
ALREADY_RUNNING_DE = "Der Abgleich läuft bereits."
NO_SHARE_HINT_DE = ("Es ist kein Austauschordner eingerichtet (Einstellungen → Austausch). "
                    "Bis dahin bleibt alles in diesem Tresor.")


class SyncController(QObject):
    """One per unlocked session; ``stop`` at the lock (the window's lock calls it)."""

    finished = Signal(object)  # SyncReport, after its line was shown
    status_shown = Signal(object)  # SyncStatus

    def __init__(self, ctx: AppContext, widget: SyncStatusBar,
                 say: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.widget, self.say = ctx, widget, say
        self.status: SyncStatus | None = None
        self.running = False
        self._stop: threading.Event | None = None
        self._line = ""  # the service's last progress line, written on the sync thread
        self._stopped = False
        self._manual = False  # the running sync was asked for (F5): its result is always said
        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_MINUTES * 60 * 1000)
        self.auto_timer.timeout.connect(self.auto)
        self.status_timer = QTimer(self)
        self.status_timer.setSingleShot(True)
        self.status_timer.setInterval(STATUS_DELAY_MS)
        self.status_timer.timeout.connect(self.refresh)
        widget.cancel_requested.connect(self.cancel)
        ctx.changes.connect(self._on_changes)  # bound methods only: nothing outlives the lock
        ctx.locked.connect(self.stop)

    def start(self) -> None:
        """Right after unlocking: read the status, then sync once if the share is there."""
        self.auto_timer.start()
        self.refresh(then_sync=True)

    # -- status ------------------------------------------------------------------------------

    def refresh(self, *, then_sync: bool = False) -> None:
        if self._stopped:
            return
        self.ctx.run_background(status, lambda s: self._status(s, then_sync),
                                self._status_failed)

    def _status(self, current: SyncStatus, then_sync: bool = False) -> None:
        self.status = current
        if not self.running:
            self.widget.show_line(status_line(current, steering=self.ctx.steering))
        self.status_shown.emit(current)
        if then_sync and current.share_folder is not None and current.share_reachable:
            self.sync_now(auto=True)

    def _status_failed(self, exc: BaseException) -> None:
        self.widget.show_line(german_message(exc))

    def _on_changes(self, _changes: Changes) -> None:
        # Any save may add to the outbox or end a conflict: the line follows, coalesced.
        if not self._stopped:
            self.status_timer.start()

    # -- runs --------------------------------------------------------------------------------

    def auto(self) -> None:
        current = self.status
        if current is not None and current.share_folder is not None and not self.running:
            self.refresh(then_sync=True)  # reachable now? the status says, then it runs

    def sync_now(self, *, auto: bool = False) -> bool:
        """False if a run is already going (or the session is locking)."""
        if self._stopped:
            return False
        if self.running:
            if not auto:
                self.say(ALREADY_RUNNING_DE)
            return False
        if not auto and self.status is not None and self.status.share_folder is None:
            self.say(NO_SHARE_HINT_DE)
        self.running = True
        self._manual = not auto
        stop = self._stop = threading.Event()
        self._line = ""
        self.widget.show_running()

        def work(vault: Vault, progress: Callable[[int, int], None]) -> SyncReport:
            def report(done: int, total: int, line: str) -> None:
                self._line = line
                progress(done, total)

            return run_sync(vault, report, stop.is_set)

        self.ctx.run_progress(work, self._done, self._failed, self._progress,
                              runner=self.ctx.sync)
        return True

    def _progress(self, done: int, total: int) -> None:
        self.widget.report(done, total, self._line)

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self.widget.cancel.setEnabled(False)
            self.widget.line.setText("Abgleich wird abgebrochen …")

    def _finish(self) -> None:
        self.running = False
        self._stop = None
        self.widget.show_idle()

    def _done(self, report: SyncReport) -> None:
        manual = self._manual
        self._finish()
        if manual or report_is_news(report):
            self.say(report_line(report, steering=self.ctx.steering))
        self.finished.emit(report)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.say("Abgleich fehlgeschlagen: " + german_message(exc))
        self.refresh()

    def stop(self) -> None:
        """At the lock: no new runs; a running one stops after its current bundle (the lock
        drains the sync pool before the key goes)."""
        self._stopped = True
        self.auto_timer.stop()
        self.status_timer.stop()
        if self._stop is not None:
            self._stop.set()
