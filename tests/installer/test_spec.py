"""The frozen build's rules: one list of what is left out, read by the spec and by the Windows
size estimate alike, and the shared module archive's name agreed between spec and runtime hook.

The build itself (installer/build) is the real check: its frozen --self-test runs on what these
rules leave in. These tests catch the drift that the build would not show on Linux: a list copied
into the spec, a Windows-only rule, an archive name changed on one side only.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "lotse.spec"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rules() -> ModuleType:
    return load("freeze_rules")


def assigned_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def test_spec_takes_its_lists_from_freeze_rules(rules: ModuleType) -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert "import freeze_rules" in text
    assert "excludes=freeze_rules.excludes(WINDOWS)" in text
    assert text.count("freeze_rules.wanted(entry[0])") == 2  # binaries and datas
    own = assigned_names(SPEC)
    shared = {n for n in vars(rules) if n.isupper()}
    assert not own & (shared | {"UNUSED_QT"}), f"the spec defines its own {own & shared}"


def test_estimate_reads_the_same_module() -> None:
    tree = ast.parse((INSTALLER / "estimate_windows_size.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "freeze_rules" in imported
    assert not assigned_names(INSTALLER / "estimate_windows_size.py") & {
        "UNUSED_QT", "UNUSED_PYTHON", "UNUSED_PLUGINS", "UNUSED_PLUGIN_KINDS", "KEEP_TRANSLATIONS"}


def test_runtime_hook_opens_the_archive_the_spec_ships(rules: ModuleType) -> None:
    hook = (INSTALLER / "rthook_shared_modules.py").read_text(encoding="utf-8")
    opened = re.search(r'os\.path\.join\(sys\._MEIPASS, "([^"]+)"\)', hook)
    assert opened and opened.group(1) == rules.SHARED_PYZ
    spec = SPEC.read_text(encoding="utf-8")
    assert "rthook_shared_modules.py" in spec
    assert "(freeze_rules.SHARED_PYZ, shared_pyz.name, \"DATA\")" in spec
    # the executables embed only the bootstrap's archive, never the full one
    assert re.search(r"EXE\(\s*#[^\n]*\n\s*boot_pyz,", spec)


def test_qtdbus_is_left_out_on_windows_only(rules: ModuleType) -> None:
    assert "PySide6.QtDBus" in rules.excludes(windows=True)
    assert "PySide6.QtDBus" not in rules.excludes(windows=False)
    used = ("QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPdfWidgets", "QtPrintSupport", "QtSvg")
    for module in used:
        assert f"PySide6.{module}" not in rules.excludes(windows=True)


@pytest.mark.parametrize(("dest", "ships"), [
    ("PySide6/opengl32sw.dll", False),
    ("PySide6/translations/qtbase_de.qm", True),
    ("PySide6/translations/qtbase_fr.qm", False),
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/platforms/qoffscreen.dll", True),
    ("PySide6/plugins/platforms/qminimal.dll", False),
    ("PySide6/plugins/platforms/qdirect2d.dll", False),
    ("PySide6/plugins/tls/qschannelbackend.dll", False),
    ("PySide6/plugins/imageformats/qjpeg.dll", True),
    ("PySide6/plugins/imageformats/qtiff.dll", False),
    ("PySide6\\plugins\\imageformats\\qwebp.dll", False),  # Windows separators, as on Windows
    ("PySide6/Qt6Quick.dll", False),
    ("PySide6/Qt6Gui.dll", True),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),
    ("resources/fonts/DejaVuSans.ttf", True),
])
def test_wanted(rules: ModuleType, dest: str, ships: bool) -> None:
    assert rules.wanted(dest) is ships


def test_estimate_maps_linux_extension_modules_to_windows_names() -> None:
    estimate = load("estimate_windows_size")
    assert estimate.module_of_extension("PySide6/QtCore.abi3.so") == ("PySide6/", "QtCore")
    assert estimate.module_of_extension(
        "python3.12/lib-dynload/_decimal.cpython-312-x86_64-linux-gnu.so") == (None, "_decimal")
    assert estimate.module_of_extension(
        "_cffi_backend.cpython-312-x86_64-linux-gnu.so") == ("", "_cffi_backend")
    assert estimate.group_of("pillow.libs/libwebp.dll", "wheel") == "pil"
    assert estimate.group_of("shiboken6/shiboken6.abi3.dll", "wheel") == "Qt + PySide6 + shiboken6"
    assert estimate.group_of("lotse-modules.pyz", "data").startswith("compiled Python modules")
