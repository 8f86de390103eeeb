"""Who may use a vault folder now: the vault lock (``db.vault_lock``) around opening, ``passwd``,
``rekey`` and creation, and the data key unwrapped under it.

A process holds the lock shared while it has the vault open, and takes it *before* it reads the
key file: it never unwraps a key that a running rekey is about to retire. A rekey holds it
exclusively from before its copy is made until the copy is installed, so a ``lotse.db.rekey``
found by someone else belongs to a rekey that died. It is settled (``app.vault.swap``) under
the exclusive lock, which is then lowered to shared.
"""

from __future__ import annotations

from pathlib import Path

from app import faults
from app.clock import Clock
from app.errors import Refused
from app.fsutil import guarded
from app.vault import swap
from app.vault.files import DB_NAME, KEY_NAME, LOCK_NAME, THROTTLE_NAME
from app.vault.keyfile import KeyFile
from app.vault.memory import wipe
from app.vault.throttle import Throttle
from db import fileguard, vault_lock
from db.engine import WAITING
from db.vault_lock import VaultLock


def hold(folder: Path, *, exclusive: bool, wait: float | None = None) -> VaultLock:
    """The vault lock, waiting up to ``wait`` (default: this process's wait, ``--wait``)."""
    with guarded():
        try:
            return vault_lock.acquire(folder / LOCK_NAME, exclusive=exclusive,
                                      wait=WAITING.seconds if wait is None else wait,
                                      notice=WAITING.notice)
        except vault_lock.LockTimeout:
            raise faults.vault_busy() from None


def unlock_key(folder: Path, passphrase: str, clock: Clock) -> tuple[KeyFile, bytearray]:
    """Check throttle, unwrap the data key (the caller wipes it); a wrong passphrase is
    counted."""
    throttle = Throttle(folder / THROTTLE_NAME, clock)
    keyfile = KeyFile.load(folder / KEY_NAME)
    throttle.check()
    try:
        return keyfile, keyfile.unwrap(passphrase)
    except Refused:
        throttle.record_failure()
        raise


def current_key(folder: Path, passphrase: str, clock: Clock, keyfile: KeyFile,
                data_key: bytearray) -> tuple[KeyFile, bytearray]:
    """``keyfile`` and its key if the key file is still the one unwrapped; otherwise (a passwd or
    rekey committed meanwhile) the old key is wiped and the current file unwrapped."""
    if KeyFile.load(folder / KEY_NAME).to_bytes() == keyfile.to_bytes():
        return keyfile, data_key
    wipe(data_key)
    return unlock_key(folder, passphrase, clock)


def unlock_settled(folder: Path, passphrase: str, clock: Clock, held: VaultLock | None = None
                   ) -> tuple[VaultLock, KeyFile, bytearray]:
    """The vault lock held shared and the data key unwrapped under it (the caller wipes the key
    and releases the lock); a rekey that died is finished or rolled back first.

    ``held``: a lock the caller hands over (a rekey's exclusive one after its install, passwd's
    shared one); released here, like one taken here, if anything fails.
    """
    pending = swap.pending_store(folder / DB_NAME)
    access = held
    data_key: bytearray | None = None
    try:
        if not fileguard.exists(folder / KEY_NAME):
            KeyFile.load(folder / KEY_NAME)  # "no vault here", before a lock file is made
        if access is None:
            access = hold(folder, exclusive=fileguard.exists(pending))
        if not access.exclusive and fileguard.exists(pending):  # it died while we waited
            access.release()
            access = hold(folder, exclusive=True)
        keyfile, data_key = unlock_key(folder, passphrase, clock)
        if access.exclusive:
            with guarded():
                swap.settle(folder / DB_NAME, data_key, access)
            access.downgrade()
            # POSIX does not promise an atomic downgrade: if a rekey got in, take its key.
            keyfile, data_key = current_key(folder, passphrase, clock, keyfile, data_key)
        return access, keyfile, data_key
    except BaseException:
        if data_key is not None:
            wipe(data_key)
        if access is not None:
            access.release()
        raise
