"""The audit log after a working session holds exactly the reads a person made.

Scripted as a caseworker works: open two cases from the search (typed key by key, Enter), keep
both tabs open while changing a setting, back up, and search once more. Before typed change
records every open case tab reloaded — and wrote a ``case.read`` — on any change: with two tabs
open, saving a setting wrote two reads nobody made, the backup two more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault, open_vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE
from tests.ui.caselist.caselist_helpers import cell_text
from tests.ui.window_helpers import unlock_by_typing
from ui.caselist.model import COL_NAME
from ui.main_window import MainWindow

T = 60000


def _log_after(vault_dir: Path, seq: int) -> list[tuple[str, dict[str, Any]]]:
    with open_vault(vault_dir, PASSPHRASE) as v, v.read_session() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.seq > seq)
                         .order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows]


def _last_seq(window: MainWindow) -> int:
    assert window.ctx is not None
    window.ctx.wait_idle()
    with window.ctx.vault().read_session() as s:
        return int(s.execute(select(AuditLog.seq).order_by(AuditLog.seq.desc())
                             .limit(1)).scalar_one())


def _open_by_search(qtbot: QtBot, window: MainWindow, typed: str, case_id: int) -> None:
    ws: Any = window.workspace
    qtbot.keyClick(ws, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    cases = ws.pages["cases"]
    cases.search.setFocus()
    qtbot.keyClick(cases.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(cases.search, typed)
    qtbot.keyClick(cases.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(t.case_id == case_id for t in ws.case_tabs()), timeout=T)
    tab = next(t for t in ws.case_tabs() if t.case_id == case_id)
    qtbot.waitUntil(lambda: tab.header_data is not None, timeout=T)


def test_a_working_session_leaves_exactly_the_reads_a_person_made(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    first = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    second = create_case(vault, NewCase("Dragan", "Petrović", "GL"))
    for family in ("Nowak", "Haddad", "Schmitz"):
        create_case(vault, NewCase("Lena", family, "DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    ws: Any = window.workspace
    # The list shown at unlock is one bulk read, before this test's part begins.
    qtbot.waitUntil(lambda: ws.pages["cases"].count.text() == "5 Fälle", timeout=T)
    start = _last_seq(window)

    # Open two cases, as a person finds them: typed without the special letters, Enter.
    _open_by_search(qtbot, window, "ozturk", first)
    _open_by_search(qtbot, window, "petrovic", second)

    # Change a setting with both tabs open, and save it.
    qtbot.keyClick(ws, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # Einstellungen
    settings = ws.pages["settings"]
    qtbot.waitUntil(lambda: settings.settings is not None, timeout=T)
    settings.idle_minutes.setFocus()
    qtbot.keyClick(settings.idle_minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(settings.idle_minutes, "12")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.save_message.text() == "Gespeichert.", timeout=T)

    # Back up to a folder on the "share".
    share = tmp_path / "share"
    share.mkdir()
    settings.choose_folder = lambda _start: str(share)
    qtbot.mouseClick(settings.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.backup_result.text().startswith("Gesichert nach"),
                    timeout=T)

    # Search once more, for a contact's name that is in no case: a read all the same.
    qtbot.keyClick(ws, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    cases = ws.pages["cases"]
    cases.search.setFocus()
    qtbot.keyClick(cases.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(cases.search, "nowak")
    qtbot.waitUntil(lambda: cases.model.in_result_mode() and cases.model.rowCount() == 1
                    and cell_text(cases.model, 0, COL_NAME).startswith("Nowak"), timeout=T)
    _last_seq(window)  # every queued write is done
    window.lock()
    qtbot.waitUntil(lambda: window.ctx is None, timeout=T)

    # The list shown at unlock: one summary event, counts only.
    listed = [d for k, d in _log_after(vault_dir, 0) if k == "cases.listed"]
    # "nur offene Fälle" is on by default: closed cases are left out, and the log says so.
    assert listed == [{"cases": 5, "filters": ["include_closed"]}]
    log = _log_after(vault_dir, start)
    assert log.pop() == ("vault.unlocked", {})  # the look at the whole log just above
    assert log.pop() == ("vault.unlocked", {})  # this test's own look into the vault
    one_hit = {"cases": 1, "filters": ["include_closed"]}
    assert log == [
        ("search.run", one_hit), ("case.read", {"section": "person"}),
        ("search.run", one_hit), ("case.read", {"section": "person"}),
        ("record.updated", {"fields": ["backup_folder", "default_municipality",
                                       "idle_lock_minutes", "quiet_weeks", "share_folder",
                                       "status_window_days", "today_only_mine"]}),
        ("vault.backup", {}), ("record.updated", {"fields": ["backup_folder"]}),
        ("search.run", one_hit),
    ]
    # The log is evidence, not a copy of the caseload: no name, no search text.
    every_detail = repr(log).casefold()
    for word in ("öztürk", "ozturk", "petrov", "nowak"):
        assert word not in every_detail
