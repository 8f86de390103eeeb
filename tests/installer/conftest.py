"""The installers built from a small stand-in of the PyInstaller folder (a few files, names with
spaces, a nested folder, Lotse.exe), by the same script the release build runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUILD = ROOT / "installer" / "build-installers"
TOOLS = ("makensis", "wixl", "wixl-heat", "msiinfo")
STAND_IN = {
    "Lotse.exe": b"MZ stand-in",
    "_internal/base_library.zip": b"zip",
    "_internal/PySide6/Qt6Core.dll": b"dll",
    "_internal/PySide6/translations/qtbase_de.qm": b"qm",
    "_internal/resources/fonts/DejaVu Sans.ttf": b"font",
    "_internal/db/migrations/env.py": b"# env",
}


def require_tools() -> None:
    """Never skip: a machine without the tools fails, saying what to install."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install nsis msitools wixl "
                    "(Debian packs wixl and wixl-heat apart from msitools)", pytrace=False)


def project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"$', text, re.MULTILINE)
    assert match
    return match.group(1)


def make_stand_in(folder: Path) -> Path:
    dist = folder / "Lotse"
    for name, content in STAND_IN.items():
        path = dist / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return dist


def run_build(dist: Path, out: Path, work: Path,
              **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("LOTSE_SIGN", "LOTSE_VERSION"))}
    environment.update(env, LOTSE_INSTALLER_WORK=str(work))
    return subprocess.run([str(BUILD), str(dist), str(out)], capture_output=True, text=True,
                          env=environment, timeout=300, check=False)


@dataclass(frozen=True)
class Built:
    dist: Path
    out: Path
    work: Path
    version: str
    log: str

    @property
    def setup(self) -> Path:
        return self.out / f"Lotse-Setup-{self.version}.exe"

    @property
    def msi(self) -> Path:
        return self.out / f"Lotse-{self.version}.msi"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_tools()
    base = tmp_path_factory.mktemp("installers")
    dist = make_stand_in(base)
    result = run_build(dist, base / "out", base / "work")
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(dist, base / "out", base / "work", project_version(),
                 result.stdout + result.stderr)
