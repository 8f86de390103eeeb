"""Abgleich → Eingang on real vaults exchanging through a temp folder: a colleague's bundle
waits (her card is not confirmed here) with its German reason and is discarded after a
confirmation; another is let in by confirming her card from the row ("Absender vertrauen …");
one from a distrusted key is rejected with its reason and taken off the list once seen;
a case she hands over is accepted with "Annehmen" and is then in this vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import list_cases, rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.devices.read import devices, own_device
from app.services.devices.write import distrust, trust
from app.services.directory.read import institutions
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.handover.read import grants, offers
from app.services.handover.write import transfer_case
from app.services.sync.read import inbox, status
from app.services.sync.write import export_directory, run_sync
from app.vault.store import Vault
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.sync.support import ALT, WAIT, activate, colleague, share, trust_each_other
from ui.context import AppContext
from ui.sync.page import SyncPage

DISTRUSTED_DE = "Dem Schlüssel der Absenderin oder des Absenders wurde das Vertrauen entzogen."
UNTRUSTED_DE = ("Der Schlüssel der Absenderin oder des Absenders ist noch nicht bestätigt. "
                "Vergleichen Sie den Fingerabdruck, dann wird das Bündel übernommen.")


def sync_page(qtbot: QtBot, ctx: AppContext) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT)
    return page


def open_inbox(qtbot: QtBot, page: SyncPage) -> None:
    qtbot.keyClick(page.tabs, Qt.Key.Key_E, ALT)  # "&Eingang"
    qtbot.waitUntil(lambda: page.tabs.currentWidget() is page.inbox, timeout=WAIT)


def send_directory(sender: Vault, name: str) -> None:
    add_institution(sender, NewInstitution(name, "jobcenter", "BI"))
    assert export_directory(sender) is not None
    run_sync(sender)


def her_directory_in_the_inbox(qtbot: QtBot, ctx: AppContext, her: Vault) -> SyncPage:
    """Her team directory sent and read here; the Eingang opened by the keyboard, its one row
    shown. The page is returned for the caller to hold: qtbot keeps only a weak reference."""
    send_directory(her, "Jobcenter Bielefeld")
    run_sync(ctx.vault())
    page = sync_page(qtbot, ctx)
    open_inbox(qtbot, page)
    qtbot.waitUntil(lambda: len(page.inbox.rows) == 1, timeout=WAIT)
    return page


def test_a_waiting_bundle_shows_its_reason_and_is_discarded_or_let_in(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        share(tmp_path / "share", here, other.vault())
        trust(other.vault(), own_device(here).fingerprint_display)  # she trusts this vault
        page = her_directory_in_the_inbox(qtbot, ctx, other.vault())
        tab = page.inbox
        texts = [tab.table.item(0, col).text() for col in range(5)]
        assert texts[1].startswith("Katharina Nowak")
        assert texts[2:] == ["Verzeichnis des Teams", "wartet", UNTRUSTED_DE]

        tab.table.setFocus()
        qtbot.keyClick(tab.table, Qt.Key.Key_V, ALT)  # "&Verwerfen …"
        question = answer_confirmation(qtbot, tab, "Bündel &verwerfen")
        assert "Katharina Nowak" in question
        qtbot.waitUntil(lambda: tab.rows == [], timeout=WAIT)
        assert tab.message.text() == "Das Bündel wurde verworfen."
        ctx.wait_idle()
        assert inbox(here) == [] and [r.state for r in inbox(here, states=("discarded",))] \
            == ["discarded"]

        # The next one: her card confirmed from the row, then it is taken in.
        send_directory(other.vault(), "Ausländerbehörde Bielefeld")
        run_sync(here)
        tab.reload()
        qtbot.waitUntil(lambda: len(tab.rows) == 1, timeout=WAIT)
        activate(qtbot, tab)
        tab.table.setFocus()
        tab.table.setCurrentCell(0, 0)
        qtbot.keyClick(tab.table, Qt.Key.Key_T, ALT)  # "Absender ver&trauen …"
        qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
        dialog = tab.dialog
        assert dialog is not None
        theirs = own_device(other.vault())
        qtbot.waitUntil(dialog.typed.hasFocus, timeout=WAIT)
        qtbot.keyClicks(dialog.typed, theirs.fingerprint_display)
        qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT)
        ctx.wait_idle()
        assert next(r.trust for r in devices(here) if r.fingerprint == theirs.fingerprint) \
            == "trusted"
        run_sync(here)
        names = {i.name for i in institutions(here)}
        assert "Ausländerbehörde Bielefeld" in names


def test_a_rejected_bundle_says_why_and_is_taken_off_the_list_once_seen(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        share(tmp_path / "share", here, other.vault())
        trust_each_other(here, other.vault())
        distrust(here, own_device(other.vault()).fingerprint)  # her laptop was stolen, say
        page = her_directory_in_the_inbox(qtbot, ctx, other.vault())
        tab = page.inbox
        texts = [tab.table.item(0, col).text() for col in range(2, 5)]
        assert texts == ["Verzeichnis des Teams", "abgewiesen", DISTRUSTED_DE]
        assert not tab.trust_button.isEnabled()  # trust is given back in Einstellungen only

        tab.table.setFocus()
        qtbot.keyClick(tab.table, Qt.Key.Key_V, ALT)  # "&Verwerfen …"
        question = answer_confirmation(qtbot, tab, "Aus dem Eingang &entfernen")
        assert "Katharina Nowak" in question and "bleiben im Protokoll" in question
        qtbot.waitUntil(lambda: tab.rows == [], timeout=WAIT)
        assert tab.message.text() == "Das Bündel wurde aus dem Eingang entfernt."
        ctx.wait_idle()
        assert inbox(here) == [] and status(here).rejected == 0
        run_sync(here)  # the file on the share is passed over, never read again
        assert inbox(here) == [] and "Jobcenter Bielefeld" not in {
            i.name for i in institutions(here)}


def test_a_case_offered_by_a_colleague_is_accepted(qtbot: QtBot, ctx: AppContext,
                                                   tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        share(tmp_path / "share", here, other.vault())
        trust_each_other(here, other.vault())
        case_id = create_case(other.vault(), NewCase("Milan", "Petrovic", "BI"))
        case = rows_by_id(other.vault(), [case_id])[0]
        transfer_case(other.vault(), case.uuid, own_device(here).fingerprint, "Umzug nach DO")
        run_sync(other.vault())
        run_sync(here)
        page = sync_page(qtbot, ctx)
        open_inbox(qtbot, page)
        tab = page.inbox
        qtbot.waitUntil(lambda: len(tab.offer_rows) == 1, timeout=WAIT)
        assert tab.offers.item(0, 2).text().startswith("Katharina Nowak")
        tab.offers.setFocus()
        tab.offers.setCurrentCell(0, 0)
        qtbot.keyClick(tab.offers, Qt.Key.Key_A, ALT)  # "&Annehmen"
        qtbot.waitUntil(lambda: tab.message.text().startswith("Angenommen"), timeout=WAIT)
        qtbot.waitUntil(lambda: tab.offer_rows == [], timeout=WAIT)
        ctx.wait_idle()
        assert offers(here) == []
        assert [g.state for g in grants(here, case_uuid=case.uuid)] == ["accepted"]
        assert case.case_number in {c.case_number for c in list_cases(here).rows}
