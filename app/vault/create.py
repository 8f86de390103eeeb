"""Making a new vault: a fresh data key, the store with its schema, owner and first audit
entry, the failure record, and the key file last, so that no half-made vault can be opened."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

from sqlalchemy import Engine

from app import audit
from app.clock import Clock, SystemClock
from app.errors import UsageError, ValidationFailed
from app.fsutil import guarded
from app.sync.roles import CASEWORK, ROLE_KEY, ROLES
from app.vault import keylog
from app.vault.access import hold
from app.vault.files import (
    ANCHOR_NAME,
    DB_NAME,
    KEY_NAME,
    LOCK_NAME,
    THROTTLE_NAME,
)
from app.vault.identity import new_device_identity
from app.vault.kdf import KdfParams, calibrate
from app.vault.keyfile import KeyFile
from app.vault.memory import random_key
from app.vault.store import Vault, VaultInfo, vault_exists
from app.vault.throttle import Throttle
from app.vault.throttle_record import start_record
from db import errors as store_errors
from db import fileguard, schema
from db.engine import (
    SIDECARS,
    connect_raw,
    enable_writes,
    fsync_dir,
    make_engine,
)
from db.keybuffer import KeyBuffer
from db.models import CaseManager, VaultMeta

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand


def new_vault_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))


def create_vault(folder: Path, passphrase: str, *, owner_name: str, municipality: str,
                 vault_code: str | None = None, kdf: KdfParams | None = None,
                 clock: Clock | None = None, published_passphrase: bool = False,
                 role: str = "casework") -> Vault:
    """A new vault. ``published_passphrase=True`` only for the demo vault, whose passphrase is
    printed on its unlock screen: there the strength rule would protect nothing. ``role``
    (``app.sync.roles.ROLES``) decides which kinds of bundle the vault takes in."""
    clock = clock or SystemClock()
    owner_name = owner_name.strip()
    if not owner_name:  # the owner is the case manager by name, on every case they carry
        raise ValidationFailed("Bitte geben Sie Ihren Namen ein (Fallmanager:in).",
                               "owner name missing", field="owner_name")
    if vault_exists(folder):
        raise UsageError("In diesem Ordner liegt bereits ein Tresor.",
                         f"a vault already exists in {folder}")
    code = (vault_code or new_vault_code()).upper()
    if not (2 <= len(code) <= 6 and code.isalnum() and code.isascii()):
        raise UsageError("Das Tresorkürzel muss aus 2–6 Buchstaben oder Ziffern bestehen.",
                         "vault code must be 2-6 ASCII letters or digits")
    if role not in ROLES:
        raise UsageError("Unbekannte Rolle des Tresors.",
                         f"unknown vault role {role!r}; known: {', '.join(ROLES)}")
    if not published_passphrase:
        from app.passphrase_policy import require_strong  # zxcvbn: only where a rule applies

        require_strong(passphrase, context=[owner_name, municipality, code])
    fileguard.make_private_dir(folder)
    access = hold(folder, exclusive=True)  # another init or an opener waits until we are done
    try:
        if vault_exists(folder):  # made meanwhile by another process
            raise UsageError("In diesem Ordner liegt bereits ein Tresor.",
                             f"a vault already exists in {folder}")
    except BaseException:
        access.release()
        raise
    key = KeyBuffer(random_key())
    vault_uuid = uuid.uuid4().hex
    db_path = folder / DB_NAME
    vault: Vault | None = None
    try:
        with key.view() as data_key:
            keyfile = KeyFile.wrap(vault_uuid, code, kdf or calibrate(), passphrase, data_key)
            key_detail = keylog.key_detail(keyfile, data_key)
            with guarded():
                conn = connect_raw(db_path, data_key, create=True)
        try:
            enable_writes(conn, create=True)
        finally:
            conn.close()
        vault = initialise_store(folder, make_engine(db_path, key), key, clock,
                                 VaultInfo(vault_uuid, code, "", owner_name, municipality),
                                 key_detail=key_detail, role=role)
        with vault.session() as s:  # so that deleting the failure record shows, from now on
            start_record(s, Throttle(folder / THROTTLE_NAME, clock))
        # The key file comes last: until it exists, no half-made vault can be opened.
        keyfile.save(folder / KEY_NAME)
        fsync_dir(folder)
    except BaseException:
        if vault is not None:
            vault.lock()
        key.wipe()
        _remove_half_made(folder)
        access.release()
        raise
    access.downgrade()  # open like any other now (see db.vault_lock on atomicity)
    vault._access = access  # handed over only once the vault is complete
    return vault


def _remove_half_made(folder: Path) -> None:
    """A creation that failed (full disk, say) leaves no store behind that no key opens.

    Only reached after ``vault_exists`` said the folder held no vault: what is here is ours. The
    lock file goes too (its exclusive holder may remove it: lockers check it is still there).
    """
    if fileguard.exists(folder / KEY_NAME):
        return
    for name in (DB_NAME, *(DB_NAME + s for s in SIDECARS), ANCHOR_NAME, THROTTLE_NAME,
                 LOCK_NAME):
        path = folder / name
        try:
            if fileguard.check_regular(path):
                path.unlink()
        except (OSError, store_errors.UnsafeFile):
            pass


def initialise_store(folder: Path, engine: Engine, key: KeyBuffer, clock: Clock,
                     info: VaultInfo, key_detail: dict[str, str] | None = None,
                     role: str = CASEWORK) -> Vault:
    """Schema, owner, vault_meta, device identity and the first audit entry of a new store.

    Only a role other than casework is written: an unset role means casework, as in every vault
    made before roles existed.

    ``key_detail`` names the key file in that entry (``keylog``): later key changes compare.
    """
    with engine.begin() as connection:
        schema.upgrade(connection)
    owner = CaseManager(display_name=info.owner_name, municipality=info.municipality,
                        role="case_manager", is_self=True)
    vault = Vault(folder, engine, info, clock, key)
    with vault.session() as s:
        s.add(owner)
        s.flush()
        for name, value in {"vault_uuid": info.vault_uuid, "vault_code": info.vault_code,
                            "owner_uuid": owner.uuid, "municipality": info.municipality}.items():
            s.add(VaultMeta(key=name, value=value))
        if role != CASEWORK:
            s.add(VaultMeta(key=ROLE_KEY, value=role))
        s.add(new_device_identity(clock.now()))
        s.info[audit.ACTOR] = owner.uuid
        audit.record(s, audit.Kind.VAULT_CREATED, "vault", info.vault_uuid,
                     **(key_detail or {}), **({"role": role} if role != CASEWORK else {}))
    vault.info = VaultInfo(info.vault_uuid, info.vault_code, owner.uuid, info.owner_name,
                           info.municipality)
    return vault
