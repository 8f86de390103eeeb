"""Berichte, a steering committee's first page, at 1280×720, on real vaults exchanging through a
temp folder: a casework vault's steering report arrives; the committee reads the report's tables
in German, small counts shown as "< 5" (or "verdeckt" where a table adds up to a total) with the
reason, and the sender's audit head to compare. A casework vault has no such page (nor a tab
in Abgleich). How the page is reached in the window: tests/ui/test_steering_vault.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.steering.read import reports
from app.services.steering.write import export_report
from app.services.sync.write import run_sync
from tests.support.steering_world import CaseSpec, add_cases
from tests.ui.layout_probe import clipped
from tests.ui.settle import settle
from tests.ui.sync.support import WAIT, colleague, share, trust_each_other
from tests.ui.sync.test_inbox import sync_page
from ui.context import AppContext
from ui.pages import page_specs
from ui.sync.reports_tab import HIDDEN, UNDER_5, ReportsTab, short_hash
from ui.workspace import Page

FROM, TO = date(2026, 1, 1), date(2026, 10, 31)


def spec(group: str, referral: str, cover: str = "consent") -> CaseSpec:
    return CaseSpec(group, "DO", date(2026, 3, 2), None, None, "assessment", "duldung", cover,
                    referral)


def group_items(tree_item: QTreeWidgetItem) -> dict[str, str]:
    return {tree_item.child(i).text(0): tree_item.child(i).text(1)
            for i in range(tree_item.childCount())}


def test_the_steering_committee_reads_a_received_report(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    add_cases(here, [spec("newly_arrived", "jobcenter")] * 7
              + [spec("young_adults", "jobcenter")] * 6
              + [spec("long_term_tolerated", "mbe")] * 3
              + [spec("newly_arrived", "mbe", cover="none")] * 4, as_of=clock.today())
    with colleague(tmp_path / "lenkung", clock, name="Lenkungskreis Dortmund", municipality="DO",
                   code="LK01", role="steering") as board_ctx:
        board = board_ctx.vault()
        share(tmp_path / "share", here, board)
        trust_each_other(here, board)
        export_report(here, FROM, TO)
        run_sync(here)
        run_sync(board)
        [received] = reports(board)

        tab = ReportsTab(board_ctx)  # the page, as the workspace shows it
        qtbot.addWidget(tab)
        tab.resize(1280, 720)
        tab.show()
        qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=WAIT)
        assert [tab.table.item(0, c).text() for c in range(4)] == [
            received.sender, "01.01.2026 – 31.10.2026", tab.table.item(0, 2).text(), "16"]
        assert tab.table.item(0, 2).text().endswith("Uhr")

        groups = {tab.cells.topLevelItem(i).text(0): tab.cells.topLevelItem(i)
                  for i in range(tab.cells.topLevelItemCount())}
        assert {"Summen", "Zielgruppe", "Vermittlungen nach Art der Stelle"} <= set(groups)
        totals = group_items(groups["Summen"])
        assert totals["Fälle im Zeitraum"] == "16"
        # No total to subtract from: 3 referred to the MBE is exactly "fewer than 5".
        referrals = group_items(groups["Vermittlungen nach Art der Stelle"])
        assert referrals["Jobcenter"] == "13"
        mbe = next(k for k in referrals if k.startswith("Migrationsberatung"))
        assert referrals[mbe] == UNDER_5
        # Target groups add up to the cases: the 3 are hidden, and one more beside them so
        # they cannot be worked out; both say "verdeckt", the largest stays.
        groups_shown = group_items(groups["Zielgruppe"])
        assert sorted(groups_shown.values()) == ["7", HIDDEN, HIDDEN]
        hidden = groups["Zielgruppe"].child(list(groups_shown.values()).index(HIDDEN))
        assert "weniger als 5 Personen" in hidden.toolTip(1)
        assert "< 5" in tab.explain.text() and "verdeckt" in tab.explain.text()
        assert f"Eintrag {received.audit_head_seq}" in tab.head.text()
        assert short_hash(received.audit_head_hash) in tab.head.text()
        assert len(short_hash(received.audit_head_hash).replace(" ", "")) == 16
        assert clipped(tab) == []

    assert Page.REPORTS not in {spec.code for spec in page_specs()}
    casework = sync_page(qtbot, ctx)
    settle(ctx)
    assert casework.tabs.count() == 3
    assert casework.findChild(ReportsTab) is None
