"""Open the SQLCipher store: raw key first, pinned cipher settings, refuse-never-fall-back.

The key is given to SQLCipher as a raw 256-bit key through ``sqlite3_key`` on the DB-API
connection itself, never through a URL, SQL text (``PRAGMA key`` would leave the key in Python
strings and in the statement cache) or SQLAlchemy's pysqlcipher dialect.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import QueuePool
from sqlcipher3 import dbapi2 as sqlcipher

from db import fileguard
from db.errors import CipherSettingsMismatch, NotAStore, UndecryptableStore, WriteInReadSession
from db.faults import BUSY, READ_ONLY, sqlite_fault
from db.folding import fold_search, fold_sort
from db.keybuffer import KeyBuffer, raw_key_literal, wipe

PLAINTEXT_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x4C4F5453  # "LOTS": tells a Lotse store from any other SQLCipher file
PAGE_SIZE = 4096
# SQLite opens these beside the store by name: a link there would carry pages elsewhere.
SIDECARS = ("-wal", "-shm", "-journal")

# SQLCipher 4 defaults, pinned explicitly so a library upgrade cannot silently change them.
PINNED_CIPHER_SETTINGS: dict[str, str] = {
    "cipher_page_size": str(PAGE_SIZE),
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
    "cipher_plaintext_header_size": "0",
    "cipher_use_hmac": "1",
}

# Process-wide and one-way in SQLCipher: every allocation SQLite frees is overwritten, so the
# key schedule, page buffers and statement texts do not linger after a lock. Set before the key,
# so SQLCipher's own copy of it is made by the wiping allocator. Reads back "1" once used.
MEMORY_SECURITY = "cipher_memory_security"
# Execution option: this transaction writes, so it takes the write lock at BEGIN (see _begin).
IMMEDIATE = "lotse_immediate"
# Below this, waiting for the lock goes unmentioned (another process's audit insert, say).
QUIET_WAIT_SECONDS = 0.25


@dataclass
class Waiting:
    """How long this process waits for another one's write lock, and whom it tells.

    Per process, like a locale: the desktop keeps the default, the CLI sets ``--wait`` and a
    one-line notice on a terminal.
    """

    seconds: float = 5.0
    notice: Callable[[], None] | None = None

    @property
    def busy_timeout_ms(self) -> int:
        return max(0, int(self.seconds * 1000))


WAITING = Waiting()


def configure_waiting(seconds: float, notice: Callable[[], None] | None = None) -> None:
    WAITING.seconds = seconds
    WAITING.notice = notice


SQL_FUNCTIONS: dict[str, Callable[[str | None], str]] = {
    "lotse_fold": fold_search,
    "lotse_sort_key": fold_sort,
}


def check_sidecars(path: Path) -> None:
    for suffix in SIDECARS:
        fileguard.check_regular(Path(str(path) + suffix))


def precheck_file(path: Path) -> None:
    """Reject what must never reach SQLCipher: missing, linked, empty, plaintext, ragged files."""
    if not fileguard.check_regular(path):
        raise NotAStore(f"store file missing: {path.name}")
    check_sidecars(path)
    size = path.stat().st_size
    if size == 0:
        raise NotAStore("store file is empty")
    with fileguard.open_file(path, "rb") as fh:
        head = fh.read(len(PLAINTEXT_HEADER))
    if head == PLAINTEXT_HEADER:
        raise NotAStore("store file is an unencrypted SQLite database")
    if size % PAGE_SIZE != 0:
        raise NotAStore("store file is truncated (size is not a whole number of pages)")


def _pragma(conn: Any, name: str) -> str:
    row = conn.execute(f"PRAGMA {name}").fetchone()
    return "" if row is None else str(row[0])


def _check_store_size(conn: Any, path: Path) -> None:
    """Without a WAL, the header's page count must match the file (catches page-aligned cuts)."""
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return
    pages = int(_pragma(conn, "page_count"))
    if pages * PAGE_SIZE != path.stat().st_size:
        raise NotAStore("store file is truncated (page count does not match its size)")


def check_ours(conn: Any, path: Path) -> None:
    """The opened file is a Lotse store and not cut short."""
    if int(_pragma(conn, "application_id")) != APPLICATION_ID:
        raise NotAStore("the file is a database but not a Lotse store")
    _check_store_size(conn, path)


def harden(conn: Any) -> None:
    """Settings every connection gets (and checks), then the SQL functions the schema calls."""
    conn.execute("PRAGMA temp_store = MEMORY")
    if _pragma(conn, "temp_store") != "2":
        raise CipherSettingsMismatch("temp_store is not MEMORY; temp files would be plaintext")
    conn.execute("PRAGMA secure_delete = ON")
    if _pragma(conn, "secure_delete") != "1":
        raise CipherSettingsMismatch("secure_delete could not be enabled")
    conn.execute("PRAGMA foreign_keys = ON")
    # trusted_schema stays ON: the FTS triggers call lotse_fold(), and the DB-API cannot mark
    # it innocuous. The schema is inside the authenticated, encrypted store.
    for fname, func in SQL_FUNCTIONS.items():
        conn.create_function(fname, 1, func, deterministic=True)


def _key_connection(conn: Any, key: bytes | bytearray | memoryview) -> None:
    """``sqlite3_key`` straight from a buffer that is wiped right after (no SQL text)."""
    conn.execute(f"PRAGMA {MEMORY_SECURITY} = ON")
    literal = raw_key_literal(key)
    try:
        conn.set_key(literal)
    finally:
        wipe(literal)


def memory_security_on(conn: Any) -> bool:
    return _pragma(conn, MEMORY_SECURITY) == "1"


