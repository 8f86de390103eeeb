"""What the frozen Lotse leaves out: one list, read by installer/lotse.spec (the build) and by
installer/estimate_windows_size.py (the Windows size estimate), so the two cannot disagree.

Plain Python without PyInstaller or Qt: the estimate imports it on a machine that has neither.
"""

from __future__ import annotations

from pathlib import PurePath

# Qt modules Lotse does not use (grep -rhn "PySide6\.Qt" app ui: Core, Gui, Widgets, Pdf,
# PdfWidgets, PrintSupport, Svg, and DBus on Linux only for the screen-lock signal).
_UNUSED_QT_EVERYWHERE = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit",
    "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc",
    "QtOpenGL", "QtOpenGLWidgets", "QtPositioning", "QtQml", "QtQmlFeatures", "QtQuick",
    "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects",
    "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
    "QtWebSockets", "QtXml",
    # QtNetwork's Python module only: the PySide6 hook adds it because QtPdf's library links
    # Qt's network library (which stays, as a library). Lotse never touches the network.
    "QtNetwork",
)


def unused_qt(windows: bool) -> list[str]:
    """The PySide6 modules the spec excludes on this platform."""
    # ui.session_events imports QtDBus only on Linux, optionally (the screen-lock signal).
    return [*_UNUSED_QT_EVERYWHERE, *(["QtDBus"] if windows else [])]


# Python packages some dependency can import but Lotse never does at run time.
UNUSED_PYTHON = [
    "tkinter", "_tkinter", "pytest", "hypothesis", "IPython", "numpy",
    # Build tools: PyInstaller's setuptools hook would otherwise ship ~2 MB of it.
    "setuptools", "pkg_resources", "distutils", "_distutils_hack",
    # Debugging aids, reached only through doctest (reportlab's test shapes) and help().
    "doctest", "pdb", "pydoc", "pydoc_data",
    # Pillow's AVIF codec (libavif, ~5 MB) and Tk bridge: Lotse reads scans as PNG, JPEG, TIFF,
    # BMP, GIF and WebP only (app.seal.reading.IMAGE_FORMATS); Pillow skips plugins it cannot
    # import.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._imagingtk", "PIL.ImageTk",
    # lxml's hook takes every submodule; pikepdf (XMP metadata) needs only lxml.etree.
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax",
    # Not SQLAlchemy's other dialects, though Lotse speaks only SQLite: alembic.ddl imports them.
    # TLS: Lotse never opens a network connection (only http.client, urllib, asyncio reach ssl,
    # each guarding the import). On Windows _ssl.pyd and libssl-3.dll (~0.9 MB).
    "ssl", "_ssl",
    # hashlib's OpenSSL backend: Python's own SHA-2/SHA-3/BLAKE2/MD5 (built into python312.dll on
    # Windows) serve hashlib and hmac without it; only pbkdf2_hmac and scrypt need OpenSSL, and
    # nothing collected calls them (Lotse's keys come from the cryptography package, which has
    # its own OpenSSL). On Windows _hashlib.pyd and libcrypto-3.dll (~5 MB).
    "_hashlib",
    # The standard library's SQLite: the store is SQLCipher through sqlcipher3 (db.engine hands
    # SQLAlchemy that module); only SQLAlchemy's default pysqlite import reaches sqlite3. On
    # Windows _sqlite3.pyd and sqlite3.dll (~1.6 MB).
    "sqlite3", "_sqlite3",
]


def excludes(windows: bool) -> list[str]:
    """Analysis(excludes=...): the Python modules above and the unused Qt modules."""
    return [*UNUSED_PYTHON, *(f"PySide6.{m}" for m in unused_qt(windows))]


KEEP_TRANSLATIONS = {"qtbase_de.qm"}  # ui.desktop loads qtbase_de; nothing else is translated
# Qt plugins for what Lotse never does: network (tls, networkinformation), embedded/kiosk
# displays (eglfs and its device integrations, linuxfb, vnc, Vulkan display), touch and tablet
# input devices read directly (generic: evdev, TUIO). Kept: the desktop platforms (windows, xcb,
# wayland), offscreen (the self-test on a server), styles, icon engines, print support, input
# contexts (compose keys, IBus) and platform themes (native file dialogs).
# On Windows also the virtual keyboard and Lottie vector images (both need Qt Quick, not shipped).
UNUSED_PLUGIN_KINDS = {"tls", "networkinformation", "egldeviceintegrations", "generic",
                       "vectorimageformats"}
UNUSED_PLUGINS = ("qeglfs", "qlinuxfb", "qminimal", "qvnc", "qvkkhrdisplay", "qdirect2d",
                  "qtvirtualkeyboard",
                  # Linux: the GTK 3 theme drags in GTK's stack (cairo, pango, atk, ...) for
                  # nothing: the XDG desktop portal theme gives native file dialogs as well.
                  "qgtk3",
                  # image formats Lotse neither shows nor reads (its scans go through Pillow)
                  "qicns", "qtga", "qwbmp", "qwebp", "qtiff", "qpdf")
# Qt libraries of excluded modules that a hook pulled in as a plugin's dependency.
UNUSED_QT_LIBRARIES = ("qt6quick", "qt6qml", "libqt6quick", "libqt6qml", "qt6virtualkeyboard",
                       "libqt6virtualkeyboard", "libqt6eglfs")


def wanted(dest: str) -> bool:
    """Whether a binary or data file the analysis collected (by its path in _internal) ships."""
    parts = PurePath(dest.replace("\\", "/")).parts
    name = parts[-1].lower()
    if "translations" in parts and name.endswith(".qm"):
        return name in KEEP_TRANSLATIONS
    # Software OpenGL (Mesa llvmpipe, ~20 MB): only a fallback for OpenGL/Quick content; Lotse's
    # widgets paint with the raster engine and never create an OpenGL context.
    if name.startswith("opengl32sw"):
        return False
    if name.startswith(UNUSED_QT_LIBRARIES):
        return False
    if "plugins" in parts:
        kind = parts[parts.index("plugins") + 1]
        return kind not in UNUSED_PLUGIN_KINDS and not any(n in name for n in UNUSED_PLUGINS)
    return True

# The one archive of compiled modules both executables read (installer/rthook_shared_modules.py
# opens it by this name in _internal).
SHARED_PYZ = "lotse-modules.pyz"
