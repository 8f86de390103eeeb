"""Option 3 of ``docs/memory-security.md``, measured: memory security on, with SQLite's
per-connection lookaside enlarged, so that most small allocations never reach SQLCipher's
locking and wiping allocator.

For this measurement only. Lotse itself cannot do this: it needs ``sqlite3_db_config``, which
the Linux wheel of sqlcipher3 exports and the Windows one does not (its ``.pyd`` exports nothing
but the module's init); on the caseworkers' laptops only a SQLCipher built with a larger
``SQLITE_DEFAULT_LOOKASIDE`` would give it. The connection's ``sqlite3 *`` is the first field
after the object header of the driver's connection (as in CPython's ``_sqlite``); it is checked
against the file SQLite reports for it before anything is set.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any
from urllib.parse import unquote

SLOT_SIZE = 1200  # bytes: SQLite's default slot size
SLOTS = 4000  # SQLite's default is 40 (48 KB); this is 4.8 MB per connection
SQLITE_DBCONFIG_LOOKASIDE = 1001


def enlarge_lookaside() -> None:
    """Every connection the vault opens from now on gets the larger lookaside."""
    from sqlcipher3 import _sqlite3  # type: ignore[attr-defined]

    import db.engine as engine

    lib = ctypes.CDLL(_sqlite3.__file__)
    lib.sqlite3_db_filename.restype = ctypes.c_char_p
    lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    original = engine.sqlcipher.connect

    def connect(database: str, *args: Any, **kwargs: Any) -> Any:
        conn = original(database, *args, **kwargs)
        handle = ctypes.c_void_p.from_address(id(conn) + 2 * ctypes.sizeof(ctypes.c_void_p))
        name = lib.sqlite3_db_filename(handle, b"main")
        wanted = unquote(database.removeprefix("file:").split("?")[0])
        if name is None or os.path.realpath(name.decode()) != os.path.realpath(wanted):
            raise RuntimeError("not the connection's sqlite3 handle: layout changed")
        status = lib.sqlite3_db_config(handle, ctypes.c_int(SQLITE_DBCONFIG_LOOKASIDE),
                                       ctypes.c_void_p(None), ctypes.c_int(SLOT_SIZE),
                                       ctypes.c_int(SLOTS))
        if status != 0:
            raise RuntimeError(f"sqlite3_db_config(LOOKASIDE) returned {status}")
        return conn

    engine.sqlcipher.connect = connect
