"""Vaults of colleagues for the key and verification tests: each a real vault with its own
issuer key, exchanging key cards as files would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.services.keys.read import preview_card
from app.services.keys.records import TrustedKeyRow
from app.services.keys.write import export_card, import_card
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault

PASSPHRASE = "korrekt Pferd Batterie Heftklammer"

MakeVault = Callable[[str, str, str], Vault]


@pytest.fixture
def colleague_vault(tmp_path: Path, clock: FixedClock) -> Iterator[MakeVault]:
    """make(municipality, vault_code, owner): another vault on the same clock."""
    with ExitStack() as stack:
        def make(municipality: str, code: str, owner: str) -> Vault:
            v = create_vault(tmp_path / code, PASSPHRASE, owner_name=owner,
                             municipality=municipality, vault_code=code,
                             kdf=KdfParams.minimum(), clock=clock)
            stack.callback(v.lock)
            return v
        yield make


def trust(verifier: Vault, issuer: Vault) -> TrustedKeyRow:
    """``verifier`` imports ``issuer``'s current card, typing the displayed fingerprint."""
    card = export_card(issuer)
    return import_card(verifier, card, preview_card(verifier, card).fingerprint_display)
