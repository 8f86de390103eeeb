"""Sync runs in the background never overlap, and none starts once the lock began: F5 pressed
while a run goes is answered in German, the run that goes reports once."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services.sync.write import set_share_folder
from tests.ui.settle import settle
from tests.ui.sync.support import WAIT
from ui.context import AppContext
from ui.sync.controller import ALREADY_RUNNING_DE, SyncController
from ui.sync.status_bar import SyncStatusBar


def test_never_two_runs_at_once_and_none_after_the_lock(qtbot: QtBot, ctx: AppContext,
                                                         tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    set_share_folder(ctx.vault(), folder)
    widget = SyncStatusBar()
    qtbot.addWidget(widget)
    said: list[str] = []
    controller = SyncController(ctx, widget, said.append)
    finished: list[object] = []
    controller.finished.connect(finished.append)
    assert controller.sync_now()
    assert not controller.sync_now()  # pressed again while the first runs
    assert said == [ALREADY_RUNNING_DE]
    assert not widget.bar.isHidden() and not widget.cancel.isHidden()
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=WAIT)
    settle(ctx)
    assert len(finished) == 1 and not controller.running
    assert widget.bar.isHidden() and widget.text().startswith("Zuletzt abgeglichen")
    assert said[-1].startswith("Abgleich beendet:")

    ctx.locked.emit()  # the lock begins: no run starts any more
    assert not controller.sync_now()
    settle(ctx)
    assert len(finished) == 1
