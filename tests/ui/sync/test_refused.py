"""Abgleich → Eingang, last list: one of this vault's own bundles that a colleague's Lotse
rejected (her key for this vault was withdrawn) is shown with who rejected it and why, in her
words, and taken off the list with "Zur Kenntnis genommen"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.devices.read import own_device
from app.services.devices.write import distrust
from app.services.sync.read import refused, status
from app.services.sync.write import run_sync
from tests.ui.sync.support import ALT, WAIT, colleague, share, trust_each_other
from tests.ui.sync.test_inbox import open_inbox, send_directory, sync_page
from ui.context import AppContext
from ui.sync.labels import status_line
from ui.sync.refused_box import NOTED_DE

DISTRUSTED_DE = "Dort wurde dem Schlüssel dieses Tresors das Vertrauen entzogen."


def test_an_own_bundle_a_colleague_rejected_says_who_and_why_until_taken_note_of(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        share(tmp_path / "share", here, other.vault())
        trust_each_other(here, other.vault())
        distrust(other.vault(), own_device(here).fingerprint)  # she no longer takes ours
        send_directory(here, "Jobcenter Dortmund")
        assert [o.reason for o in run_sync(other.vault()).rejected] == ["sender_distrusted"]
        report = run_sync(here)
        assert [o.reason for o in report.refused] == ["sender_distrusted"]
        assert "abgelehnt von Empfängern 1" in status_line(status(here))

        page = sync_page(qtbot, ctx)
        open_inbox(qtbot, page)
        box = page.inbox.refused
        qtbot.waitUntil(lambda: len(box.rows) == 1, timeout=WAIT)
        texts = [box.table.item(0, col).text() for col in range(4)]
        assert texts[1].startswith("Katharina Nowak")
        assert texts[2:] == ["Verzeichnis des Teams", DISTRUSTED_DE]
        assert box.isVisible() and box.table.isVisible()

        qtbot.keyClick(page.inbox, Qt.Key.Key_D, ALT)  # "Eigene Bündel, &die … abgelehnt haben"
        qtbot.waitUntil(box.table.hasFocus, timeout=WAIT)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_G, ALT)  # "Zur Kenntnis &genommen"
        qtbot.waitUntil(lambda: box.rows == [], timeout=WAIT)
        assert page.inbox.message.text() == NOTED_DE
        ctx.wait_idle()
        assert refused(here) == [] and status(here).refused == 0
        assert "abgelehnt von Empfängern" not in status_line(status(here))
