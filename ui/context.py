"""What every page gets: the unlocked vault (through app services only), one database worker
thread, and the signals pages use to talk to each other without knowing each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.changes import Changes, recording
from app.faults import domain_error
from app.progress import ProgressFn
from ui.date_field import follow_clock_of
from ui.worker import Runner, Task, drain

if TYPE_CHECKING:  # the unlock window must not pay for the database stack
    from app.session import DesktopSession
    from app.vault.store import Vault

T = TypeVar("T")


def german_message(exc: BaseException) -> str:
    """What the user reads: the domain error's German text, never a technical trace.

    A full or read-only disk and a vault busy in another Lotse process get their own text.
    """
    error = domain_error(exc)
    if error is not None:
        return error.message_de
    return ("Ein unerwarteter Fehler ist aufgetreten. Ihre Eingaben wurden nicht gespeichert; "
            "bitte versuchen Sie es erneut.")


class AppContext(QObject):
    case_open_requested = Signal(int, str)  # case id, section to show ("" = overview)
    # A conference's window (uuid), or a new conference with a case on its agenda (case id,
    # 0 = none): from Heute, a case file or the list; the workspace's conference page opens it.
    conference_open_requested = Signal(str)
    conference_new_requested = Signal(int)
    gap_draft_requested = Signal(str)  # a new gap in "Lücken im System", with this description
    # The Abgleich page's Konflikte tab, filtered to this case uuid ("" = all): from a case file.
    sync_conflicts_requested = Signal(str)
    lock_requested = Signal()  # Ctrl+L in another window of Lotse (a conference's)
    # What a job committed (``app.changes.Changes``), emitted after its callback ran: views
    # refresh only when a change concerns them. Nobody emits it by hand.
    changes = Signal(object)
    locked = Signal()
    unlocked = Signal()
    status_message = Signal(str)

    def __init__(self, session: DesktopSession,
                 view_memory: dict[str, Any] | None = None, *, steering: bool = False) -> None:
        super().__init__()
        self.session = session
        # The vault's role, read at unlock: a steering committee's vault gets its own pages
        # and words (``ui.pages``); the pages read it here instead of being told one by one.
        self.steering = steering
        follow_clock_of(session)  # date fields read "heute" and "+14" by the vault's clock
        # How pages were arranged (sort order, filter codes), kept by the main window across a
        # lock in memory only: the pages are rebuilt at unlock and pick it up from here.
        self.view_memory: dict[str, Any] = {} if view_memory is None else view_memory
        # Worker pools of one thread each, on purpose:
        # - ``db`` runs what the caseworker asks for (saves and the reads that answer them) in
        #   the order asked, never on the GUI thread; one thread, so a save and the reload after
        #   it cannot overtake each other.
        # - ``background`` runs long read-only overviews (Heute over a big caseload). They read
        #   on the vault's reader connections (``Vault.read_session``), and in WAL mode a reader
        #   sees its snapshot beside a writer without either waiting for the other. In one pool
        #   a save clicked while Heute loads would queue behind it for seconds.
        # Locking waits for all of them (``drain``) before the engine is disposed.
        db = QThreadPool(self)
        db.setMaxThreadCount(1)
        self.db = Runner(db, self)
        background = QThreadPool(self)
        background.setMaxThreadCount(1)
        self.background = Runner(background, self)
        # - ``sync`` runs the exchange with the shared drive (``ui.sync.controller``): minutes
        #   on a slow share must hold up neither saves nor Heute. It writes one transaction per
        #   bundle; a save meanwhile waits for the write lock (busy timeout), never fails.
        sync = QThreadPool(self)
        sync.setMaxThreadCount(1)
        self.sync = Runner(sync, self)
        self._discarded = False

    def vault(self) -> Vault:
        return self.session.vault()

    def run(self, fn: Callable[[Vault], T], on_done: Callable[[T], None],
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Run ``fn(vault)`` on the database thread; callbacks arrive on the GUI thread."""
        return self.run_progress(lambda vault, _p: fn(vault), on_done, on_error)

    def run_background(self, fn: Callable[[Vault], T], on_done: Callable[[T], None],
                       on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Like ``run`` for slow reads that must not hold up interactive work. Reads only."""
        return self.run_progress(lambda vault, _p: fn(vault), on_done, on_error,
                                 runner=self.background)

    def run_progress(self, fn: Callable[[Vault, ProgressFn], T], on_done: Callable[[T], None],
                     on_error: Callable[[BaseException], None] | None = None,
                     on_progress: ProgressFn | None = None,
                     runner: Runner | None = None) -> Task:
        """Queue ``fn``; once the lock began (``discard``) nothing new is queued: the widget
        asking is about to go, and the engine must close once the queued work is done."""
        committed: list[Changes] = []  # filled on the worker thread, read after it finished

        def job(progress: ProgressFn) -> Any:
            with recording() as recorder:
                try:
                    return fn(self.vault(), progress)
                finally:  # a job that failed late may have committed earlier units
                    committed.append(recorder.changes)

        def announce() -> None:
            if committed and committed[0]:
                self.changes.emit(committed[0])

        def done(result: Any) -> None:
            if not self._discarded:  # after a lock the widgets that asked are gone
                on_done(result)
                announce()

        def failed(exc: BaseException) -> None:
            if not self._discarded:
                (on_error or self.report_error)(exc)
                announce()

        task = Task(job, done, failed, on_progress)
        return task if self._discarded else (runner or self.db).start(task)

    def report_error(self, exc: BaseException) -> None:
        self.status_message.emit(german_message(exc))

    def discard(self) -> None:
        """At lock: queue nothing new and drop every late result (its widgets are gone).
        Work already queued still runs; ``drain`` waits for it."""
        self._discarded = True

    def drain(self, msecs: int = 30000) -> bool:
        """At lock, after the lock screen shows: wait for every pool with the event loop
        running. False if a pool still ran after ``msecs`` (the others are waited for anyway)."""
        return drain([self.db, self.background, self.sync], msecs)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Tests: block until queued database work (every pool) is done. Every pool is
        waited for, also when the first times out."""
        db_idle = self.db.wait(msecs)
        background_idle = self.background.wait(msecs)
        sync_idle = self.sync.wait(msecs)
        return db_idle and background_idle and sync_idle
