"""The lock screen shows at once, even while a query is still running; the store's engines are
disposed only after that query finished; and a pool that does not finish in time does not stop
the lock from waiting for the other pool."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import event, text

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from db.engine import reader_of
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import unlock_by_typing
from ui.context import AppContext
from ui.main_window import LOCKING, MainWindow

T = 20000


def reading(vault: Vault, release: threading.Event, events: list[str], name: str) -> None:
    """A real read on the store that stays in its transaction until the test releases it
    (the test's hook for "a slow query"), then reads once more."""
    with vault.read_session() as session:
        session.execute(text("SELECT count(*) FROM case_file")).scalar_one()
        events.append(f"{name} running")
        release.wait(T / 1000)
        session.execute(text("SELECT count(*) FROM case_file")).scalar_one()
    events.append(f"{name} finished")


def test_the_lock_screen_shows_while_a_query_runs_and_the_engine_goes_after_it(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.ctx is not None
    unlocked = window.session.vault()
    events: list[str] = []
    for engine in (unlocked.engine, reader_of(unlocked.engine)):
        event.listen(engine, "engine_disposed", lambda _e: events.append("engine disposed"))
    release = threading.Event()
    window.ctx.run(lambda v: reading(v, release, events, "query"), lambda _none: None)
    qtbot.waitUntil(lambda: "query running" in events, timeout=T)
    seen: dict[str, object] = {}

    def while_locking() -> None:  # runs only if the lock keeps the event loop going
        seen["screen"] = window.stack.currentWidget() is window.unlock_page
        seen["message"] = window.unlock_page.message.text()
        seen["input"] = window.unlock_page.passphrase.isEnabled()
        seen["store open"] = not unlocked.locked
        events.append("lock screen shown")
        release.set()

    QTimer.singleShot(0, while_locking)
    window.lock()
    release.set()  # if the timer never ran during the lock: do not leave the worker waiting
    assert events == ["query running", "lock screen shown", "query finished",
                      "engine disposed", "engine disposed"]
    assert seen == {"screen": True, "message": LOCKING, "input": False, "store open": True}
    assert unlocked.locked and window.ctx is None
    assert window.unlock_page.passphrase.isEnabled()  # the lock is done: unlocking works again
    window.close()


class ReleaseOnTimeout(logging.Handler):
    """Lets the background read finish once the drain gave up on the database pool, and only
    if the drain then keeps the event loop running (it does while it waits for a pool)."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.go = release

    def emit(self, record: logging.LogRecord) -> None:
        if "pool 0 still busy" in record.getMessage():
            QTimer.singleShot(0, self.go.set)


def test_a_pool_that_times_out_does_not_skip_the_other(qtbot: QtBot, ctx: AppContext) -> None:
    events: list[str] = []
    release_db, release_background = threading.Event(), threading.Event()
    ctx.run(lambda v: reading(v, release_db, events, "db"), lambda _none: None)
    ctx.run_background(lambda v: reading(v, release_background, events, "background"),
                       lambda _none: None)
    qtbot.waitUntil(lambda: {"db running", "background running"} <= set(events), timeout=T)
    handler = ReleaseOnTimeout(release_background)
    logger = logging.getLogger("ui.worker")
    logger.addHandler(handler)
    try:
        idle = ctx.drain(300)  # the database pool stays busy beyond that
        after = list(events)
    finally:
        logger.removeHandler(handler)
        release_db.set()
        release_background.set()
    assert idle is False
    assert after[2:] == ["background finished"]  # waited for, after the first pool timed out
    ctx.wait_idle()
