"""The vault owner's account: profile, passphrase change, key renewal, backups (Einstellungen)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app import audit
from app.backup import BackupResult, backup
from app.errors import CancelCheck, ValidationFailed, WrongPassphrase, stop_if_cancelled
from app.passphrase_policy import require_strong
from app.progress import ProgressFn
from app.services.account.queries import owner_row
from app.services.account.read import passphrase_context
from app.services.account.records import OwnerProfile
from app.settings import update_settings
from app.vault import passwd
from app.vault.kdf import KdfParams, calibrate
from app.vault.key_change import KeyChange
from app.vault.rekey import NOT_RENEWED_DE as NOT_RENEWED_DE  # said by the desktop too
from app.vault.rekey import rekey
from app.vault.store import Vault, open_vault

if TYPE_CHECKING:
    from app.session import DesktopSession

NOT_CHANGED_DE = "Passphrase nicht geändert."
# A key renewal whose vault could not be opened again at once (busy elsewhere, a failing disk).
REOPEN_DE = "Bitte sperren Sie Lotse (Strg+L) und entsperren Sie es dann erneut."

__all__ = ["NOT_CHANGED_DE", "NOT_RENEWED_DE", "REOPEN_DE", "KeyChange", "backup_to_folder",
           "change_passphrase", "renew_data_key", "update_owner_profile"]


def _no_progress(_done: int, _total: int) -> None:
    return None


def update_owner_profile(vault: Vault, profile: OwnerProfile) -> OwnerProfile:
    name = profile.display_name.strip()
    email = (profile.email or "").strip() or None
    phone = (profile.phone or "").strip() or None
    if not name:
        raise ValidationFailed("Bitte Ihren Namen angeben.", "display name missing",
                               field="display_name")
    if email is not None and ("@" not in email or " " in email):
        raise ValidationFailed("Bitte eine gültige E-Mail-Adresse angeben (name@beispiel.de).",
                               "invalid e-mail address", field="email")
    with vault.session() as s:
        owner = owner_row(s, vault)
        changed = [f for f, old, new in (("display_name", owner.display_name, name),
                                         ("email", owner.email, email),
                                         ("phone", owner.phone, phone)) if old != new]
        if changed:
            owner.display_name, owner.email, owner.phone = name, email, phone
            audit.record(s, audit.Kind.RECORD_UPDATED, "case_manager", owner.uuid,
                         fields=changed)
    vault.info = replace(vault.info, owner_name=name)
    return OwnerProfile(name, email, phone)


def change_passphrase(vault: Vault, old: str, new: str, repeat: str,
                      progress: ProgressFn = _no_progress, kdf: KdfParams | None = None,
                      cancelled: CancelCheck | None = None) -> KeyChange:
    """Re-wrap the data key of the open vault under a new passphrase.

    Steps: check the input, tune the KDF to this laptop (~1 s), re-wrap and verify by opening
    with the new passphrase (~1 s). The open vault keeps working throughout. ``cancelled`` is
    asked up to the moment the key file is replaced; a cancel leaves the old passphrase valid.
    The result says whether the change is in the audit log yet (``KeyChange.note_de``).
    """
    if not old:
        raise ValidationFailed("Bitte die bisherige Passphrase eingeben.", "old missing",
                               field="old")
    if new != repeat:
        raise ValidationFailed("Die Wiederholung stimmt nicht mit der neuen Passphrase überein.",
                               "repeat differs", field="repeat")
    if new == old:
        raise ValidationFailed("Die neue Passphrase muss sich von der bisherigen unterscheiden.",
                               "new equals old", field="new")
    context = passphrase_context(vault)
    require_strong(new, [old, *context])  # before the KDF is tuned: the answer comes at once
    progress(0, 3)
    stop_if_cancelled(cancelled, NOT_CHANGED_DE, "passphrase change cancelled")
    params = kdf or calibrate()
    progress(1, 3)
    try:
        change = passwd.change_passphrase(vault.folder, old, new, kdf=params, clock=vault.clock,
                                          cancelled=cancelled, context=context)
    except WrongPassphrase as exc:
        raise ValidationFailed("Die bisherige Passphrase ist falsch.", "wrong old passphrase",
                               field="old") from exc
    progress(3, 3)
    return change


def renew_data_key(session: DesktopSession, passphrase: str,
                   progress: ProgressFn = _no_progress, kdf: KdfParams | None = None,
                   cancelled: CancelCheck | None = None) -> KeyChange:
    """Re-encrypt the open desktop vault under a new data key (``app.vault.rekey``).

    Once the passphrase is confirmed, the open vault's connections are closed (the store file
    is replaced); the session then holds the vault under the new key. After a cancel or a
    failure it holds the vault again as the key file has it (the old key until the commit).
    A renewal whose vault could not be opened again at once leaves the session locked: the
    result has no vault then, and the person unlocks again (``REOPEN_DE``).
    """
    if not passphrase:
        raise ValidationFailed("Bitte Ihre Passphrase eingeben.", "passphrase missing",
                               field="rekey")
    vault = session.vault()
    folder, clock = vault.folder, vault.clock
    released: list[bool] = []

    def release() -> None:
        vault.lock()
        released.append(True)

    try:
        change = rekey(folder, passphrase, kdf=kdf, clock=clock, progress=progress,
                       cancelled=cancelled, release=release)
    except WrongPassphrase as exc:
        raise ValidationFailed("Die Passphrase ist falsch.", "wrong passphrase",
                               field="rekey") from exc
    except BaseException:
        if released:
            session.replace_vault(open_vault(folder, passphrase, clock))
        raise
    if change.vault is not None:
        session.replace_vault(change.vault)
    return change


def backup_to_folder(vault: Vault, folder: Path, progress: ProgressFn = _no_progress,
                     cancelled: CancelCheck | None = None) -> BackupResult:
    """Write a backup into ``folder`` and remember the folder for next time (offered first)."""
    result = backup(vault, folder, progress=progress, cancelled=cancelled)
    update_settings(vault, backup_folder=str(folder))
    return result
