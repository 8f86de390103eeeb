"""Fixtures every desktop test may ask for: seeded data, a private temp folder, and no
QAbstractItemModelTester complaint passing silently."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.vault.store import Vault
from tests.ui.casefile.sections_support import Seed
from ui.context import AppContext


@pytest.fixture(autouse=True)
def no_model_tester_failures(qtlog: Any) -> Iterator[None]:
    yield
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []


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
