"""One measurement run for test_memory_security, in a process of its own: SQLCipher's
``cipher_memory_security`` is process-wide and cannot be switched off once on.

usage: python -m tests.benchmarks.memory_security_child on|off FOLDER
Prints one JSON line: seconds per workload.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from db import engine as db_engine


def _without_memory_security() -> None:
    """The OFF run: key the connection as production does, minus the pragma and its check."""
    original = db_engine._key_connection

    def key_only(conn: Any, key: Any) -> None:
        literal = db_engine.raw_key_literal(key)
        try:
            conn.set_key(literal)
        finally:
            db_engine.wipe(literal)

    assert original is not None
    db_engine._key_connection = key_only
    db_engine.memory_security_on = lambda conn: True  # type: ignore[assignment]


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "off":
        _without_memory_security()
    from app.clock import SystemClock
    from app.demo.generator import generate_demo
    from app.services.cases.read import case_ids, rows_by_id
    from app.services.search.read import search_journal, search_names
    from app.vault.create import create_vault
    from app.vault.kdf import KdfParams
    from app.vault.store import open_vault

    passphrase = "Messlauf Speicherschutz 2026"
    vault = create_vault(folder, passphrase, owner_name="Bench", municipality="DO",
                         vault_code="B3NC", kdf=KdfParams.minimum(), clock=SystemClock())
    times: dict[str, float] = {}
    start = time.perf_counter()
    generate_demo(vault, 1500, seed=7)
    times["demo data, 1,500 cases (writes)"] = time.perf_counter() - start
    vault.lock()
    start = time.perf_counter()
    vault = open_vault(folder, passphrase)
    times["open_vault (KDF at the policy floor included)"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(30):
        ids = case_ids(vault)
        for offset in range(0, 600, 50):
            rows_by_id(vault, ids[offset:offset + 50])
    times["case list: ids + 12 pages, 30x"] = time.perf_counter() - start
    start = time.perf_counter()
    for term in ["Ja", "Mü", "Kita", "Jobcenter", "Sprachkurs", "Wohnung"] * 10:
        search_names(vault, term)
        search_journal(vault, term)
    times["search names + journal, 60 queries"] = time.perf_counter() - start
    vault.lock()
    print(json.dumps(times))


if __name__ == "__main__":
    main()
