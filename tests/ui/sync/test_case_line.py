"""The sync state line of a case file at 1280×720 on two real vaults: a Vertretung set up from
the case file by keys (colleague chosen, bis-Datum typed), the line saying with whom and until
when; a conflict on the shared case marked at its section and linked to the Konflikte tab,
filtered to this case."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.services.handover.read import grants
from app.services.sync.write import run_sync
from tests.ui.layout_probe import clipped
from tests.ui.sync.support import WAIT, colleague, share, trust_each_other
from ui.casefile.window import CONFLICT_MARK, CaseFileWidget
from ui.context import AppContext
from ui.pages import case_file, page_specs
from ui.sync.case_dialogs import DeputyDialog
from ui.sync.page import SyncPage
from ui.workspace import Page, Workspace


def test_a_shared_case_says_with_whom_and_leads_to_its_conflicts(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    case_id = create_case(here, NewCase("Ayse", "Oeztuerk", "DO"))
    case = rows_by_id(here, [case_id])[0]
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        ws = Workspace(ctx, page_specs(), case_file)
        qtbot.addWidget(ws)
        ws.announce_pages()
        ws.resize(1280, 720)
        ws.show()
        ws.open_case(case_id)
        tab = ws.currentWidget()
        assert isinstance(tab, CaseFileWidget)
        line = tab.sync_line
        qtbot.waitUntil(lambda: line.label.text() == "Abgleich: Nur in diesem Tresor",
                        timeout=WAIT)

        # Vertretung einrichten: the button by keys, the colleague chosen, the date typed.
        line.deputy_button.setFocus()
        qtbot.keyClick(line.deputy_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: isinstance(line.dialog, DeputyDialog)
                        and line.dialog.peer.count() == 1, timeout=WAIT)
        dialog = line.dialog
        assert isinstance(dialog, DeputyDialog)
        assert dialog.peer.currentText().startswith("Katharina Nowak")
        dialog.until.setFocus()
        dialog.until.selectAll()
        qtbot.keyClicks(dialog.until, "18.12.2026")
        qtbot.keyClick(dialog.until, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Vertretung durch Katharina Nowak" in line.label.text()
                        and "bis 18.12.2026" in line.label.text(), timeout=WAIT)
        ctx.wait_idle()
        assert [(g.kind, g.state, g.direction) for g in grants(here, case_uuid=case.uuid)] \
            == [("deputy", "active", "out")]

        # Both write the indication: a conflict, marked at its section and linked.
        run_sync(here)
        run_sync(there)
        update_case(there, case.uuid, indication="Sprachkurs und Wohnung")
        update_case(here, case_id, indication="Arbeit und Anerkennung")
        run_sync(here)
        run_sync(there)
        run_sync(here)
        tab.refresh()
        qtbot.waitUntil(lambda: line.conflicts_link.isVisible(), timeout=WAIT)
        assert line.conflicts_link.text() == "1 offener Konflikt – im Abgleich lösen"
        documentation = tab.nav.item(1)  # "Klärung & Vereinbarungen" holds the indication
        assert documentation.text().endswith(CONFLICT_MARK)
        assert "Konflikt:" in documentation.toolTip()
        assert "im Abgleich lösen" in documentation.toolTip()
        assert [i for i in range(tab.nav.count())
                if tab.nav.item(i).text().endswith(CONFLICT_MARK)] == [1]
        assert clipped(ws) == []

        # The link, by keys: the Konflikte tab of the Abgleich page, this case only.
        line.conflicts_link.setFocus()
        qtbot.keyClick(line.conflicts_link, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: ws.current_page() == Page.SYNC, timeout=WAIT)
        page = ws.page(Page.SYNC)
        assert isinstance(page, SyncPage)
        conflicts_tab = page.conflicts
        qtbot.waitUntil(lambda: len(conflicts_tab.rows) == 1, timeout=WAIT)
        assert conflicts_tab.case_filter.currentData() == case.uuid
        assert conflicts_tab.case_filter.currentText() == case.case_number
        assert conflicts_tab.theirs_value.text() == "Sprachkurs und Wohnung"
        assert ws.focusWidget() is conflicts_tab.table  # the keyboard is in the list
