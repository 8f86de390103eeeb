"""The build's hashed locks cannot drift from pyproject.toml silently.

installer/build installs the frozen program's dependencies only from these locks
(`pip install --require-hashes --no-deps`), so a pin changed in pyproject.toml but not in the
locks would ship something other than what the tests ran against. Regenerate with
`installer/build --lock`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
LOCKS = sorted(INSTALLER.glob("requirements-*.lock"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*\\?$")
HASH = re.compile(r"^\s+--hash=sha256:([0-9a-f]{64})\s*\\?$")


def normal(name: str) -> str:
    """PEP 503: PySide6_Essentials, pyside6-essentials and PySide6.Essentials are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        match = PIN.match(line.split("#", 1)[0].strip())
        if match:
            found[normal(match.group(1))] = match.group(2)
    return found


def pyproject_pins() -> dict[str, str]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        dependencies: list[str] = tomllib.load(f)["project"]["dependencies"]
    unpinned = [d for d in dependencies if not PIN.match(d.strip())]
    assert not unpinned, f"runtime dependencies must be pinned with ==: {unpinned}"
    return pins(dependencies)


def build_pins() -> dict[str, str]:
    return pins((INSTALLER / "build-requirements.in").read_text(encoding="utf-8").splitlines())


def parse_lock(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, sha256 hashes) of every entry in a `--generate-hashes` lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if (match := ENTRY.match(line)) is not None:
            current = normal(match.group(1))
            assert current not in entries, f"{path.name}: {current} is locked twice"
            entries[current] = (match.group(2), [])
        elif (match := HASH.match(line)) is not None:
            assert current is not None, f"{path.name}: a hash before any entry"
            entries[current][1].append(match.group(1))
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"{path.name}: unexpected line {line!r} (only name==version + hashes)")
    return entries


def test_there_is_a_lock_for_windows_and_for_linux() -> None:
    assert [p.name for p in LOCKS] == ["requirements-linux.lock", "requirements-windows.lock"]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_pin_of_pyproject_and_the_build_is_locked_at_its_version(lock: Path) -> None:
    entries = parse_lock(lock)
    wanted = {**pyproject_pins(), **build_pins()}
    assert wanted, "no pins found: the parsing is broken"
    drifted = {name: (version, entries.get(name, ("missing", []))[0])
               for name, version in wanted.items()
               if entries.get(name, ("missing", []))[0] != version}
    assert not drifted, f"{lock.name} differs from the pins (pin, lock): {drifted}; " \
                        "regenerate with installer/build --lock"


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_locked_package_has_a_sha256_hash(lock: Path) -> None:
    entries = parse_lock(lock)
    assert entries
    unhashed = sorted(name for name, (_version, hashes) in entries.items() if not hashes)
    assert not unhashed, f"{lock.name}: no sha256 hash for {unhashed}"


def test_linux_build_tests_the_versions_windows_ships() -> None:
    """The Linux build's self-test stands in for Windows': same version of every shared package."""
    linux = parse_lock(INSTALLER / "requirements-linux.lock")
    windows = parse_lock(INSTALLER / "requirements-windows.lock")
    differ = {n: (linux[n][0], windows[n][0]) for n in linux.keys() & windows.keys()
              if linux[n][0] != windows[n][0]}
    assert not differ, f"linux and windows locks differ (linux, windows): {differ}"
    assert set(linux) <= set(windows), f"only in the linux lock: {set(linux) - set(windows)}"
