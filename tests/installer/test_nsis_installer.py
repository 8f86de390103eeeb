"""The NSIS installer compiles (warnings are errors) from DIST_DIR, carries pyproject's version,
and its uninstaller removes exactly the installed files, never a folder recursively."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT
from tests.installer.conftest import (
    STAND_IN,
    Built,
    make_stand_in,
    project_version,
    require_tools,
    run_build,
)

NSI = ROOT / "installer" / "lotse.nsi"


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def test_installer_is_built_with_the_version_in_its_version_resource(built: Built) -> None:
    data = built.setup.read_bytes()
    assert data[:2] == b"MZ"
    for key, value in (("ProductName", "Lotse"), ("ProductVersion", built.version),
                       ("FileVersion", built.version)):
        # VS_VERSIONINFO strings: the key, NUL padding to a 4-byte boundary, then the value.
        pattern = re.escape(utf16(key)) + b"(\x00\x00)+" + re.escape(utf16(value))
        assert re.search(pattern, data), key


def test_uninstaller_removes_exactly_the_installed_files_and_then_empty_folders(
        built: Built) -> None:
    lines = (built.work / "files-uninstall.nsh").read_text(encoding="utf-8").splitlines()
    deletes = [line for line in lines if line.startswith("Delete ")]
    rmdirs = [line for line in lines if line.startswith("RMDir")]
    expected = {name.replace("/", "\\") for name in STAND_IN}
    assert {d.removeprefix('Delete "$INSTDIR\\').removesuffix('"') for d in deletes} == expected
    assert len(deletes) == len(expected)
    folders = [r.removeprefix('RMDir "$INSTDIR\\').removesuffix('"') for r in rmdirs]
    assert not any(r.startswith("RMDir /r") for r in rmdirs)
    assert set(folders) == {"_internal", "_internal\\PySide6", "_internal\\PySide6\\translations",
                            "_internal\\resources", "_internal\\resources\\fonts",
                            "_internal\\db", "_internal\\db\\migrations"}
    for i, folder in enumerate(folders):  # a folder only after everything inside it
        assert not any(f.startswith(folder + "\\") for f in folders[i + 1:]), folder


def test_script_keeps_the_vault_unless_asked_and_never_removes_the_program_folder_recursively(
) -> None:
    script = NSI.read_text(encoding="utf-8-sig")
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP}"' in script
    assert not re.search(r"RMDir\s+/r\s+\"?\$INSTDIR", script)
    # The only recursive removal is the data folder, in an optional (/o) uninstaller section.
    recursive = [line.strip() for line in script.splitlines() if "RMDir /r" in line]
    assert recursive == ['RMDir /r "$LOCALAPPDATA\\Lotse"']
    section = script.split('Section /o "un.Auch meinen Tresor und meine Einstellungen löschen"')[1]
    assert 'RMDir /r "$LOCALAPPDATA\\Lotse"' in section.split("SectionEnd")[0]
    assert '${GetOptions} $0 "/REMOVEDATA"' in script
    assert 'WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString"' in script


def test_build_refuses_a_dist_folder_without_lotse_exe(tmp_path: Path) -> None:
    require_tools()
    dist = make_stand_in(tmp_path)
    (dist / "Lotse.exe").unlink()
    result = run_build(dist, tmp_path / "out", tmp_path / "work")
    assert result.returncode != 0
    assert "Lotse.exe not found" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_build_refuses_a_version_windows_cannot_read(tmp_path: Path) -> None:
    require_tools()
    dist = make_stand_in(tmp_path)
    result = run_build(dist, tmp_path / "out", tmp_path / "work", LOTSE_VERSION="0.2.0.dev1")
    assert result.returncode != 0
    assert "is not x.y.z" in result.stderr


def test_build_refuses_file_names_the_generated_lists_cannot_carry(tmp_path: Path) -> None:
    require_tools()
    dist = make_stand_in(tmp_path)
    (dist / "_internal" / "R&D.txt").write_text("x", encoding="utf-8")
    result = run_build(dist, tmp_path / "out", tmp_path / "work")
    assert result.returncode != 0
    assert "cannot carry" in result.stderr


def test_a_linux_build_is_packaged_as_a_compile_check_that_nobody_ships(tmp_path: Path) -> None:
    """installer/build on Linux freezes `Lotse` and `lotse-cli` (no .exe): both scripts still
    compile against its real file list, into files named *-linux-check.*, never signed."""
    require_tools()
    dist = make_stand_in(tmp_path)
    (dist / "Lotse.exe").rename(dist / "Lotse")
    (dist / "lotse-cli").write_bytes(b"\x7fELF stand-in")
    out = tmp_path / "out"
    result = run_build(dist, out, tmp_path / "work", LOTSE_SIGN_PKCS12=str(tmp_path / "none.p12"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compile check only" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        f"Lotse-{project_version()}-linux-check.msi",
        f"Lotse-Setup-{project_version()}-linux-check.exe"]
    listed = (tmp_path / "work" / "files-uninstall.nsh").read_text(encoding="utf-8")
    assert 'Delete "$INSTDIR\\Lotse.exe"' in listed and 'Delete "$INSTDIR\\lotse-cli.exe"' in listed
    assert sorted(p.name for p in dist.iterdir()) == ["Lotse", "_internal", "lotse-cli"]


def test_installer_shows_the_third_party_notices_the_resources_require(built: Built) -> None:
    notices = (built.work / "third-party-notices.txt").read_text(encoding="utf-8-sig")
    assert "CC BY 4.0" in notices  # the Leipzig word ranking's attribution
    for required in sorted((ROOT / "resources").glob("*/SOURCES.md")) + sorted(
            (ROOT / "resources").glob("*/LICENSE.txt")):
        assert required.read_text(encoding="utf-8") in notices, required
    assert '!insertmacro MUI_PAGE_LICENSE "${NOTICES}"' in NSI.read_text(encoding="utf-8-sig")
    assert "-DNOTICES=" in built.log
