"""``passwd``: the same data key re-wrapped under a new passphrase (the store is not touched).

Protects against someone who learns the old passphrase *later* and takes the key file then. It
does not protect against a key file copied before (every backup holds one): with the old
passphrase that copy still unwraps the same data key. That is ``app.vault.rekey``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app import audit
from app.clock import Clock, SystemClock
from app.errors import CancelCheck, Refused, stop_if_cancelled
from app.vault.access import unlock_settled
from app.vault.kdf import KdfParams, calibrate
from app.vault.key_change import KeyChange, open_after_commit
from app.vault.keyfile import KeyFile
from app.vault.memory import wipe
from app.vault.store import DB_NAME, KEY_NAME, verify_store


def _vault_terms(folder: Path) -> list[str]:
    """The vault code, for the strength rule (read without a derivation; a missing or damaged
    key file is reported by the unlock that follows)."""
    try:
        return [KeyFile.load(folder / KEY_NAME).vault_code]
    except Refused:
        return []


def change_passphrase(folder: Path, old: str, new: str, *, kdf: KdfParams | None = None,
                      clock: Clock | None = None, cancelled: CancelCheck | None = None,
                      context: Sequence[str] = ()) -> KeyChange:
    """Re-wrap the data key under ``new``; the database itself is not touched.

    ``new`` must meet the strength rule; ``context`` adds what the caller knows an attacker
    would try (the owner's name, the municipality).

    A derivation cannot be interrupted, so ``cancelled()`` is asked after each one; the last
    question comes right before the key file is replaced. Until then the old passphrase stays.
    The store is checked with the unwrapped key (it decrypts, it is this key file's vault)
    before the key file is replaced: a refusal changes no file. The vault lock is held shared
    from before the unwrap until the replace, so no rekey commits in between. The audit entry
    follows right after the replace; if the process dies in between, or the vault is busy or the
    disk fails then, the next unlock records it (``keylog``; ``KeyChange.deferred`` says why).
    Protects against: someone who learns the old passphrase *later* and takes the key file
    then. It does not protect against a key file copied before (every backup holds one):
    with the old passphrase that copy still unwraps the same data key. That is ``rekey``.
    """
    clock = clock or SystemClock()

    def check() -> None:
        stop_if_cancelled(cancelled, "Passphrase nicht geändert.",
                          "passphrase change cancelled by the user")

    from app.passphrase_policy import require_strong  # zxcvbn: only where a rule applies

    require_strong(new, context=[old, *context, *_vault_terms(folder)])
    check()
    access, keyfile, data_key = unlock_settled(folder, old, clock)
    try:
        try:
            verify_store(folder / DB_NAME, data_key, keyfile.vault_uuid)
            check()
            params = kdf.with_new_salt() if kdf else calibrate()
            check()
            rewrapped = KeyFile.wrap(keyfile.vault_uuid, keyfile.vault_code, params, new,
                                     data_key)
        finally:
            wipe(data_key)
        check()
        rewrapped.save(folder / KEY_NAME)  # the commit point
    except BaseException:
        access.release()
        raise
    change = open_after_commit(folder, new, clock, audit.Kind.PASSPHRASE_CHANGED, access)
    if change.vault is not None:
        change.vault.lock()
    return KeyChange(None, change.deferred)
