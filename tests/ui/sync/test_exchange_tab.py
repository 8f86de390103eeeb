"""Einstellungen → Austausch at 1280×720 on real vaults: the share folder set by typing its path
(a missing one refused in German at the field), and a colleague's card trusted by typing back
the fingerprint read out on the phone (a misheard one refused, nothing trusted), then the trust
withdrawn after a confirmation."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.devices.read import devices, own_device
from app.services.sync.read import status
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.settings.settings_helpers import settings_page
from tests.ui.sync.support import ALT, WAIT, activate, colleague, focused, share
from ui.context import AppContext
from ui.sync.exchange_tab import ExchangeTab
from ui.sync.trust_dialog import MISMATCH_DE


def exchange_tab(qtbot: QtBot, ctx: AppContext) -> ExchangeTab:
    page = settings_page(qtbot, ctx)
    page.resize(1280, 720)
    qtbot.keyClick(focused(page), Qt.Key.Key_A, ALT)  # "&Austausch"
    qtbot.waitUntil(lambda: page.tabs.currentWidget() is page.exchange_tab, timeout=WAIT)
    tab = page.exchange_tab
    qtbot.waitUntil(lambda: tab.own is not None, timeout=WAIT)
    return tab


def misheard(display: str) -> str:
    groups = display.split()
    last = groups[-1][-1]
    groups[-1] = groups[-1][:-1] + ("0" if last != "0" else "1")
    return " ".join(groups)


def trust_of(ctx: AppContext, fingerprint: str) -> str:
    ctx.wait_idle()
    return next(r.trust for r in devices(ctx.vault()) if r.fingerprint == fingerprint)


def test_the_share_folder_is_set_by_typing_its_path(qtbot: QtBot, ctx: AppContext,
                                                     tmp_path: Path) -> None:
    tab = exchange_tab(qtbot, ctx)
    assert tab.own is not None
    assert tab.own_fingerprint.text().split() == tab.own.fingerprint_display.split()
    error = tab.errors["share_folder"]

    # A mapped drive or UNC path that is not connected here: refused at the field, in German.
    for typed in ("\\\\server\\freigabe\\Lotse", str(tmp_path / "nicht-verbunden")):
        tab.share_path.setFocus()
        tab.share_path.selectAll()
        qtbot.keyClicks(tab.share_path, typed)
        qtbot.keyClick(tab.share_path, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT)
        assert "Ordner" in error.text() and "Error" not in error.text()
        assert tab.share_path.hasFocus()
        ctx.wait_idle()
        assert status(ctx.vault()).share_folder is None

    folder = tmp_path / "share"
    folder.mkdir()
    tab.share_path.selectAll()
    qtbot.keyClicks(tab.share_path, str(folder))
    qtbot.keyClick(tab.share_path, Qt.Key.Key_B, ALT)  # "Ü&bernehmen"
    qtbot.waitUntil(lambda: tab.share_message.text().startswith("Übernommen"), timeout=WAIT)
    assert error.isHidden()
    ctx.wait_idle()
    assert status(ctx.vault()).share_folder == str(folder)

    # "Ordner wählen …": the chosen folder is taken at once.
    other = tmp_path / "anderer"
    other.mkdir()
    tab.choose_folder = lambda start: str(other) if start == str(folder) else ""
    qtbot.keyClick(tab.share_path, Qt.Key.Key_W, ALT)
    qtbot.waitUntil(lambda: tab.share_path.text() == str(other) and tab.share_message.text()
                    .startswith("Übernommen"), timeout=WAIT)
    ctx.wait_idle()
    assert status(ctx.vault()).share_folder == str(other)


def test_a_card_is_trusted_only_with_its_fingerprint_typed_back(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    with colleague(tmp_path / "bochum", clock) as other:
        share(tmp_path / "share", ctx.vault(), other.vault())
        theirs = own_device(other.vault())
        tab = exchange_tab(qtbot, ctx)
        qtbot.waitUntil(lambda: any(r.fingerprint == theirs.fingerprint for r in tab.rows),
                        timeout=WAIT)
        assert trust_of(ctx, theirs.fingerprint) == "unknown"
        index = next(i for i, r in enumerate(tab.rows) if r.fingerprint == theirs.fingerprint)
        tab.table.setFocus()
        tab.table.setCurrentCell(0, 0)
        for _ in range(index):
            qtbot.keyClick(tab.table, Qt.Key.Key_Down)
        assert "Katharina Nowak" in tab.table.item(index, 0).text()
        assert tab.table.item(index, 4).text() == "nicht bestätigt"
        qtbot.keyClick(tab.table, Qt.Key.Key_V, ALT)  # "&Vertrauen …"
        qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
        dialog = tab.dialog
        assert dialog is not None
        assert dialog.fingerprint.text().split() == theirs.fingerprint_display.split()
        qtbot.waitUntil(dialog.typed.hasFocus, timeout=WAIT)  # the keyboard is where to type

        # Misheard: refused in German at the field, nothing trusted.
        qtbot.keyClicks(dialog.typed, misheard(theirs.fingerprint_display))
        qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=WAIT)
        assert dialog.error.text() == MISMATCH_DE
        assert dialog.isVisible()
        assert trust_of(ctx, theirs.fingerprint) == "unknown"

        # As heard: lower case and without spaces is fine.
        dialog.typed.clear()
        qtbot.keyClicks(dialog.typed, theirs.fingerprint_display.replace(" ", "").lower())
        qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT)
        assert trust_of(ctx, theirs.fingerprint) == "trusted"
        qtbot.waitUntil(lambda: tab.table.item(index, 4).text().startswith("vertraut"),
                        timeout=WAIT)
        assert tab.trust_message.text().startswith("Bestätigt: Katharina Nowak")

        # Vertrauen entziehen: the row chosen with the keyboard, a confirmation first.
        activate(qtbot, tab)
        tab.table.setFocus()
        tab.select(theirs.fingerprint)
        qtbot.keyClick(tab.table, Qt.Key.Key_Z, ALT)
        answer_confirmation(qtbot, tab, "Vertrauen ent&ziehen")
        qtbot.waitUntil(lambda: tab.table.item(index, 4).text() == "entzogen", timeout=WAIT)
        assert trust_of(ctx, theirs.fingerprint) == "distrusted"
