"""Sort order and filters of the case list survive a lock: the page is thrown away at the lock
and built anew at unlock, and the person finds the list as they arranged it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.demo.generator import generate_demo
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.caselist.caselist_helpers import column_texts, section_centre, wait_rows
from tests.ui.window_helpers import lock_by_keyboard, unlock_by_typing
from ui.caselist.model import COL_CASE_NUMBER
from ui.main_window import MainWindow

T = 20000


def test_sort_order_and_filters_are_kept_across_a_lock(qtbot: QtBot, vault: Vault,
                                                       vault_dir: Path) -> None:
    generate_demo(vault, 60, seed=7)
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    page: Any = window.workspace.pages["cases"]
    qtbot.waitUntil(lambda: page.count.text().endswith("Fälle"), timeout=T)
    header = page.table.horizontalHeader()
    for _ in range(2):  # Aktenzeichen, then the other way round
        with qtbot.waitSignal(page.model.ids_loaded, timeout=T):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                             pos=section_centre(header, COL_CASE_NUMBER))
    page.filters.only_open.setFocus()
    with qtbot.waitSignal(page.model.ids_loaded, timeout=T):
        qtbot.keyClick(page.filters.only_open, Qt.Key.Key_Space)  # closed cases too
    wait_rows(qtbot, page, COL_CASE_NUMBER)
    before = column_texts(page.model, COL_CASE_NUMBER)
    assert len(before) == 60 and before == sorted(before, reverse=True)

    lock_by_keyboard(qtbot, window)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    fresh: Any = window.workspace.pages["cases"]
    assert fresh is not page  # built anew
    header = fresh.table.horizontalHeader()
    assert header.sortIndicatorSection() == COL_CASE_NUMBER
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert not fresh.filters.only_open.isChecked()
    qtbot.waitUntil(lambda: fresh.model.rowCount() == 60, timeout=T)
    wait_rows(qtbot, fresh, COL_CASE_NUMBER)
    assert column_texts(fresh.model, COL_CASE_NUMBER) == before
    assert fresh.search.text() == ""  # the search text is not kept
    window.close()
