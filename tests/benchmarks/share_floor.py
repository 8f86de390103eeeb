"""The floors under issue 12's 10,000-case targets: what no export or import of that bundle can
go below in Lotse's stack (Python, SQLCipher, ``cryptography``) on this machine, measured in the
same run as the real thing.

Import floor: the same rows written into a fresh vault by SQLite alone. ``INSERT ... SELECT``
from the plaintext copy attached to the vault's connection, table by table, each search index
filled once per table as the apply fills it (``db.search_triggers.indexed_once``), under the
apply's page cache, in one transaction with its commit. Left out, though any real import does
them: reading, decrypting and checking the bundle, Python values bound one by one, the
version-vector merge, foreign-key checks and the other derived columns.

Export floor: every row of the bundle's tables read from the vault (``SELECT *``), each row
CBOR-encoded as SQLite returns it and hashed (SHA-256), the payload compressed (zlib level 1)
and sealed (AES-256-GCM, 64 KiB chunks), all on one thread, on the vault's pooled connection as
the export itself reads (its page cache as warm). Left out: choosing the cases, typed values
(dates, flags, field stamps), the manifest, the header and the signature. Reading on a second
thread while encoding (SQLite decrypts pages without the GIL) was tried: 2.8-3.0 s standalone,
but slower inside the benchmark (4.1 s), where the thread gets a connection of its own with a
cold page cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import time
import zlib
from pathlib import Path

import cbor2
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.sync.case_rows import CONTENT_TABLES, SUPPORT_TABLES
from app.vault.store import Vault
from db.page_cache import bulk_page_cache
from db.search_triggers import indexed_once

TABLES = (*SUPPORT_TABLES, *CONTENT_TABLES)  # parents first
CHUNK = 64 * 1024


def import_floor(vault: Vault, plain: Path) -> tuple[float, int]:
    """Seconds for SQLite alone to write every row of ``plain``'s bundle tables into the empty
    ``vault``, and the rows written."""
    with sqlite3.connect(plain) as source:
        ids = {t: source.execute(f'SELECT min(id), max(id) FROM "{t}"').fetchone() for t in TABLES}
        expected = sum(source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                       for t in TABLES)
    with vault.read_session() as s:  # the fresh vault's own rows (its case manager) win a clash
        held = sum(s.connection().exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one()
                   for t in TABLES)
    with vault.engine.connect() as conn:
        conn.commit()
        raw = conn.connection.driver_connection
        assert raw is not None
        # Only outside a transaction does SQLite take this pragma; the floor checks no keys.
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(plain),))
        try:
            written = 0
            start = time.perf_counter()
            with conn.begin(), bulk_page_cache(conn):
                for table, (first, last) in ids.items():
                    if first is None:
                        continue
                    with indexed_once(conn, table, first, last):
                        written += conn.exec_driver_sql(
                            f'INSERT OR IGNORE INTO main."{table}" '
                            f'SELECT * FROM plaintext."{table}"').rowcount
            seconds = time.perf_counter() - start
        finally:
            raw.execute("DETACH DATABASE plaintext")
            raw.execute("PRAGMA foreign_keys = ON")
    assert written >= expected - held, (written, expected, held)
    return seconds, written


def export_floor(vault: Vault) -> tuple[float, int]:
    """Seconds to read, encode, hash, compress and seal every row of the bundle tables, and
    the rows read."""
    start = time.perf_counter()
    with vault.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = [row for table in TABLES
                for row in raw.execute(f'SELECT * FROM "{table}"').fetchall()]
    encode = cbor2.CBOREncoder(io.BytesIO()).encode_to_bytes
    encoded = list(map(encode, map(list, rows)))
    digests = [hashlib.sha256(data).digest() for data in encoded]
    compressed = zlib.compress(b"".join((*encoded, *digests)), 1)
    aead = AESGCM(AESGCM.generate_key(256))
    sealed = [aead.encrypt(os.urandom(12), compressed[at:at + CHUNK], None)
              for at in range(0, len(compressed), CHUNK)]
    seconds = time.perf_counter() - start
    assert sealed
    return seconds, len(rows)
