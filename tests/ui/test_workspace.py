"""The workspace builds the first tab and the case list at unlock, every other page when it is
first opened: unlocking reads only what the caseworker needs now."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.demo.generator import generate_demo
from app.vault.store import Vault
from ui.context import AppContext
from ui.pages import case_file, page_specs
from ui.workspace import Page, Workspace

WAIT = 20000


def test_hidden_pages_are_built_and_read_when_first_opened(qtbot: QtBot, vault: Vault,
                                                           request: object) -> None:
    generate_demo(vault, 40, seed=3)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    created: list[str] = []
    ws.page_created.connect(lambda code, _page: created.append(code))
    ws.announce_pages()
    ws.show()
    assert created == ["today", "cases"]
    assert [ws.page_bar.tabText(i) for i in range(ws.page_bar.count())] == [
        "Heute", "Fälle", "Verzeichnis", "Lücken im System", "Fallkonferenzen", "Bescheinigungen",
        "Einstellungen", "Abgleich"]
    ctx.wait_idle()

    ws.show_page(Page.DIRECTORY)  # what Ctrl+3 does
    assert created == ["today", "cases", "directory"]
    directory = ws.pages["directory"]
    assert ws.currentWidget() is directory and ws.page_bar.currentIndex() == 2
    # Read on first show: the demo's institutions appear.
    qtbot.waitUntil(lambda: directory.table.model().rowCount() > 0,  # type: ignore[attr-defined]
                    timeout=WAIT)
    assert "gaps" not in ws.pages and "settings" not in ws.pages

    settings = ws.page("settings")  # e.g. Heute's backup reminder asks for it
    assert created[-1] == "settings" and ws.stack.widget(6) is settings
    assert ws.current_page() == Page.DIRECTORY  # building it does not switch the page
    ws.show_page(Page.SETTINGS)
    assert ws.currentWidget() is settings and created.count("settings") == 1
