# PyInstaller runtime hook (installer/lotse.spec runs it first, before PyInstaller's own hooks):
# switch the frozen importer from the archive inside this executable to the one archive of
# compiled modules that Lotse.exe and lotse-cli.exe share, _internal/lotse-modules.pyz.
#
# Why: PyInstaller gives every executable its own copy of every compiled module (~11 MB each).
# Here each executable carries only what PyInstaller's bootstrap imports before this hook runs
# (ctypes and what it needs); everything else is read from the shared file, by PyInstaller's own
# reader and importer, so modules keep the __file__ and resource paths they have in any frozen
# build. The shared file sits in _internal like the DLLs, written by the installer, never by Lotse.
# A missing or foreign archive stops the start with an error: no fallback to a half-set of modules.
# ruff: noqa
import os
import sys

import pyimod01_archive  # PyInstaller's bootstrap modules, already loaded from the executable
import pyimod02_importers

_SHARED = os.path.join(sys._MEIPASS, "lotse-modules.pyz")  # same name as freeze_rules.SHARED_PYZ


def _use_shared_archive() -> None:
    # check_pymagic: the archive must be compiled for exactly this Python, or it is refused.
    archive = pyimod01_archive.ZlibArchiveReader(_SHARED, check_pymagic=True)
    pyimod02_importers.pyz_archive = archive
    pyimod02_importers._pyz_tree = None  # pkgutil's view of the modules, rebuilt from the new one
    # Finders made so far (for the bootstrap's imports) hold the executable's small archive.
    for path, finder in list(sys.path_importer_cache.items()):
        if isinstance(finder, pyimod02_importers.PyiFrozenFinder):
            del sys.path_importer_cache[path]
    # The bootstrap's ctypes hooks (DLLs found in _internal) must have been installed from the
    # executable's own archive: if a module they need was left out of it, they are silently skipped.
    import ctypes
    if ctypes.CDLL.__name__ != "PyInstallerCDLL":
        raise RuntimeError("ctypes was not set up by PyInstaller's bootstrap: the executable's "
                           "archive lacks a module it needs (installer/lotse.spec, BOOT_MODULES)")
    if sys.platform == "win32":
        import ctypes.util
        if ctypes.util.find_library.__name__ != "pyinstaller_find_library":
            raise RuntimeError("ctypes.util was not set up by PyInstaller's bootstrap "
                               "(installer/lotse.spec, BOOT_MODULES)")


_use_shared_archive()
del _use_shared_archive
