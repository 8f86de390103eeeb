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
    assert "app.cli never reads the models itself KEPT" in result.stdout
    assert "never its queries KEPT" in result.stdout


SERVICES = ROOT / "app" / "services"
SHARED_SERVICE_MODULES = {"__init__.py", "editing.py"}  # steps every domain's writes share
DOMAIN_REQUIRED = {"__init__.py", "records.py", "read.py"}
DOMAIN_ALLOWED = DOMAIN_REQUIRED | {"write.py", "queries.py"}


def test_every_service_domain_has_the_same_shape() -> None:
    """app/services holds one package per domain with records/read[/write][/queries] only (see
    app/services/__init__.py), so a newcomer knows where a new service goes."""
    loose = {p.name for p in SERVICES.glob("*.py")} - SHARED_SERVICE_MODULES
    assert not loose, f"service modules outside a domain package: {sorted(loose)}"
    domains = sorted(p for p in SERVICES.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert len(domains) >= 10
    for domain in domains:
        modules = {p.name for p in domain.iterdir() if p.name != "__pycache__"}
        assert modules >= DOMAIN_REQUIRED, f"{domain.name} lacks {DOMAIN_REQUIRED - modules}"
        assert modules <= DOMAIN_ALLOWED, f"{domain.name} has {modules - DOMAIN_ALLOWED}"
        records = (domain / "records.py").read_text()
        # Records are plain values: nothing in them reaches the store.
        assert "sqlalchemy" not in records and "db.models" not in records, domain.name


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
