"""What someone with access to the vault folder (and no key) does to hide history: put an older
``lotse.db`` back and cut the audit anchor to the length it had then."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from app.clock import FixedClock
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.anchor import RECORD
from app.vault.store import ANCHOR_NAME, DB_NAME, Vault, open_vault
from db.engine import SIDECARS
from tests.conftest import PASSPHRASE


def put_back(vault_dir: Path, old: bytes) -> None:
    for suffix in SIDECARS:
        (vault_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    (vault_dir / DB_NAME).write_bytes(old)


def roll_back_and_cut_anchor(vault: Vault, vault_dir: Path, clock: FixedClock) -> int:
    """The reviewer's experiment: a case, a copy of the store, an hour of reading the case,
    then the copy put back and the anchor truncated to as many records as it had with it (the
    attacker counts records; he needs no key). Returns the case id."""
    case_id = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                         municipality="DO"))
    vault.lock()
    old = (vault_dir / DB_NAME).read_bytes()
    records_then = (vault_dir / ANCHOR_NAME).stat().st_size // RECORD.size
    clock.advance(timedelta(hours=1))
    with open_vault(vault_dir, PASSPHRASE, clock) as later:
        for _ in range(3):
            get_case(later, case_id)
    put_back(vault_dir, old)
    os.truncate(vault_dir / ANCHOR_NAME, records_then * RECORD.size)
    return case_id
