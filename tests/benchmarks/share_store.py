"""The stores of the share benchmarks: a vault of 10,000 demo cases (cached like the big
stores), its plaintext copy for the baseline, and a pristine empty recipient vault that each
import round copies (a fresh vault with the same keys every time)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.bundle.records import Sender, SenderKey
from app.demo.generator import generate_demo
from app.sync.keys import own_card, own_keys
from app.vault.store import DB_NAME, Vault
from tests.benchmarks.stores import DEMO_SEED, cache_dir, new_vault, open_store

CASES = 10_000
SOURCE, PLAIN, RECIPIENT = "share-source-10k", "share-source-10k-plain.db", "share-recipient"


def _build(name: str, cases: int) -> Path:
    root = cache_dir()
    final, marker = root / name, root / f"{name}.json"
    if marker.is_file() and final.is_dir():
        return final
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f"{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(final, ignore_errors=True)
    start = time.perf_counter()
    vault = new_vault("encrypted", partial)
    try:
        if cases:
            generate_demo(vault, cases, seed=DEMO_SEED)
        with vault.session() as s:  # the sync keys and card, made once (not timed later)
            own_keys(s, vault)
            own_card(s, vault)
    finally:
        vault.lock()
    partial.rename(final)
    marker.write_text(json.dumps({"cases": cases, "seconds": time.perf_counter() - start}))
    return final


def source_store() -> Path:
    return _build(SOURCE, CASES)


def recipient_template() -> Path:
    return _build(RECIPIENT, 0)


def plain_copy(vault: Vault) -> Path:
    """The source's rows in a plaintext SQLite file (``sqlcipher_export``), for the baseline."""
    target = cache_dir() / PLAIN
    if target.is_file():
        return target
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with vault.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(partial),))
        raw.execute("SELECT sqlcipher_export('plaintext')")
        raw.execute("DETACH DATABASE plaintext")
    with sqlite3.connect(partial) as check:  # really plaintext
        check.execute("SELECT count(*) FROM case_file").fetchone()
    partial.rename(target)
    return target


def fresh_recipient(into: Path) -> Path:
    shutil.copytree(recipient_template(), into)
    return into


def open_source() -> Vault:
    return open_store("encrypted", source_store())


__all__ = ["CASES", "DB_NAME", "fresh_recipient", "open_source", "plain_copy"]


def as_trusted_sender(card: Any) -> tuple[Sender, Callable[[str], SenderKey | None]]:
    """The source vault's card as a bundle's sender, and a key lookup that trusts it."""
    sender = Sender(vault_uuid=card.vault_uuid, vault_code=card.vault_code,
                    vault_name=card.vault_name, holder_name=card.holder_name,
                    municipality=card.municipality, fingerprint=card.fingerprint)
    lookup = {card.fingerprint: SenderKey(card.fingerprint, card.signing_public, "trusted",
                                          "casework")}.get
    return sender, lookup
