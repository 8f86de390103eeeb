"""Main window: create/unlock, then the workspace; locks on Ctrl+L and after idle time.

Locking seals unsaved input (app.drafts), throws the whole workspace away, drops the key and
clears what Lotse put on the clipboard; unlocking rebuilds it and puts the drafts, the open case
files and the field the keyboard was in back. How the pages were arranged (sort order, filters)
stays in this window's memory across the lock (``view_memory``), never on disk. The passphrase
is overwritten once the key derivation is done with it.

Layout: the menu bar on top (``menuBar()``), then tool-bar rows for bars that concern every
screen (the anchor alarm, the demo notice, the first-start orientation), then the stack of unlock
page and workspace.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from app.progress import ProgressFn
from app.vault.memory import wipe_str
from ui import garbage, worker
from ui.anchor_alarm import show_anchor_alarm
from ui.clipboard import ClipboardGuard
from ui.context import AppContext, german_message
from ui.demo_banner import install_demo_banner
from ui.help_menu import install_help_menu
from ui.idle import IdleWatcher
from ui.orientation import show_orientation_once
from ui.secret_field import scrub_secret_fields
from ui.session_events import SessionEvents
from ui.sync.shell import SyncShell
from ui.unlock_page import UnlockPage

if TYPE_CHECKING:
    from app.anchoring import AnchorStatus
    from app.drafts import TakenDrafts
    from app.session import DesktopSession
    from app.vault.store import Vault
    from ui.create_page import CreatePage
    from ui.page_hosts import CaseTab
    from ui.workspace import PageSpec, Workspace

# Loaded while the unlock window waits for the passphrase: the window itself needs only Qt,
# and start-up stays well under a second. The Qt-free core (SQLAlchemy, models, services) loads
# on a thread. The pages load on the GUI thread, one per event-loop turn: PySide creates its
# wrapper types lazily on first use, which is not thread-safe (a page imported on the warm-up
# thread while the GUI thread built an enum crashed the process).
WARM_UP_THREAD = "warm-up"
WARM_UP_CORE = ("app.session", "app.settings", "app.services")
WARM_UP_PAGES = ("ui.workspace", "ui.pages", "ui.caselist.page", "ui.today.page",
                 "ui.directory.page", "ui.gaps.page", "ui.settings.page", "ui.casefile.window",
                 "ui.sync.page")


def _warm_up_core() -> None:
    for name in WARM_UP_CORE:
        module = importlib.import_module(name)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{name}.{info.name}")


def _warm_up_pages(names: list[str]) -> None:
    if names:
        importlib.import_module(names[0])
        QTimer.singleShot(0, lambda: _warm_up_pages(names[1:]))

GEOMETRY_KEY = "window/geometry"
LOCK_DRAIN_MS = 30000  # per worker pool: how long a running query may finish before the lock
LOCKING = "Wird gesperrt …"
LOCKED = "Gesperrt."
LOCKED_KEPT = "Gesperrt. Ungespeicherte Eingaben sind sicher verwahrt."
LOCKED_LOST = ("Gesperrt. Ihre ungespeicherten Eingaben konnten nicht gesichert werden und sind "
               "verloren (zum Beispiel, weil die Festplatte voll ist oder ein anderes Programm "
               "die Datei sperrt). Bitte erfassen Sie sie nach dem Entsperren erneut.")


@dataclass(frozen=True)
class Opened:
    """What the window needs from the store right after unlocking, read on the worker."""

    idle_minutes: int
    drafts: TakenDrafts  # the state to restore, or why a drafts file was refused
    anchor: AnchorStatus  # store and audit anchor compared: a disagreement shows a red bar
    steering: bool  # a steering committee's vault: its own pages (``ui.pages``)


def _opened(session: DesktopSession, vault: Vault) -> Opened:
    from app.services.audit.read import anchor_status
    from app.services.steering.read import receives_reports
    from app.settings import load_settings

    return Opened(load_settings(vault).idle_lock_minutes, session.take_drafts(),
                  anchor_status(vault), receives_reports(vault))


class MainWindow(QMainWindow):
    def __init__(self, folder: Path, demo_passphrase: str | None = None,
                 pages: Callable[[bool], list[PageSpec]] | None = None,
                 case_factory: Callable[[AppContext, int, str], CaseTab] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Lotse")
        self._pages = pages
        self._case_factory = case_factory
        self._folder, self._demo_passphrase = folder, demo_passphrase
        self._session: DesktopSession | None = None
        self.ctx: AppContext | None = None
        self.workspace: Workspace | None = None
        self.view_memory: dict[str, Any] = {}  # page arrangement across locks, never on disk
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock_page = UnlockPage(str(folder), demo_passphrase)
        self.stack.addWidget(self.unlock_page)
        self.create_page: CreatePage | None = None
        self.progress = QProgressBar()
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.unlock_page.unlock_requested.connect(self._unlock)
        # A steering committee's vault? Known from the first unlock on (one vault a window),
        # so Hilfe still explains this vault's work while it is locked.
        self.steering = False
        self.help_menu = install_help_menu(self, folder, lambda: self.ctx,  # Hilfe, F1
                                           lambda: self.steering)
        self.sync = SyncShell(self)  # Abgleich menu, F5, the sync line in the status bar
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        self.idle = IdleWatcher(minutes=5)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        # Screen locked or laptop going to sleep: the same lock as Ctrl+L.
        self.session_events = SessionEvents(self)
        self.session_events.lock_requested.connect(self._lock_if_unlocked)
        self.clipboard = ClipboardGuard(self)
        self._task: worker.Task | None = None
        self._locking = False
        self._restore_geometry()
        if (folder / "lotse.key").exists() or demo_passphrase:
            self.stack.setCurrentWidget(self.unlock_page)
            # Not a daemon: the interpreter waits for it at exit. A daemon thread still inside an
            # extension module's import when Lotse quits (closed within its first second) aborts
            # the process ("FATAL: exception not rethrown", SIGABRT) instead of exiting.
            threading.Thread(target=_warm_up_core, name=WARM_UP_THREAD, daemon=False).start()
            # After the first paint: the window shows at once, the pages load behind it.
            QTimer.singleShot(100, lambda: _warm_up_pages(list(WARM_UP_PAGES)))
        else:
            self._show_create_page()

    @property
    def session(self) -> DesktopSession:
        if self._session is None:
            from app.session import DesktopSession

            self._session = DesktopSession(self._folder, demo_passphrase=self._demo_passphrase)
        return self._session

    def _show_create_page(self) -> None:
        from ui.create_page import CreatePage  # first start only: loads the catalogues

        self.create_page = CreatePage()
        self.create_page.create_requested.connect(self._create)
        self.stack.addWidget(self.create_page)
        self.stack.setCurrentWidget(self.create_page)

    # --- unlocking -----------------------------------------------------------------------
    def _unlock(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        session = self.session
        passphrase = self.unlock_page.take_passphrase()

        def unlock(progress: ProgressFn) -> Opened:
            try:
                vault = session.unlock(passphrase, progress)
            finally:
                wipe_str(passphrase)  # the key derivation is done with it, right or wrong
            return _opened(session, vault)

        self._task = worker.start(unlock, self._unlocked, self._unlock_failed,
                                  self._on_progress)

    def _create(self, name: str, municipality: str, passphrase: str) -> None:
        session = self.session
        if self.create_page is not None:  # passphrase and repetition: not needed any more
            scrub_secret_fields(self.create_page.findChildren(QLineEdit))

        def create(_progress: ProgressFn) -> Opened:
            try:
                vault = session.create(name, municipality, passphrase)
            finally:
                wipe_str(passphrase)
            return _opened(session, vault)

        self._task = worker.start(create, self._unlocked, self._create_failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage("Demo-Daten werden angelegt …")

    def _unlocked(self, opened: Opened) -> None:
        self._task = None  # its closure held the passphrase (overwritten by now)
        self.progress.hide()
        self.statusBar().clearMessage()
        self.unlock_page.passphrase.clear()
        from ui.pages import case_file, page_specs
        from ui.workspace import Workspace

        self.steering = opened.steering
        self.ctx = AppContext(self.session, self.view_memory, steering=opened.steering)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.ctx.lock_requested.connect(self.lock)  # Ctrl+L in a window of its own
        self.workspace = Workspace(self.ctx, (self._pages or page_specs)(opened.steering),
                                   self._case_factory or case_file)
        self._wire_pages(self.workspace, self.ctx)
        show_anchor_alarm(self, self.ctx, opened.anchor)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        if opened.drafts.state:  # sealed at the last lock or session end
            self.workspace.restore(opened.drafts.state)
            self.statusBar().showMessage("Ungespeicherte Eingaben wurden wiederhergestellt.", 8000)
        elif opened.drafts.note_de:  # another vault's or an older lock's file: refused
            self.statusBar().showMessage(opened.drafts.note_de, 30000)
        self.idle.minutes = opened.idle_minutes
        self.idle.arm()
        install_demo_banner(self, self.ctx)  # words: demo banner, first-start orientation
        if not opened.steering:  # it explains case work: Heute, Fälle, the case file
            show_orientation_once(self, self.ctx)
        self.sync.unlocked(self.ctx, self.workspace)
        self.ctx.unlocked.emit()
        garbage.session_started()  # the workspace lives until the lock: collections skip it

    def _wire_pages(self, workspace: Workspace, ctx: AppContext) -> None:
        """Page-to-page links the pages themselves must not know about (pages are built
        when first opened, so each link is made when its page appears)."""
        from ui.settings.page import SettingsPage
        from ui.settings.restore_box import finish_restore
        from ui.today.page import TodayPage
        from ui.workspace import Page

        def created(_code: str, page: QWidget) -> None:
            if isinstance(page, TodayPage):
                page.settings_requested.connect(
                    lambda: workspace.setCurrentWidget(workspace.page(Page.SETTINGS)))
            if isinstance(page, SettingsPage):
                from app.settings import load_settings

                page.settings_changed.connect(lambda: ctx.run(
                    lambda vault: load_settings(vault).idle_lock_minutes,
                    self._set_idle_minutes))
                page.restore_box.restore_prepared.connect(  # words: restore in the app
                    lambda folder, restored: finish_restore(self, folder, restored))

        workspace.page_created.connect(created)
        workspace.announce_pages()

    def _set_idle_minutes(self, minutes: int) -> None:
        self.idle.minutes = minutes

    def _unlock_failed(self, exc: BaseException) -> None:
        self._task = None
        self.progress.hide()
        self.unlock_page.show_error(german_message(exc))

    def _create_failed(self, exc: BaseException) -> None:
        self._task = None
        if self.create_page is not None:
            self.create_page.show_error(german_message(exc))

    # --- locking ---------------------------------------------------------------------------
    def drafts(self) -> dict[str, Any] | None:
        return self.workspace.drafts() if self.workspace is not None else None

    def lock(self) -> None:
        """Seal drafts, discard every widget with personal data, drop the key.

        The lock screen shows first; then both worker pools are drained with the event loop
        running, and only then the session locks (engine disposed, drafts sealed), so no query
        is cut off mid-way and the window never freezes while one finishes. Whatever fails on
        the way (a draft that cannot be read or sealed), the key is dropped, the private temp
        folder emptied and the lock screen says what was kept.
        """
        if self._locking:  # Ctrl+L, idle or a close event while the drain runs
            return
        self._locking = True
        self.idle.disarm()
        drafts: dict[str, Any] | None = None
        kept = True
        ctx, self.ctx = self.ctx, None
        try:
            try:
                drafts = self.drafts()
            except Exception:  # a form that cannot say its state: lock anyway
                kept = False
            if ctx is not None:
                ctx.locked.emit()
                ctx.discard()  # nothing new is queued, late results are dropped
            self.sync.locked()  # no new runs; a running one stops after its bundle
            if self.workspace is not None:
                # Passphrases typed but not submitted (Einstellungen): Qt would free them unwiped.
                scrub_secret_fields(self.workspace.findChildren(QLineEdit))
                self.stack.removeWidget(self.workspace)
                # Once Qt has deleted it, the next tick frees the cycles that held its data.
                self.workspace.destroyed.connect(garbage.session_ended)
                self.workspace.deleteLater()
                self.workspace = None
            self.clipboard.clear_if_ours()
            self._show_locking()
            if ctx is not None:
                ctx.drain(LOCK_DRAIN_MS)  # a pool still busy after that is logged; lock anyway
        finally:
            if self._session is not None:
                kept = self._session.lock(drafts) and kept  # locks, and empties private temp
            self.clipboard.clear_if_ours()
            self._show_locked(drafts, kept)
            self._locking = False

    def _show_locking(self) -> None:
        self.unlock_page.set_busy(True)  # no unlock while the last queries finish
        self.unlock_page.message.setText(LOCKING)
        self.stack.setCurrentWidget(self.unlock_page)

    def _show_locked(self, drafts: dict[str, Any] | None, kept: bool) -> None:
        unsaved = bool(drafts and (drafts.get("drafts") or drafts.get("pages") or any(
            "plan" in c or "minutes" in c for c in drafts.get("conferences") or ())))
        self.unlock_page.set_busy(False)
        self.unlock_page.message.setText(LOCKED_LOST if not kept and (unsaved or drafts is None)
                                         else LOCKED_KEPT if unsaved else LOCKED)
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.passphrase.setFocus()

    def _lock_if_unlocked(self) -> None:
        if self.ctx is not None:  # nothing open: leave the unlock page (and its message) alone
            self.lock()

    def end_session(self) -> None:
        """Log-off, shutdown, SIGTERM, quit: seal and lock exactly as a lock does."""
        self._lock_if_unlocked()

    # --- window state ----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.lock()  # seals unsaved input: nothing typed is lost by closing the window
        super().closeEvent(event)
