"""The sync state line of a case file at 1280×720 on two real vaults: a Vertretung set up from
the case file by keys (colleague chosen, bis-Datum typed), the line saying with whom and until
when; a conflict on the shared case marked at its section and linked to the Konflikte tab,
filtered to this case; a case handed over by keys, which once accepted stays here as a
read-only stub that says why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import case_ids, rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.services.devices.read import own_device
from app.services.handover.read import grants, offers
from app.services.handover.write import accept_offer, share_case
from app.services.sync.write import run_sync
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.layout_probe import clipped
from tests.ui.sync.support import ALT, WAIT, activate, colleague, share, trust_each_other
from ui.casefile.window import CONFLICT_MARK, CaseFileWidget
from ui.context import AppContext
from ui.pages import case_file, page_specs
from ui.sync.case_dialogs import DeputyDialog, TransferDialog
from ui.sync.case_line import COVERED_DE
from ui.sync.page import SyncPage
from ui.workspace import Page, Workspace


def open_in_workspace(qtbot: QtBot, ctx: AppContext, case_id: int) -> tuple[Workspace,
                                                                           CaseFileWidget]:
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    ws.announce_pages()
    ws.resize(1280, 720)
    ws.show()
    ws.open_case(case_id)
    tab = ws.currentWidget()
    assert isinstance(tab, CaseFileWidget)
    return ws, tab


def test_a_shared_case_says_with_whom_and_leads_to_its_conflicts(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    case_id = create_case(here, NewCase("Ayse", "Oeztuerk", "DO"))
    case = rows_by_id(here, [case_id])[0]
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        ws, tab = open_in_workspace(qtbot, ctx, case_id)
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

        # Geteilte Fälle (Alt+F): the Vertretung ended there, after a confirmation.
        activate(qtbot, ws)
        qtbot.keyClick(conflicts_tab.table, Qt.Key.Key_F, ALT)
        qtbot.waitUntil(lambda: page.tabs.currentWidget() is page.shares
                        and len(page.shares.rows) == 1, timeout=WAIT)
        shares = page.shares
        assert shares.table.item(0, 3).text() == "Vertretung bis 18.12.2026"
        shares.table.setFocus()
        shares.table.setCurrentCell(0, 0)
        qtbot.keyClick(shares.table, Qt.Key.Key_B, ALT)  # "Vertretung &beenden …"
        answer_confirmation(qtbot, shares, "Vertretung &beenden")
        qtbot.waitUntil(lambda: shares.message.text().startswith("Die Vertretung"), timeout=WAIT)
        ctx.wait_idle()
        assert [g.state for g in grants(here, case_uuid=case.uuid)] == ["ended"]


def test_a_case_handed_over_stays_as_a_read_only_stub(qtbot: QtBot, ctx: AppContext,
                                                      tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    case_id = create_case(here, NewCase("Milan", "Petrovic", "DO"))
    case = rows_by_id(here, [case_id])[0]
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        ws, tab = open_in_workspace(qtbot, ctx, case_id)
        activate(qtbot, ws)
        line = tab.sync_line
        qtbot.waitUntil(lambda: line.transfer_button.isEnabled(), timeout=WAIT)
        line.transfer_button.setFocus()
        qtbot.keyClick(line.transfer_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: isinstance(line.dialog, TransferDialog)
                        and line.dialog.peer.count() == 1, timeout=WAIT)
        dialog = line.dialog
        assert isinstance(dialog, TransferDialog)
        dialog.note.setFocus()
        qtbot.keyClicks(dialog.note, "Umzug nach Bielefeld")
        qtbot.keyClick(dialog.ok, Qt.Key.Key_Space)
        question = answer_confirmation(qtbot, dialog, "Fall &übergeben")
        assert "Katharina Nowak" in question and "nur noch lesen" in question
        qtbot.waitUntil(lambda: "Übergabe an Katharina Nowak angeboten" in line.label.text(),
                        timeout=WAIT)

        run_sync(here)
        run_sync(there)
        offered = offers(there)
        assert len(offered) == 1
        accept_offer(there, offered[0].id)
        run_sync(there)
        run_sync(here)
        tab.refresh()
        qtbot.waitUntil(lambda: not line.read_only.isHidden(), timeout=WAIT)
        assert "Übergeben an Katharina Nowak" in line.label.text()
        assert line.read_only.text()  # the reason, in German
        assert not line.deputy_button.isEnabled() and not line.transfer_button.isEnabled()
        assert not tab.header_change.isEnabled()
        ctx.wait_idle()
        assert [g.state for g in grants(here, case_uuid=case.uuid)] == ["accepted"]

        # The stub's fields cannot be typed into (its services refuse every save, too).
        person = tab.section("")
        phone = person.edits["phone"]  # type: ignore[attr-defined]
        assert not tab.stack.isEnabled() and not phone.isEnabled()
        assert tab.nav.isEnabled()  # the sections can still be looked through


def test_a_case_covered_here_as_deputy_cannot_be_passed_on(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    """Only the owner shares or hands a case over: the deputy's buttons say so before a click."""
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        owned = create_case(there, NewCase("Ayse", "Oeztuerk", "DO"))
        share_case(there, rows_by_id(there, [owned])[0].uuid, own_device(here).fingerprint)
        run_sync(there)
        run_sync(here)
        [case_id] = case_ids(here)
        _ws, tab = open_in_workspace(qtbot, ctx, case_id)
        line = tab.sync_line
        qtbot.waitUntil(lambda: "Vertretung für Katharina Nowak" in line.label.text(),
                        timeout=WAIT)
        for button in (line.deputy_button, line.transfer_button):
            assert not button.isEnabled()
            assert button.toolTip() == COVERED_DE
