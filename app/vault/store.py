"""Create, open, lock a vault and change its passphrase.

A vault is a folder: ``lotse.db`` (SQLCipher), ``lotse.key`` (wrapped data key), ``audit.anchor``
(external audit chain head), ``unlock.throttle`` (failed attempts) and ``lotse.lock`` (the vault
lock between processes, ``app.vault.access``). Every refusal leaves the database and the key
file byte-for-byte unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from app import audit, faults
from app.changes import publish as publish_changes
from app.clock import Clock, SystemClock
from app.errors import Refused
from app.fsutil import guarded, refusal
from app.services.tasks.queries import next_deadlines
from app.sync import readonly as _readonly  # noqa: F401 - registers the read-only guard
from app.vault import keylog, verify
from app.vault.access import unlock_key, unlock_settled
from app.vault.anchor import AnchorFile
from app.vault.files import (
    ANCHOR_NAME,
    CHECKED_FILES,
    DB_NAME,
    DRAFTS_NAME,
    KEY_NAME,
    LOCK_NAME,
    THROTTLE_NAME,
    VAULT_FILES,
)
from app.vault.keyfile import KeyFile
from app.vault.throttle import Throttle
from app.vault.throttle_record import audit_and_renew
from db import derived, fileguard, schema
from db import errors as store_errors
from db.changes import take as take_changes
from db.engine import (
    IMMEDIATE,
    connect_raw,
    make_engine,
    reader_of,
)
from db.keybuffer import KeyBuffer
from db.models import CaseManager, VaultMeta
from db.sync import TOMBSTONED_KEY, VAULT_KEY, LotseSession
from db.tombstones import scrub_after_commit, tidy_before_close
from db.vault_lock import VaultLock

# Every session a vault opens keeps the case row's next deadline (db.derived); the rule is the
# application's, as it reads the catalogue's lead times.
derived.register_rule(derived.NEXT_DEADLINE, next_deadlines)

__all__ = ["ANCHOR_NAME", "CHECKED_FILES", "DB_NAME", "DRAFTS_NAME", "KEY_NAME", "LOCK_NAME",
           "THROTTLE_NAME", "VAULT_FILES", "Vault", "VaultInfo", "open_vault",
           "unlock_key", "vault_exists", "verify_store"]

UNLOCK_META = ("vault_uuid", "owner_uuid", "municipality")  # the vault_meta an unlock reads



@dataclass(frozen=True)
class VaultInfo:
    vault_uuid: str
    vault_code: str
    owner_uuid: str
    owner_name: str
    municipality: str


def _refusal(exc: store_errors.StoreError) -> Refused:
    if isinstance(exc, store_errors.UnsafeFile):
        return refusal(exc)
    if isinstance(exc, store_errors.NewerSchema):
        return Refused("Dieser Tresor wurde mit einer neueren Lotse-Version angelegt. "
                       "Bitte aktualisieren Sie Lotse.", str(exc))
    if isinstance(exc, store_errors.CipherSettingsMismatch):
        return Refused("Die Verschlüsselungseinstellungen des Tresors sind unerwartet; "
                       "er wird nicht geöffnet.", str(exc))
    if isinstance(exc, store_errors.UndecryptableStore):
        return Refused("Die Datenbank des Tresors passt nicht zum Schlüssel oder ist beschädigt.",
                       str(exc))
    return Refused("Die Datenbank des Tresors fehlt, ist leer, abgeschnitten oder keine "
                   "Lotse-Datenbank. Sie wird nicht verändert.", str(exc))


class Vault:
    """An unlocked vault. ``lock()`` closes every connection and wipes the key.

    The data key's only copy in Python is the ``KeyBuffer`` owned here; the engine reads it when
    it opens a connection, so after the lock wiped it, nothing can be keyed any more. ``access``
    is the vault lock held shared while it is open (``app.vault.access``), released by ``lock()``.
    """

    def __init__(self, folder: Path, engine: Engine, info: VaultInfo, clock: Clock,
                 key: KeyBuffer, access: VaultLock | None = None) -> None:
        self.folder = folder
        self._key = key
        self._access = access
        self.info = info
        self.clock = clock
        self.anchor = AnchorFile(folder / ANCHOR_NAME)
        self._engine: Engine | None = engine
        self._reader: Engine | None = reader_of(engine)
        faults.install(engine)
        faults.install(self._reader)
        self._sessions: sessionmaker[LotseSession] | None = sessionmaker(
            bind=engine, class_=LotseSession, expire_on_commit=False)
        self._reads: sessionmaker[LotseSession] | None = sessionmaker(
            bind=self._reader, class_=LotseSession, expire_on_commit=False)

    @property
    def locked(self) -> bool:
        return self._engine is None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise Refused("Der Tresor ist gesperrt.", "vault is locked")
        return self._engine

    @contextmanager
    def session(self, *, immediate: bool = True) -> Iterator[LotseSession]:
        """One unit of work that writes (an audited read writes its audit entry): commits on
        success, rolls back on any error.

        It takes the write lock at BEGIN, so while another process writes it waits (up to
        ``db.engine.WAITING``) instead of failing at its first write: a deferred transaction
        that has read cannot wait for the lock. Units that only read use ``read_session``.
        """
        session = self._new_session(self._sessions)
        try:
            if immediate:
                session.connection(execution_options={IMMEDIATE: True})
            yield session
            session.commit()
            publish_changes(take_changes(session))  # views refresh what this unit changed
            if session.info.get(TOMBSTONED_KEY):  # deleted content leaves the disk now
                scrub_after_commit(self.engine, session.info[TOMBSTONED_KEY])
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read_session(self) -> Iterator[LotseSession]:
        """A unit of work that only reads (lists, search, Heute), on connections of its own
        (``db.engine.reader_of``): it never takes the write lock, so it neither waits for another
        writer nor holds up this process's saves. A write in it fails
        (``db.errors.WriteInReadSession``): audited reads use ``session``."""
        session = self._new_session(self._reads)
        try:
            yield session
            if session.new or session.dirty or session.deleted:  # would vanish unflushed
                raise store_errors.WriteInReadSession("changes were made in a read session")
        finally:
            session.close()  # nothing to commit: the read transaction ends with the session

    def _new_session(self, maker: sessionmaker[LotseSession] | None) -> LotseSession:
        if maker is None:
            raise Refused("Der Tresor ist gesperrt.", "vault is locked")
        session = maker()
        session.info.update({VAULT_KEY: self.info.vault_uuid, audit.ACTOR: self.info.owner_uuid,
                             audit.ANCHOR: self.anchor, audit.CLOCK: self.clock})
        return session

    @contextmanager
    def raw_key(self) -> Iterator[memoryview]:
        """For backups and rekeying only: a read-only view of the live store key, valid inside
        the ``with`` block (never printed, never logged, never copied into ``bytes``)."""
        if self._engine is None:
            raise Refused("Der Tresor ist gesperrt.", "vault is locked")
        view = self._key.view()
        try:
            yield view
        finally:
            view.release()

    def lock(self) -> None:
        """Wipe the key first, then tidy up over the pooled (already keyed) connections and
        close them, whatever fails on the way."""
        engine, self._engine, self._sessions = self._engine, None, None
        reader, self._reader, self._reads = self._reader, None, None
        self._key.wipe()  # from here on no new connection can be keyed
        try:
            if reader is not None:
                reader.dispose()
            if engine is not None:
                try:
                    tidy_before_close(engine)
                finally:
                    engine.dispose()
        finally:
            if self._access is not None:  # no connection is left: a rekey may replace the file
                self._access.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()


def vault_exists(folder: Path) -> bool:
    """Whether the folder holds (part of) a vault; a link in place of a vault file is refused."""
    with guarded():
        for name in CHECKED_FILES:
            fileguard.check_regular(folder / name)
    return any(fileguard.exists(folder / name) for name in (KEY_NAME, DB_NAME, ANCHOR_NAME))


def tighten_permissions(folder: Path) -> None:
    """Owner-only folder and files, also for vaults made before Lotse set them (POSIX)."""
    fileguard.tighten(folder)
    for name in CHECKED_FILES:
        if fileguard.exists(folder / name):
            fileguard.tighten(folder / name)


FOREIGN_KEY_FILE_DE = "Datenbank und Schlüsseldatei gehören zu verschiedenen Tresoren."


def verify_store(db_path: Path, data_key: bytes | bytearray | memoryview,
                  vault_uuid: str | None = None) -> None:
    """Open once read-only: decrypts, pinned settings, ours, schema not newer, and (given
    ``vault_uuid``) the key file's vault. Writes nothing."""
    try:
        conn = connect_raw(db_path, data_key)
        try:
            problem = verify.identity_problem(conn, vault_uuid)
        finally:
            conn.close()
        if problem is not None and problem[0] == verify.UNKNOWN_SCHEMA:
            raise store_errors.NewerSchema(problem[1])
    except store_errors.StoreError as exc:
        raise _refusal(exc) from exc
    if problem is not None:
        raise Refused(FOREIGN_KEY_FILE_DE, problem[1])


