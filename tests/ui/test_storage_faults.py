"""The desktop on a full disk: a German message that says what happened, the typed text stays
in the form, and it saves once the disk has room again."""

from __future__ import annotations

import contextlib
import errno
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.cases.read import get_case
from tests.support.disk_faults import LAYERS, small_disk
from tests.ui.casefile.casefile_helpers import TIMEOUT, loaded_journal, open_case
from ui.casefile.sections.journal import JournalSection
from ui.context import AppContext

TEXT = "Rueckruf Jobcenter, Unterlagen zur Beschaeftigungsduldung besprochen"
FULL_DE = ("Der Datenträger ist voll. Es wurde nichts gespeichert; bitte schaffen Sie Platz "
           "(oder wählen Sie einen anderen Ort) und versuchen Sie es erneut.")
IO_DE = ("Beim Lesen oder Schreiben ist ein Fehler des Datenträgers aufgetreten. Es wurde "
         "nichts gespeichert; bitte lassen Sie den Datenträger prüfen.")


@pytest.fixture(params=LAYERS)
def disk_layer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with small_disk(tmp_path, 8 * 1024 * 1024, request.param) as disk:
        yield disk.layer, disk.folder


@pytest.fixture
def vault_dir(disk_layer: tuple[str, Path]) -> Path:
    """The test vault (tests/conftest.py) lives on the small disk."""
    return disk_layer[1] / "vault"


@contextlib.contextmanager
def disk_full(layer: str, ctx: AppContext, folder: Path) -> Iterator[str]:
    """The disk under the vault is full from here on; yields the German text to expect."""
    ctx.wait_idle()
    with ctx.vault().engine.connect() as conn:  # an empty WAL: the next commit needs room
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    if layer == "tmpfs":
        filler = folder / "filler"
        with open(filler, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        try:
            yield FULL_DE
        finally:
            filler.unlink()
        return
    # This process's writes beyond a file's end fail in the kernel (EFBIG), as on a full disk.
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, old_limit[1]))
    try:
        yield IO_DE
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


def type_entry(qtbot: QtBot, journal: JournalSection) -> None:
    journal.contact_kind.setCurrentIndex(journal.contact_kind.findData("phone"))
    journal.text.setFocus()
    qtbot.keyClicks(journal.text, TEXT)


def test_save_on_a_full_disk_says_so_and_keeps_the_input(
        qtbot: QtBot, ctx: AppContext, case_id: int, disk_layer: tuple[str, Path]) -> None:
    layer, folder = disk_layer
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    type_entry(qtbot, journal)
    with disk_full(layer, ctx, folder) as expected:
        qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: journal.general_error.text() != "", timeout=TIMEOUT)
        ctx.wait_idle()
    assert journal.general_error.text() == expected
    assert journal.text.toPlainText() == TEXT and widget.has_unsaved_changes()
    assert journal.model.rowCount() == 0
    # Room again: the same input saves with the same keystroke.
    qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=TIMEOUT)
    ctx.wait_idle()
    assert [j.text for j in get_case(ctx.vault(), case_id).journal] == [TEXT]
