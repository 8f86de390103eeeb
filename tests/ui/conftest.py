"""Fixtures every desktop test may ask for: seeded data, a private temp folder, and no
QAbstractItemModelTester complaint passing silently (attach one with
`tests.ui.model_check.check_model`)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.vault.store import Vault
from tests.ui.casefile.sections_support import Seed
from tests.ui.model_check import MODEL_TEST_CATEGORY
from ui.context import AppContext


@pytest.fixture(autouse=True)
def no_model_tester_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test on any model tester complaint, whether or not pytest-qt captures Qt messages
    (with `-s` it captures nothing, and a silent guard is no guard)."""
    capture = getattr(request.node, "qt_log_capture", None)
    failures: list[str] = []
    previous = None
    if capture is None:
        def handler(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
            if context.category == MODEL_TEST_CATEGORY:
                failures.append(text)
            sys.stderr.write(f"{context.category}: {text}\n")

        previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        if capture is None:
            qInstallMessageHandler(previous)
    if capture is not None:
        failures = [r.message for r in capture.records
                    if r.context is not None and r.context.category == MODEL_TEST_CATEGORY]
    assert failures == [], "QAbstractItemModelTester found a broken model"


@pytest.fixture
def seed(vault: Vault) -> Seed:
    """Data created through the services before the desktop context takes the vault over."""
    case_id = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                         municipality="DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    return Seed(case_id, jobcenter, abh)


@pytest.fixture
def case_id(ctx: AppContext) -> int:
    """Ayşe Öztürk, languages ["tr"], no nationality. Test setup only: the database thread is
    idle, so the GUI thread may use the vault."""
    return create_case(ctx.vault(), NewCase(given_names="Ayşe", family_name="Öztürk",
                                            municipality="DO", languages=["tr"]))


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh temp dir for Python and Qt, so the scan sees everything written there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