def _open_store(folder: Path, keyfile: KeyFile, key: KeyBuffer, clock: Clock,
                access: VaultLock) -> Vault:
    db_path = folder / DB_NAME
    with key.view() as data_key:
        verify_store(db_path, data_key)
    with guarded():
        for name in CHECKED_FILES:  # refuse a linked anchor or sidecar before any write
            fileguard.check_regular(folder / name, single_link=True)
        tighten_permissions(folder)
    engine = make_engine(db_path, key)
    try:
        with engine.begin() as connection:
            schema.upgrade(connection)  # no-op at head; older stores migrate before any use
    except BaseException:
        engine.dispose()
        raise
    return Vault(folder, engine, VaultInfo(keyfile.vault_uuid, keyfile.vault_code, "", "", ""),
                 clock, key, access)


@contextmanager
def _locked_on_error(vault: Vault) -> Iterator[None]:
    """An open that fails after the store opened (busy, full disk, a refusal) drops the key and
    its connections at once."""
    try:
        yield
    except BaseException:
        vault.lock()
        raise


def open_vault(folder: Path, passphrase: str, clock: Clock | None = None, *,
               key_change: str | None = None, restored: bool = False,
               held: VaultLock | None = None) -> Vault:
    """Unlock and open. ``key_change`` is the key event (passwd/rekey) that just committed;
    ``restored``: the folder was just made from a backup, so no failure record is due;
    ``held``: the vault lock the caller hands over (``unlock_settled``)."""
    clock = clock or SystemClock()
    access, keyfile, data_key = unlock_settled(folder, passphrase, clock, held)
    key = KeyBuffer(data_key)  # from here on the only copy; wiped on every way out but success
    try:
        vault = _open_store(folder, keyfile, key, clock, access)
    except BaseException:
        key.wipe()
        access.release()
        raise
    # Takes the write lock first: it writes the unlock to the audit log.
    with _locked_on_error(vault), vault.session(immediate=True) as s:
        # Only what the unlock needs: vault_meta also holds the drafts key pair (app.drafts).
        meta = dict(s.execute(select(VaultMeta.key, VaultMeta.value).where(
            VaultMeta.key.in_(UNLOCK_META))).tuples().all())
        if meta.get("vault_uuid") != keyfile.vault_uuid:
            vault.lock()
            raise Refused(FOREIGN_KEY_FILE_DE, "vault uuid in store differs from key file")
        owner = s.execute(select(CaseManager).where(CaseManager.uuid == meta["owner_uuid"])
                          ).scalar_one()
        vault.info = VaultInfo(keyfile.vault_uuid, keyfile.vault_code, owner.uuid,
                               owner.display_name, meta.get("municipality", ""))
        s.info[audit.ACTOR] = owner.uuid
        # Committing the unlock entry compares store and anchor (app.anchoring): a crash's
        # unanchored tail is anchored then, a disagreement freezes the anchor and stays.
        with key.view() as live_key:
            keylog.reconcile(s, keyfile, live_key, key_change)
        renewal = audit_and_renew(s, Throttle(folder / THROTTLE_NAME, clock),
                                  keyfile.vault_uuid, expect_record=not restored)
        audit.record(s, audit.Kind.UNLOCKED, "vault", keyfile.vault_uuid)
    renewal.finish(vault.engine)  # only once the unlock committed (app.vault.throttle_record)
    return vault
