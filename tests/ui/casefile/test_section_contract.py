"""A section (or case tab) that misses or misspells a method of its contract is refused: by mypy
when it is registered, and when it is built. Name-based dispatch skipped it silently, and the
draft typed into it was lost at lock."""

from __future__ import annotations

import gc
import textwrap
import uuid
from pathlib import Path

import pytest
from mypy import api as mypy_api
from pytestqt.qtbot import QtBot

from ui.casefile._section import DraftState, Section
from ui.context import AppContext
from ui.page_hosts import CaseTab

ROOT = Path(__file__).resolve().parents[3]

SNIPPET = '''
from ui.casefile._section import DraftState, Section, SectionCode, SectionSpec


class NotesSection(Section):
    def refresh(self) -> None: ...

    def has_unsaved_changes(self) -> bool:
        return True

    def {name}(self) -> DraftState | None:
        return {{"text": "typed"}}

    def restore_draft(self, state: DraftState) -> None: ...


SPEC = SectionSpec(SectionCode.JOURNAL, "Notizen", NotesSection)
'''


def mypy_errors(tmp_path: Path, method: str) -> list[str]:
    # A module name of its own: mypy's shared cache keys modules by name, and would otherwise
    # answer with what an earlier run (another path, another spelling) reported.
    snippet = tmp_path / f"snippet_{method}_{uuid.uuid4().hex}.py"
    snippet.write_text(textwrap.dedent(SNIPPET.format(name=method)))
    thresholds = gc.get_threshold()
    try:
        out, err, _status = mypy_api.run([
            "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"),
            "--no-error-summary", str(snippet)])
    finally:  # mypy raises the collector's thresholds for itself; later tests rely on Python's
        gc.set_threshold(*thresholds)
    assert not err, err
    return [line for line in out.splitlines() if line.startswith(str(snippet))]


def test_mypy_refuses_to_register_a_section_with_a_misspelt_method(tmp_path: Path) -> None:
    assert mypy_errors(tmp_path, "draft_state") == []  # the snippet itself is sound
    errors = mypy_errors(tmp_path, "draft_sate")
    assert len(errors) == 1 and "[type-abstract]" in errors[0], errors


class Misspelt(Section):
    def refresh(self) -> None: ...

    def has_unsaved_changes(self) -> bool:
        return True

    def draft_sate(self) -> DraftState | None:
        return {"text": "typed"}

    def restore_draft(self, state: DraftState) -> None: ...


class CaseTabWithoutDrafts(CaseTab):
    def show_section(self, code: str) -> None: ...

    def has_unsaved_changes(self) -> bool:
        return True


def test_building_an_incomplete_section_or_case_tab_fails(qtbot: QtBot, ctx: AppContext) -> None:
    with pytest.raises(TypeError, match="draft_state"):
        Misspelt(ctx, 1)  # type: ignore[abstract]
    with pytest.raises(TypeError, match="draft_state, restore_draft"):
        CaseTabWithoutDrafts(1)  # type: ignore[abstract]
