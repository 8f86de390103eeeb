"""Vault open at 100,000 cases: the deliberate KDF part and everything after it.

The key file is re-wrapped with ``calibrate()`` parameters (as ``lotse init`` does) for this
benchmark and restored afterwards. ``KeyFile.unwrap`` is timed inside each ``open_vault`` call;
the rest (store verification, migrations check at head, vault_meta, anchor catch-up, audit) is
the total minus that, compared with the same steps on the unencrypted baseline.
Target (architecture.md): unlock to usable <= 0.5 s besides the KDF: asserted on the median.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.vault import store
from app.vault.kdf import calibrate
from app.vault.keyfile import KeyFile
from db import schema
from tests.benchmarks.harness import RESULTS, Row, timed
from tests.benchmarks.plain import open_plain_vault
from tests.benchmarks.stores import PASSPHRASE, BigStore, Kind, bench_clock

REPS = 7
TARGET_S = 0.5


class Splits:
    """Wraps a function so each call's duration is recorded (instrumentation, no behaviour)."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            seconds, result = timed(lambda: fn(*args, **kwargs))
            self.seconds.setdefault(name, []).append(seconds)
            return result
        return timed_call

    def last(self, name: str) -> float:
        return self.seconds[name][-1]


@pytest.fixture
def calibrated(big_stores: dict[Kind, BigStore]) -> Iterator[tuple[KeyFile, float]]:
    path = big_stores["encrypted"].folder / store.KEY_NAME
    original = path.read_bytes()
    keyfile = KeyFile.load(path)
    data_key = keyfile.unwrap(PASSPHRASE)
    seconds, params = timed(calibrate)
    KeyFile.wrap(keyfile.vault_uuid, keyfile.vault_code, params, PASSPHRASE, data_key).save(path)
    try:
        yield KeyFile.load(path), seconds
    finally:
        path.write_bytes(original)


def test_vault_open(big_stores: dict[Kind, BigStore], calibrated: tuple[KeyFile, float],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    keyfile, calibration_s = calibrated
    splits = Splits()
    monkeypatch.setattr(KeyFile, "unwrap", splits.wrap("kdf", KeyFile.unwrap))
    monkeypatch.setattr(store, "verify_store", splits.wrap("verify", store.verify_store))
    monkeypatch.setattr(schema, "upgrade", splits.wrap("upgrade", schema.upgrade))
    enc_folder, plain_folder = big_stores["encrypted"].folder, big_stores["baseline"].folder
    total: list[float] = []
    kdf: list[float] = []
    rest: list[float] = []
    upgrade: dict[Kind, list[float]] = {"encrypted": [], "baseline": []}
    verify: list[float] = []
    base: list[float] = []
    for rep in range(REPS + 1):  # the first round is the warm-up
        s_enc, vault = timed(lambda: store.open_vault(enc_folder, PASSPHRASE, bench_clock()))
        vault.lock()
        enc_up = splits.last("upgrade")
        s_base, vault = timed(lambda: open_plain_vault(plain_folder, bench_clock()))
        vault.lock()
        if rep:
            total.append(s_enc)
            kdf.append(splits.last("kdf"))
            rest.append(s_enc - splits.last("kdf"))
            verify.append(splits.last("verify"))
            upgrade["encrypted"].append(enc_up)
            upgrade["baseline"].append(splits.last("upgrade"))
            base.append(s_base)
    p = keyfile.kdf
    group = "vault open (100,000 cases, calibrated Argon2id)"
    rows = [
        RESULTS.add(Row(group, "open_vault total", "s", total, [],
                        note=f"calibrate() took {calibration_s:.2f} s and chose "
                             f"{p.memory_kib // 1024} MiB, {p.iterations} passes, "
                             f"{p.lanes} lanes")),
        RESULTS.add(Row(group, "  KDF: KeyFile.unwrap", "s", kdf, [])),
        RESULTS.add(Row(group, "  rest (verify, migrations, meta, audit)", "s", rest, base,
                        target="median <= 0.5 s", ok=statistics.median(rest) <= TARGET_S)),
        RESULTS.add(Row(group, "    of which verify_store", "s", verify, [])),
        RESULTS.add(Row(group, "    of which schema.upgrade (at head)", "s",
                        upgrade["encrypted"], upgrade["baseline"])),
    ]
    print()
    print(RESULTS.table(rows))
    assert rows[2].ok, f"vault open without KDF: median {statistics.median(rest):.3f} s > 0.5 s"
