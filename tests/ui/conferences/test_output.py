"""'Ausfertigungen' on the real encrypted store, the panel itself: the preview is the real PDF
of the minutes, the list follows the consent gate, a waiting render can be cancelled, every
control is reached by keyboard and screen reader, and locking leaves no copy in memory. The
copies saved and printed are in ``test_output_copies``; the world both use is
``output_world``."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from pytestqt.qtbot import QtBot

from app.services.conferences.records import FULL
from app.services.consent.write import withdraw_consent
from app.vault.store import Vault
from tests.ui.conferences.output_world import (
    WAIT,
    Held,
    alt,
    choose,
    consents_of,
    labels,
    pdf_pages,
)
from tests.ui.settle import settle
from ui.conferences.output import OutputPanel
from ui.conferences.output_source import render_copy
from ui.context import AppContext

# -- the preview -------------------------------------------------------------------------


def test_the_preview_shows_every_page_of_the_real_minutes(
        panel: OutputPanel, held: Held, ctx: AppContext, tmp_path: Path) -> None:
    assert labels(panel)[0].startswith("Vollständiges Protokoll")
    assert "Jobcenter Dortmund – Frau Schulz: vollständige Ausfertigung" in labels(panel)
    assert ("Gesamtschule Nordstadt – Herr Berger: pseudonymisierte Ausfertigung"
            in labels(panel))
    reference = tmp_path / "direkt.pdf"
    reference.write_bytes(render_copy(ctx.vault(), held.uuid, FULL, None))
    pages = pdf_pages(reference)
    assert panel.document.pageCount() == pages
    assert panel.pages.text() == f"Vorschau: {pages} Seite" + ("" if pages == 1 else "n")
    assert panel.print_button.isEnabled() and panel.save_button.isEnabled()


# -- while it renders, and when it cannot ---------------------------------------------------


def test_cancel_stops_a_waiting_render_and_the_panel_stays_usable(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext) -> None:
    made: list[str | None] = []

    def counted(vault: Vault, uuid: str, version: str, recipient: str | None) -> bytes:
        made.append(recipient)
        return render_copy(vault, uuid, version, recipient)

    panel.render_source = counted
    busy, release = threading.Event(), threading.Event()
    ctx.run(lambda _v: (busy.set(), release.wait(WAIT / 1000)), lambda _r: None)
    assert busy.wait(WAIT / 1000)  # the database thread is taken: the render has to wait
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.progress.isVisible() and not panel.save_button.isEnabled()
    alt(qtbot, panel, Qt.Key.Key_A)  # &Abbrechen
    qtbot.waitUntil(lambda: "abgebrochen" in panel.message.text(), timeout=WAIT)
    assert not panel.progress.isVisible() and panel.document.pageCount() == 0
    release.set()
    settle(ctx)
    assert made == []  # cancelled before it started: nothing was rendered
    assert panel.document.pageCount() == 0
    qtbot.keyClick(panel.list, Qt.Key.Key_Up)  # the full minutes again: from memory
    assert panel.document.pageCount() > 0 and panel.print_button.isEnabled()
    assert made == []


def test_a_copy_the_gate_no_longer_allows_is_refused_in_german_and_the_list_follows(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext) -> None:
    """Another Lotse process (the CLI) withdrew the job centre's consent for the second case;
    the list still offered Frau Schulz the full copy. The services refuse it; once a change
    is announced, the list offers her the pseudonymised copy."""
    consents = consents_of(ctx.vault(), held.second_case, "Jobcenter Dortmund")
    for uuid in consents:  # test setup on the idle database thread: no change is announced
        withdraw_consent(ctx.vault(), uuid, date(2026, 11, 25))
    entry = choose(qtbot, panel, "Frau Schulz", rendered=False)
    assert entry.version == FULL
    qtbot.waitUntil(lambda: "nicht erstellen" in panel.message.text(), timeout=WAIT)
    assert "erhält nur die pseudonymisierte Fassung" in panel.message.text()  # the service's
    assert panel.document.pageCount() == 0 and not panel.save_button.isEnabled()
    assert "Traceback" not in panel.message.text()

    assert "Frau Schulz: vollständige Ausfertigung" in " ".join(labels(panel))
    school_consent = consents_of(ctx.vault(), held.first_case, "Gesamtschule Nordstadt")[0]
    # A withdrawal made in Lotse is announced: the list follows.
    ctx.run(lambda vault: withdraw_consent(vault, school_consent, date(2026, 11, 25)),
            lambda _r: None)
    settle(ctx)
    qtbot.waitUntil(lambda: panel._pdf is not None, timeout=WAIT)
    assert "Jobcenter Dortmund – Frau Schulz: pseudonymisierte Ausfertigung" in labels(panel)
    assert panel.current is not None and "Frau Schulz" in panel.current.label


# -- keyboard and screen reader ----------------------------------------------------------------


def test_every_control_is_reached_by_tab_and_mnemonic(panel: OutputPanel, qtbot: QtBot) -> None:
    panel.save_button.setFocus()
    alt(qtbot, panel, Qt.Key.Key_W)  # Ausfertigung &wählen
    assert panel.list.hasFocus()
    chain, widget = [], panel.list.nextInFocusChain()
    while widget is not panel.list and len(chain) < 50:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain.index(panel.print_button) < chain.index(panel.save_button)
    assert panel.view in chain or panel.view.viewport() in chain
    name = QAccessible.queryAccessibleInterface(panel.list).text(QAccessible.Text.Name)
    assert name == "Ausfertigungen"
    view = QAccessible.queryAccessibleInterface(panel.view).text(QAccessible.Text.Name)
    assert view == "Vorschau der gewählten Ausfertigung"
    assert panel.print_button.text() == "&Drucken …"
    assert panel.save_button.text() == "Als PDF &speichern …"


def test_locking_leaves_no_copy_in_memory(panel: OutputPanel, qtbot: QtBot,
                                          ctx: AppContext) -> None:
    choose(qtbot, panel, "Herr Berger")  # copies rendered and kept for switching back
    assert len(panel._cache) >= 2  # (the one passed on the way may be there too)
    ctx.locked.emit()  # what the main window does first when it locks
    assert panel._cache == {} and panel._pdf is None
    assert panel.document.pageCount() == 0 and panel._buffer.data().size() == 0
    assert not panel.print_button.isEnabled() and not panel.save_button.isEnabled()
