"""What the conference tests share: a vault with a case and two institutions of the directory,
a workspace at 1280×720 with the Fallkonferenzen page, and keyboard helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_contact, add_institution
from app.vault.store import Vault
from tests.ui.settle import settle
from ui.conferences.page import ConferencesPage
from ui.conferences.window import ConferenceWindow
from ui.context import AppContext
from ui.workspace import Page, Workspace

WAIT = 20000
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Directory:
    case_id: int
    jobcenter: str
    jobcenter_contact: str
    abh: str
    abh_contact: str


def seed_directory(vault: Vault) -> Directory:
    case_id = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                         municipality="DO", languages=["tr"]))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    return Directory(case_id, jobcenter, add_contact(vault, jobcenter, "Herr Berger",
                                                      "Arbeitsvermittlung"),
                     abh, add_contact(vault, abh, "Frau Kaya", "Sachbearbeitung"))


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key = Qt.Key.Key_Space,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key on a widget, as a person presses it there (Space on a button clicks it)."""
    widget.setFocus()
    qtbot.keyClick(widget, key, modifier)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Arrow keys on a combo box until the item with ``data`` is current."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0, data
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target
                       else Qt.Key.Key_Up)


def dialog_of[W: QWidget](qtbot: QtBot, owner: QWidget, kind: type[W]) -> W:
    """The visible dialog of ``kind`` under ``owner``, once it is open."""
    found: list[W] = []

    def shown() -> bool:
        found[:] = [d for d in owner.findChildren(kind) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT)
    return found[-1]


def workspace(qtbot: QtBot, ctx: AppContext) -> tuple[Workspace, ConferencesPage]:
    from ui.pages import case_file, page_specs

    ctx.vault().clock = FixedClock(NOW)  # the test day of tests/conftest.py's vault
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    ws.announce_pages()
    ws.resize(1280, 720)
    ws.show()
    ws.show_page(Page.CONFERENCES)
    page = ws.page(Page.CONFERENCES)
    assert isinstance(page, ConferencesPage)
    settle(ctx)
    return ws, page


def window_of(qtbot: QtBot, page: ConferencesPage, uuid: str | None = None
              ) -> ConferenceWindow:
    def found() -> bool:
        return any(w.isVisible() and (uuid is None or w.uuid == uuid) for w in page.windows)

    qtbot.waitUntil(found, timeout=WAIT)
    window = next(w for w in page.windows if w.isVisible() and (uuid is None or w.uuid == uuid))
    window.resize(1280, 720)
    activate(qtbot, window)
    return window


def activate(qtbot: QtBot, window: QWidget) -> None:
    """The keyboard works in the window in front; offscreen, a closed dialog leaves none."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)


def loaded(qtbot: QtBot, ctx: AppContext, window: ConferenceWindow) -> None:
    qtbot.waitUntil(lambda: window.detail is not None, timeout=WAIT)
    settle(ctx)


def focused() -> QWidget | None:
    return QApplication.focusWidget()
