"""The MSI as msiinfo reads it: dual-purpose (ALLUSERS=2, MSIINSTALLPERUSER=1, no elevation
needed), the fixed UpgradeCode with major upgrades and refused downgrades, a new ProductCode per
build, every file of DIST_DIR, a Start-menu shortcut, and nothing that touches the vault."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.installer.conftest import STAND_IN, Built, run_build

# Fixed for the life of Lotse (installer/lotse.wxs): a changed code would install a second Lotse.
UPGRADE_CODE = "{CF26730B-9198-4A22-831E-F5E43AD66414}"


def table(msi: Path, name: str) -> list[list[str]]:
    """Rows of an MSI table (msiinfo export: three header lines, then tab-separated rows)."""
    text = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return [line.split("\t") for line in text.splitlines()[3:] if line]


def properties(msi: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in table(msi, "Property")}


def test_package_installs_per_user_unless_it_is_told_per_machine(built: Built) -> None:
    props = properties(built.msi)
    assert props["ALLUSERS"] == "2"
    assert props["MSIINSTALLPERUSER"] == "1"
    assert props["ProductVersion"] == built.version
    assert props["ProductLanguage"] == "1031"
    suminfo = subprocess.run(["msiinfo", "suminfo", str(built.msi)], capture_output=True,
                             text=True, check=True, timeout=60).stdout
    source = int(next(line for line in suminfo.splitlines()
                      if line.startswith("Source:")).split()[1])
    assert source & 8, "word count bit 3 (no elevation) must be set for per-user installs"
    directories = {row[0]: row for row in table(built.msi, "Directory")}
    # ProgramFiles64Folder: %LOCALAPPDATA%\Programs per user, %ProgramFiles% per machine.
    assert directories["INSTALLDIR"][1:] == ["ProgramFiles64Folder", "Lotse"]
    conditions = {row[0]: row[1] for row in table(built.msi, "LaunchCondition")}
    assert 'Installed OR UserSID <> "S-1-5-18" OR ALLUSERS' in conditions


def test_upgrades_replace_and_downgrades_are_refused_under_the_fixed_upgrade_code(
        built: Built) -> None:
    assert properties(built.msi)["UpgradeCode"] == UPGRADE_CODE
    # UpgradeCode, VersionMin, VersionMax, Language, Attributes, Remove, ActionProperty
    rows = {row[6]: row for row in table(built.msi, "Upgrade")}
    assert {row[0] for row in rows.values()} == {UPGRADE_CODE}
    major, minor, patch = built.version.split(".")
    # Older versions: found and removed (RemoveExistingProducts).
    assert rows["WIX_UPGRADE_DETECTED"][1:5] == ["", built.version, "", "1"]
    # The same version from another build (another ProductCode): replaced as well.
    assert rows["WIX_SAME_VERSION_UPGRADE_DETECTED"][1:5] == [
        built.version, f"{major}.{minor}.{int(patch) + 1}", "", "256"]
    # Newer versions: only detected (attribute 2), and the launch condition refuses, in German.
    assert rows["WIX_DOWNGRADE_DETECTED"][1:5] == [built.version, "", "", "2"]
    conditions = {row[0]: row[1] for row in table(built.msi, "LaunchCondition")}
    assert "neuere Version von Lotse" in conditions["NOT WIX_DOWNGRADE_DETECTED"]
    sequence = {row[0]: int(row[2]) for row in table(built.msi, "InstallExecuteSequence")}
    assert sequence["InstallValidate"] < sequence["RemoveExistingProducts"] < sequence[
        "InstallInitialize"]


def test_each_build_has_its_own_product_code(built: Built, tmp_path: Path) -> None:
    again = run_build(built.dist, tmp_path / "out", tmp_path / "work")
    assert again.returncode == 0, again.stderr
    second = tmp_path / "out" / built.msi.name
    assert properties(second)["UpgradeCode"] == UPGRADE_CODE
    assert properties(second)["ProductCode"] != properties(built.msi)["ProductCode"]


def test_every_file_of_the_program_folder_is_in_the_package(built: Built) -> None:
    files = sorted((row[2], int(row[3])) for row in table(built.msi, "File"))
    expected = sorted((Path(name).name, len(content)) for name, content in STAND_IN.items())
    assert files == expected


def test_start_menu_shortcut_starts_lotse(built: Built) -> None:
    [shortcut] = table(built.msi, "Shortcut")
    assert shortcut[1:5] == ["ProgramMenuFolder", "Lotse", "LotseExe", "[#LotseExe]"]
    files = {row[0]: row[2] for row in table(built.msi, "File")}
    assert files["LotseExe"] == "Lotse.exe"


def test_nothing_in_the_package_touches_the_vault_or_the_settings(built: Built) -> None:
    assert table(built.msi, "RemoveFile") == []
    directories = {row[0] for row in table(built.msi, "Directory")}
    assert not directories & {"LocalAppDataFolder", "AppDataFolder", "PersonalFolder"}
    for row in table(built.msi, "Registry"):
        key = row[2].lower()
        assert key != "software\\lotse" and not key.startswith("software\\lotse\\"), row
    assert table(built.msi, "CustomAction") == []


def test_build_prints_the_tables_properties_and_upgrade_code(built: Built) -> None:
    assert "-- msiinfo tables:" in built.log
    assert "ALLUSERS\t2" in built.log and "MSIINSTALLPERUSER\t1" in built.log
    assert f"UpgradeCode\t{UPGRADE_CODE}" in built.log
    assert "WIX_UPGRADE_DETECTED" in built.log.split("-- Upgrade:")[1]
    assert "signing skipped" in built.log
