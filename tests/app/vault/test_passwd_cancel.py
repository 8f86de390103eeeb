"""Cancelling a passphrase change: honoured up to the moment the key file is replaced; the old
passphrase keeps opening the vault and the new one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.errors import Cancelled, WrongPassphrase
from app.vault.kdf import KdfParams
from app.vault.passwd import change_passphrase
from app.vault.store import KEY_NAME, Vault, open_vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE

NEW = "ein ganz neuer Satz 2026"


def test_cancel_at_each_check_keeps_the_old_passphrase(vault: Vault, vault_dir: Path,
                                                       clock: FixedClock) -> None:
    vault.lock()
    asked: list[int] = []

    def never(asked: list[int] = asked) -> bool:
        asked.append(1)
        return False

    # A full run (and back) counts the questions and gives the audit two real changes.
    step = "Zwischenschritt Wanderdüne Kompass"
    change_passphrase(vault_dir, PASSPHRASE, step, kdf=KdfParams.minimum(), clock=clock,
                      cancelled=never)
    change_passphrase(vault_dir, step, PASSPHRASE, kdf=KdfParams.minimum(), clock=clock)
    questions = len(asked)
    assert questions >= 3  # before and after each derivation, the last right before saving
    key_before = (vault_dir / KEY_NAME).read_bytes()

    for n in range(1, questions + 1):
        count = [0]

        def cancel_at(n: int = n, count: list[int] = count) -> bool:
            count[0] += 1
            return count[0] == n

        with pytest.raises(Cancelled) as info:
            change_passphrase(vault_dir, PASSPHRASE, NEW, kdf=KdfParams.minimum(), clock=clock,
                              cancelled=cancel_at)
        assert info.value.message_de == "Passphrase nicht geändert."
        assert (vault_dir / KEY_NAME).read_bytes() == key_before
        with pytest.raises(WrongPassphrase):
            open_vault(vault_dir, NEW, clock)
        with open_vault(vault_dir, PASSPHRASE, clock) as reopened, reopened.session() as s:
            changes = s.execute(select(AuditLog).where(
                AuditLog.kind == "vault.passphrase_changed")).scalars().all()
            assert len(changes) == 2  # the two real changes above, none for the cancels
