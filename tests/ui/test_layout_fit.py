"""Every page and every case-file section on a laptop screen: 1280×720, and the same with
QT_SCALE_FACTOR=1.5 (what Windows' 150 % makes of a 1920×1080 screen). The window keeps that
size (no minimum size pushing it off the screen) and no label, button, group title or column
header is cut off (``tests.ui.layout_probe``). Set LOTSE_SCREENSHOTS=<folder> to keep a
screenshot of every view for looking at."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.clock import FixedClock
from app.demo.generator import generate_demo
from app.vault.store import Vault
from db.models import JournalEntry
from tests.conftest import ROOT
from tests.ui.layout_probe import clipped
from tests.ui.settle import settle
from ui.casefile._section import SectionCode
from ui.context import AppContext
from ui.pages import case_file, page_specs
from ui.workspace import Workspace

SIZE = QSize(1280, 720)
# What the main window puts around the workspace: menu bar, status bar (with the sync line),
# the demo banner and the first-run hint (measured 2026-12-05: 19 + 27 + ~30 + ~35 px).
CHROME = 115
SCALE = os.environ.get("QT_SCALE_FACTOR", "1")


@pytest.fixture
def workspace(qtbot: QtBot, vault: Vault, clock: FixedClock,
              request: pytest.FixtureRequest) -> Iterator[Workspace]:
    generate_demo(vault, 60, seed=7)
    ctx: AppContext = request.getfixturevalue("ctx")
    ctx.vault().clock = clock  # the fixed test day, as the demo data was made for it
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    ws.announce_pages()
    ws.resize(SIZE)
    ws.show()
    settle(ctx)
    yield ws


def _look(view: QWidget, name: str) -> None:
    folder = os.environ.get("LOTSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        view.grab().save(str(Path(folder) / f"{name}@{SCALE}.png"))


def _busiest_case(ctx: AppContext) -> int:
    """The demo case with the longest journal: every section has something to show."""
    with ctx.vault().read_session() as s:
        return int(s.execute(select(JournalEntry.case_id).group_by(JournalEntry.case_id)
                             .order_by(func.count().desc(), JournalEntry.case_id)
                             .limit(1)).scalar_one())


def _report(problems: dict[str, list[str]]) -> str:
    return "text cut off:\n" + "\n".join(f"  [{code or 'person'}] {line}"
                                          for code, lines in problems.items() for line in lines)


def test_every_page_fits_a_laptop_screen(workspace: Workspace) -> None:
    problems: dict[str, list[str]] = {}
    for spec in page_specs():
        workspace.show_page(spec.code)
        settle(workspace.ctx)
        assert workspace.size() == SIZE, f"{spec.code} pushes the window to {workspace.size()}"
        _look(workspace, f"page-{spec.code}")
        problems[spec.code] = clipped(workspace)
    assert not any(problems.values()), _report(problems)


def test_every_case_section_fits_a_laptop_screen(workspace: Workspace) -> None:
    workspace.open_case(_busiest_case(workspace.ctx))
    settle(workspace.ctx)
    tab = workspace.currentWidget()
    problems: dict[str, list[str]] = {}
    for code in SectionCode:
        tab.show_section(code)  # type: ignore[attr-defined]
        settle(workspace.ctx)
        assert workspace.size() == SIZE, f"{code or 'person'} pushes the window to " \
                                         f"{workspace.size()}"
        # Inside the main window the workspace has less than 720 px: its minimum must leave
        # room for the window's own bars, or the window grows past the screen.
        height = workspace.minimumSizeHint().height()
        assert height <= SIZE.height() - CHROME, f"{code or 'person'} needs {height} px"
        _look(workspace, f"section-{code or 'person'}")
        problems[code or "person"] = clipped(workspace)
    assert not any(problems.values()), _report(problems)


def test_the_same_at_150_percent_scaling(tmp_path: Path) -> None:
    """QT_SCALE_FACTOR is read when the QApplication starts: the scaled run is its own process."""
    env = dict(os.environ, QT_SCALE_FACTOR="1.5")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider",
         "-k", "fits_a_laptop_screen"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stdout[-6000:]
