"""Shared data and checks for the case-file section tests (one test module per section)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app import catalogues
from tests.ui.model_check import check_model
from ui.casefile._table import RowsModel
from ui.context import AppContext

MARKER = "GEHEIMMARKE-Qx7Zk-4711"
PURPOSE = "Vermittlung in Arbeit"


@dataclass(frozen=True)
class Seed:
    case_id: int
    jobcenter: str
    abh: str


def as_in_window(ctx: AppContext, section: Any) -> Any:
    """The case-file window reloads its visible section when a committed change touches its
    case; a section alone in a test reloads on every change."""
    ctx.changes.connect(lambda _changes: section.refresh())
    return section


def cell(model: RowsModel, key: str, column: int) -> str:
    for row in model.rows():
        if row.key == key:
            return row.cells[column]
    return ""


def category_column(code: str) -> int:
    return 1 + [c.code for c in catalogues.data_categories()].index(code)


def make_pdf(path: Path) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pageCompression=0)  # uncompressed: the marker is plain bytes
    canvas.setTitle(MARKER)
    canvas.drawString(72, 720, f"Einwilligung {MARKER}")
    canvas.showPage()
    canvas.save()
    return path.read_bytes()


def files_containing(marker: bytes, *roots: Path) -> list[Path]:
    hits = []
    for root in roots:
        for p in root.rglob("*"):
            if p.is_file() and marker in p.read_bytes():
                hits.append(p)
    return hits


def open_consents(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import ConsentsSection

    section = as_in_window(ctx, ConsentsSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.matrix_model)
    check_model(section.list_model)
    section.refresh()
    qtbot.waitUntil(lambda: section.form.institution.count() > 2, timeout=10000)
    return section



def open_confirmation(owner: QWidget) -> QMessageBox | None:
    """The confirmation (ui.dialogs.confirm) currently shown over ``owner``."""
    box = owner.findChild(QMessageBox, "confirmation")
    return box if box is not None and box.isVisible() else None


def answer_confirmation(qtbot: QtBot, owner: QWidget, button_text: str) -> str:
    """Press a button of the open confirmation as a user would; return the question and the
    button texts it offered."""
    qtbot.waitUntil(lambda: open_confirmation(owner) is not None, timeout=5000)
    box = open_confirmation(owner)
    assert box is not None
    offered = sorted(b.text() for b in box.buttons())
    question = box.text()
    button = next(b for b in box.buttons() if b.text() == button_text)
    assert isinstance(button, QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: open_confirmation(owner) is None, timeout=5000)
    return f"{question}\n{offered}"
