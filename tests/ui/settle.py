"""Wait for a condition, not a time: before a test checks that something did *not* happen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.context import AppContext


def settle(ctx: AppContext) -> None:
    """Return once no database work is queued or running and every outcome has been delivered.

    A handler may queue further work when its outcome arrives, so drain and deliver until a
    delivery queues nothing new. This replaces `qtbot.wait(50)`, which only hoped the work was
    done by then (and on a loaded machine lets a late result arrive after the check).
    """
    for _ in range(100):
        assert ctx.wait_idle(), "database work did not finish"
        QCoreApplication.processEvents()  # outcomes arrive as queued signals
        if ctx.wait_idle(0):  # the delivered outcomes started nothing new
            QCoreApplication.processEvents()
            if ctx.wait_idle(0):
                return
    raise AssertionError("database work kept coming")