def silence_cipher_log(conn: Any) -> None:
    """SQLCipher writes its own log lines ("ERROR CORE sqlite3Codec: ...") to stderr; the
    caller reports every failure itself, so these only clutter the terminal. Set before the key
    (the first decryption may log) on every connection, although the level is process-wide."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    if _pragma(conn, "cipher_log_level") != "NONE":
        raise CipherSettingsMismatch("SQLCipher's log could not be silenced")


def connect_raw(path: Path, key: bytes | bytearray | memoryview, *,
                create: bool = False) -> Any:
    """A keyed, verified DB-API connection. ``create`` only for a brand-new vault."""
    if len(key) != 32:
        raise ValueError("raw SQLCipher key must be 32 bytes")
    if create:
        # Made by us, private, where nothing was (not even a dangling link): SQLite then fills
        # the empty file, and gives its WAL and shared-memory files the same permissions.
        check_sidecars(path)
        fileguard.create_private(path)
    else:
        precheck_file(path)
    mode = "rwc" if create else "rw"  # rw: a missing file is an error, never a new store
    conn = sqlcipher.connect(
        f"file:{quote(str(path))}?mode={mode}", uri=True, check_same_thread=False,
        isolation_level=None, timeout=WAITING.seconds,
    )
    try:
        silence_cipher_log(conn)
        _key_connection(conn, key)
        conn.execute("PRAGMA cipher_compatibility = 4")
        for name, value in PINNED_CIPHER_SETTINGS.items():
            if name != "cipher_use_hmac":
                conn.execute(f"PRAGMA {name} = {value}")
        # Nothing below may write until we know the store is ours and not newer than us.
        conn.execute("PRAGMA query_only = ON")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            if sqlite_fault(exc) is not None:  # a busy or failing disk is not a wrong key
                raise
            raise UndecryptableStore("the key does not decrypt the store file") from exc
        for name, expected in PINNED_CIPHER_SETTINGS.items():
            actual = _pragma(conn, name)
            if actual != expected:
                raise CipherSettingsMismatch(f"{name} is {actual!r}, expected {expected!r}")
        if not memory_security_on(conn):
            raise CipherSettingsMismatch("cipher_memory_security could not be enabled")
        if not create:
            check_ours(conn, path)
        harden(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def enable_writes(conn: Any, *, create: bool = False) -> None:
    conn.execute("PRAGMA query_only = OFF")
    if create:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA busy_timeout = {WAITING.busy_timeout_ms}")


def make_engine(path: Path, key: KeyBuffer, *, pool_size: int = 4) -> Engine:
    """SQLAlchemy engine over an already-verified store; every pooled connection is keyed.

    The creator reads the key from ``key`` at connect time and keeps no copy: once the vault's
    lock has wiped the buffer, no new connection can be made (``StoreLocked``).
    """

    def creator() -> Any:
        view = key.view()
        try:
            conn = connect_raw(path, view)
        finally:
            view.release()
        enable_writes(conn)
        return conn

    return engine_over(creator, pool_size=pool_size)


def engine_over(creator: Callable[[], Any], *, pool_size: int = 4) -> Engine:
    """The pool and transaction handling every Lotse engine shares, over ``creator``; its twin
    for units that only read is ``reader_of(engine)``."""
    engine = _pooled(creator, pool_size)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if conn.get_execution_options().get(IMMEDIATE):
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    _READERS[engine] = _reader_over(creator, pool_size)
    return engine


def reader_of(engine: Engine) -> Engine:
    """Connections of their own for units that only read: deferred transactions (they never
    take the write lock, so they neither wait for another writer nor hold up this process's),
    and ``query_only`` for good, so a write there fails (``WriteInReadSession``). Set once per
    connection: switching the pragma per transaction would expire every prepared statement."""
    return _READERS[engine]


_READERS: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def _reader_over(creator: Callable[[], Any], pool_size: int) -> Engine:
    def read_only() -> Any:
        conn = creator()
        conn.execute("PRAGMA query_only = ON")
        return conn

    engine = _pooled(read_only, pool_size)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _write_in_read_session(context: ExceptionContext) -> None:
        # Registered before the app's fault translation: a bug, not a read-only disk.
        if sqlite_fault(context.original_exception) == READ_ONLY:
            raise WriteInReadSession("a write was attempted on a read-only connection") \
                from context.original_exception

    return engine


def _pooled(creator: Callable[[], Any], pool_size: int) -> Engine:
    engine = create_engine(
        "sqlite://", module=sqlcipher, creator=creator, poolclass=QueuePool,
        pool_size=pool_size, max_overflow=2, hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _no_pysqlite_autobegin(dbapi_conn: Any, _rec: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (the pysqlite recipe for correct transactions).
        dbapi_conn.isolation_level = None

    return engine


def _begin_immediate(conn: Connection) -> None:
    """Take the write lock first, waiting up to ``WAITING.seconds`` for another writer.

    A deferred transaction that has read and then writes cannot wait: SQLite fails it at once
    with "database is locked" while another connection writes (waiting could deadlock). So a
    transaction that will write says so at BEGIN; the last attempt's error goes through the
    engine's error handling (the app turns it into "in use by another Lotse process").
    """
    raw = conn.connection.dbapi_connection
    assert raw is not None  # inside a checked-out connection's begin
    wait_ms = WAITING.busy_timeout_ms
    raw.execute(f"PRAGMA busy_timeout = {min(wait_ms, int(QUIET_WAIT_SECONDS * 1000))}")
    try:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlcipher.OperationalError as exc:
            if sqlite_fault(exc) != BUSY:
                raise
        if WAITING.notice is not None:
            WAITING.notice()
        raw.execute(f"PRAGMA busy_timeout = {wait_ms}")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {wait_ms}")


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
