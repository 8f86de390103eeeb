"""House rules checked in every test run: layering, headless core, lint and types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_hold() -> None:
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers: ui -> app -> db KEPT" in result.stdout
    assert "app and db never import Qt KEPT" in result.stdout
    assert "no database access from widgets KEPT" in result.stdout


def test_cli_path_never_imports_qt(tmp_path: Path) -> None:
    """`lotse SUBCOMMAND` goes through ui.entry but must not pay for (or need) Qt."""
    code = ("import sys; from ui.entry import main; "
            f"rc = main(['--vault', {str(tmp_path)!r}, 'cases']); "
            "print(rc, any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))")
    result = _run(sys.executable, "-c", code)
    assert result.stdout.split() == ["2", "False"], result.stdout + result.stderr


def test_ruff_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "app", "db", "ui", "tests")
    assert result.returncode == 0, result.stdout


def test_mypy_clean() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout[-4000:]
