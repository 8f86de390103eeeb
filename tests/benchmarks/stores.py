"""The big benchmark stores (100,000 cases, >= 1,000,000 journal entries), built once and cached.

Both are built by ``generate_demo`` (the code ``lotse demo`` runs) with the same seed and clock,
so they hold the same fictional caseload; the encrypted one is a real vault, the baseline one a
plaintext mirror (``tests.benchmarks.plain``). The demo writes ~8.5 journal entries per case, so
the journal is topped up to ``JOURNAL_TARGET`` with the demo's own fragments, in bulk, with the
search triggers suspended exactly as ``app.demo.generator`` does.

Cache: ``$LOTSE_BENCH_CACHE`` (default ``<tmp>/lotse-bench-cache``) / ``<schema revision>-<hash of
the code and data that shape the stores>``; a store counts as cached once its ``<kind>.json``
marker exists (it is written after the store is complete and moved into place).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from sqlalchemy import text

from app import catalogues
from app.clock import FixedClock
from app.demo import pools, search_index
from app.demo.bulk import BulkTable
from app.demo.generator import generate_demo
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import DB_NAME, Vault, open_vault
from db.engine import PLAINTEXT_HEADER
from db.schema import HEAD_REVISION
from tests.benchmarks.plain import create_plain_vault, open_plain_vault

Kind = Literal["encrypted", "baseline"]
KINDS: tuple[Kind, Kind] = ("encrypted", "baseline")
CACHE_ENV = "LOTSE_BENCH_CACHE"
PASSPHRASE = "korrekt Pferd Batterie Heftklammer"
VAULT_CODE = "K7QX"
MUNICIPALITY = "DO"
OWNER = "Benchmark Fallmanagerin"
BIG_CASES = 100_000
JOURNAL_TARGET = 1_000_000
DEMO_SEED = 1
CLOCK_AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

ROOT = Path(__file__).resolve().parents[2]
# Everything that decides what ends up in a big store; a change to any of it rebuilds the cache.
_SHAPING = ("app/demo", "app/catalogues.py", "resources/catalogues", "resources/demo",
            "db/folding.py", "db/base.py",
            "db/models", "db/migrations/versions", "tests/benchmarks/stores.py",
            "tests/benchmarks/plain.py")


def bench_clock() -> FixedClock:
    return FixedClock(CLOCK_AT)


@cache
def _fingerprint() -> str:
    digest = hashlib.sha256()
    for entry in _SHAPING:
        path = ROOT / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    base = Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "lotse-bench-cache")
    return base / f"{HEAD_REVISION}-{_fingerprint()}"


_CACHE_NAME = re.compile(r"^\d{4}-[0-9a-f]{12}$")
STALE_AFTER_S = 3600


def prune_stale_caches(keep: Path) -> list[Path]:
    """Remove caches of other code versions (about 3 GB each) untouched for an hour."""
    removed = []
    for sibling in keep.parent.iterdir():
        if sibling == keep or not sibling.is_dir() or not _CACHE_NAME.match(sibling.name):
            continue
        newest = max((p.stat().st_mtime for p in sibling.iterdir()), default=0.0)
        if time.time() - newest > STALE_AFTER_S:
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    return removed


def new_vault(kind: Kind, folder: Path) -> Vault:
    """An empty vault as ``lotse init`` makes it (KDF at the policy floor) or its baseline."""
    if kind == "encrypted":
        return create_vault(folder, PASSPHRASE, owner_name=OWNER, municipality=MUNICIPALITY,
                            vault_code=VAULT_CODE, kdf=KdfParams.minimum(), clock=bench_clock())
    return create_plain_vault(folder, owner_name=OWNER, municipality=MUNICIPALITY,
                              vault_code=VAULT_CODE, clock=bench_clock())


def open_store(kind: Kind, folder: Path) -> Vault:
    if kind == "encrypted":
        return open_vault(folder, PASSPHRASE, bench_clock())
    return open_plain_vault(folder, bench_clock())


def check_file_kind(kind: Kind, folder: Path) -> None:
    """Guard against a mix-up: the baseline must be plaintext and the vault must not."""
    with (folder / DB_NAME).open("rb") as fh:
        plain = fh.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER
    if plain != (kind == "baseline"):
        raise RuntimeError(f"{folder} is {'plaintext' if plain else 'encrypted'}, expected {kind}")


def extend_journal(vault: Vault, target: int, seed: int = 2) -> int:
    """Add demo-style journal entries to random cases until the journal holds ``target``."""
    rng = random.Random(seed)  # fictional data, not a secret
    today = vault.clock.today()
    fragments = pools.journal_fragments()
    kinds = {k.code: k for k in catalogues.contact_kinds()}
    origins = pools.name_pool().origin_list
    labels = [o.languages[0].label for o in origins]
    weights = [o.weight for o in origins]
    with vault.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -131072")
        missing = target - int(conn.execute(text("SELECT count(*) FROM journal_entry"))
                               .scalar_one())
        if missing <= 0:
            return 0
        cases = conn.execute(text("SELECT id, opened_on, case_manager_id FROM case_file")).all()
        journal = BulkTable(conn, "journal_entry", vault.info.vault_uuid, vault.clock.now())
        first_ids = {"journal_entry": journal.next_id, "case_file": int(conn.execute(text(
            "SELECT coalesce(max(id), 0) + 1 FROM case_file")).scalar_one())}
        suspended = search_index.suspend(conn)
        for done in range(missing):
            case_id, opened, author = rng.choice(cases)
            opened_on = date.fromisoformat(str(opened))
            day = opened_on + timedelta(days=rng.randint(0, max(1, (today - opened_on).days)))
            frag = rng.choice(fragments)
            kind = frag.contact_kind if frag.contact_kind in kinds else rng.choice(
                ["office", "phone", "reception_facility"])
            interpreter = rng.random() < 0.45
            language = rng.choices(labels, weights=weights)[0]
            journal.add(
                case_id=case_id, occurred_at=datetime(day.year, day.month, day.day,
                                                      rng.randint(8, 16), tzinfo=UTC),
                contact_kind=kind, place="Wohnung der Familie" if kinds[kind].outreach else None,
                interpreter_used=interpreter,
                interpreter_language=language if interpreter else None,
                language=None if interpreter else "de",
                duration_minutes=rng.choice([15, 20, 30, 45, 60, 90]),
                entry_kind=rng.choice(["progress_note"] * 7 + ["deviation", "barrier"]),
                text=frag.render(language), author_id=author)
            if (done + 1) % 20_000 == 0:
                journal.flush(conn)
        journal.flush(conn)
        search_index.backfill_and_restore(conn, suspended, first_ids)
        conn.exec_driver_sql("PRAGMA cache_size = -8000")
    return missing


@dataclass(frozen=True)
class BigStore:
    kind: Kind
    folder: Path
    cases: int
    journal_entries: int
    build_seconds: float
    built_now: bool


def _counts(vault: Vault) -> tuple[int, int]:
    with vault.engine.connect() as conn:
        cases = int(conn.execute(text("SELECT count(*) FROM case_file")).scalar_one())
        journal = int(conn.execute(text("SELECT count(*) FROM journal_entry")).scalar_one())
    return cases, journal


def ensure_big_store(kind: Kind) -> BigStore:
    """The cached store of ``kind``, built (about 3-5 minutes) when the cache has none."""
    root = cache_dir()
    final, marker = root / kind, root / f"{kind}.json"
    if marker.is_file() and final.is_dir():
        meta = json.loads(marker.read_text("utf-8"))
        check_file_kind(kind, final)
        return BigStore(kind, final, meta["cases"], meta["journal_entries"],
                        meta["build_seconds"], built_now=False)
    root.mkdir(parents=True, exist_ok=True)
    for stale_cache in prune_stale_caches(root):
        print(f"[bench] removed the stale cache {stale_cache}", flush=True)
    partial = root / f"{kind}.partial"
    for stale in (partial, final):
        shutil.rmtree(stale, ignore_errors=True)
    start = time.perf_counter()
    vault = new_vault(kind, partial)
    try:
        generate_demo(vault, BIG_CASES, seed=DEMO_SEED)
        extend_journal(vault, JOURNAL_TARGET)
        cases, journal = _counts(vault)
    finally:
        vault.lock()
    seconds = time.perf_counter() - start
    check_file_kind(kind, partial)
    partial.rename(final)
    store = BigStore(kind, final, cases, journal, seconds, built_now=True)
    marker.write_text(json.dumps(asdict(store), default=str, indent=2), "utf-8")
    return store
