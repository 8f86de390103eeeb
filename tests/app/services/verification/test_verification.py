"""Verification against this vault's store: its own key, the register as its own revocation
list, trusted keys of colleagues and their signed lists."""

from __future__ import annotations

from datetime import date

from app.seal.qrtext import seal
from app.seal.records import R_OK, R_UNKNOWN_KEY, UNKNOWN_ISSUER, VALID, SealPayload
from app.services.keys.queries import signing_key
from app.services.verification.read import verify_qr_text
from app.vault.store import Vault
from tests.app.seal.trust import issuer

PAYLOAD = SealPayload(kind="participation", serial="DO-2026-T3ST-B0001", holder="Ayşe Demir",
                      birth_date=date(1990, 4, 2), issued_on=date(2026, 11, 25),
                      office="Stadt Dortmund", subject="Sprachkurs B1")


def _own_seal(vault: Vault, payload: SealPayload = PAYLOAD) -> str:
    with vault.session() as s:
        return seal(payload, signing_key(s, vault).private_der)


def test_a_certificate_sealed_with_the_own_key_verifies(vault: Vault) -> None:
    v = verify_qr_text(vault, _own_seal(vault))
    assert (v.outcome, v.reason, v.payload) == (VALID, R_OK, PAYLOAD)
    assert v.issuer == "Stadt Dortmund (Test Fallmanagerin, Tresor T3ST)"


def test_a_key_this_vault_does_not_trust_is_an_unknown_issuer(vault: Vault) -> None:
    private, _ = issuer()
    v = verify_qr_text(vault, seal(PAYLOAD, private))
    assert (v.outcome, v.reason) == (UNKNOWN_ISSUER, R_UNKNOWN_KEY)
