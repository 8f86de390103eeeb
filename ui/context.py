"""What every page gets: the unlocked vault (through app services only), one database worker
thread, and the signals pages use to talk to each other without knowing each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.changes import Changes, recording
from app.faults import domain_error
from app.progress import ProgressFn
from ui.worker import Runner, Task

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
    # What a job committed (``app.changes.Changes``), emitted after its callback ran: views
    # refresh only when a change concerns them. Nobody emits it by hand.
    changes = Signal(object)
    locked = Signal()
    unlocked = Signal()
    status_message = Signal(str)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        # One database thread: service calls run in order and never on the GUI thread.
        db = QThreadPool(self)
        db.setMaxThreadCount(1)
        self.db = Runner(db, self)
        # Long read-only overviews (Heute over a big caseload) run here, so they never queue
        # in front of what the caseworker just asked for (WAL lets readers run side by side).
        background = QThreadPool(self)
        background.setMaxThreadCount(1)
        self.background = Runner(background, self)
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

        return (runner or self.db).start(Task(job, done, failed, on_progress))

    def report_error(self, exc: BaseException) -> None:
        self.status_message.emit(german_message(exc))

    def discard(self) -> None:
        """At lock: finish queued work, then drop every late result (its widgets are gone)."""
        self.wait_idle()
        self._discarded = True

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Tests and lock: wait until queued database work (both threads) is done."""
        return self.db.wait(msecs) and self.background.wait(msecs)
