"""At each successful unlock: audit what the failure record says, then start a new one.

The failure record (``unlock.throttle``) is a second witness beside the audit anchor. Every
unlock gives it a new random id, and the store (encrypted, audited) keeps the id it expects. A
record that is missing, or carries an id the store does not expect, means the folder's files are
not the ones Lotse last wrote together: an older copy of the database was put back (which a
truncated anchor alone would hide), or the record was deleted or replaced. The unlock records
that (``missing``/``replaced``), and ``app.vault.record_alarm`` shows it as an alarm until a new
anchor is begun.

The order makes a crash harmless. In the unlock's transaction the store keeps the new id as
*current* and what the file carries now as *previous*; only after that commit is the file
renewed, and then (still holding the write lock) *previous* is dropped. A crash or a failed
write between commit and renewal leaves the file with the previous id, which the next unlock
accepts; a commit that fails leaves store and file as they were. The write lock orders unlocks
of two processes: a renewal whose id is no longer current is skipped, the later unlock's wins.

Damage of other kinds (a truncated or unparsable record, absurd values, a folder, link or FIFO
in its place) is reported in the audit log as a warning, never an alarm: the record is an
unauthenticated file by design, faults and other programs damage files, and a damaged record
must never keep anyone from working. *Not seen:* counts edited downward in a file that keeps
its id; guessing on a copy of the files (no delay applies there at all).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app import audit
from app.vault.throttle import Throttle, ThrottleState
from db.models import VaultMeta
from db.write_lock import write_locked

RECORD_ID_KEY = "throttle_record_id"  # the id the last unlock gave the record
PREVIOUS_ID_KEY = "throttle_record_prev"  # what it may still carry until the renewal is done
ABSENT = "absent"  # as PREVIOUS_ID_KEY: no record (or none with an id) was there
MISSING = "missing"  # no file, though the store expects one
REPLACED = "replaced"  # a file with an id the store does not expect
ALARMS = (MISSING, REPLACED)


def _seen(found: ThrottleState) -> str:
    """The record as the store remembers it: its id, or ABSENT for none with an id."""
    return found.record_id if found.present and found.record_id else ABSENT


def problems(found: ThrottleState, expected: set[str] | None) -> list[str]:
    """What the audit log should say about the failure record found at this unlock.

    ``expected``: the ids the store accepts (ABSENT among them: no record is fine too); None
    where there is nothing to compare with (a vault from before this check, or just restored).
    """
    reported = list(found.earlier_damage)
    if found.damage is not None:
        reported.append(found.damage)
    if reported or expected is None:
        return sorted(set(reported))  # damage explains a lost id
    if _seen(found) in expected:
        return []
    return [MISSING if not found.present else REPLACED]


def _meta(session: Session, key: str) -> str | None:
    return session.execute(select(VaultMeta.value).where(VaultMeta.key == key)
                           ).scalar_one_or_none()


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(VaultMeta, key)
    if row is None:
        session.add(VaultMeta(key=key, value=value))
    else:
        row.value = value


def start_record(session: Session, throttle: Throttle) -> None:
    """A new vault's first record, written inside its creating transaction (a creation that
    fails removes the whole folder). A folder in its place stays, and no id is kept."""
    record_id = secrets.token_hex(16)
    if throttle.renew(record_id):
        _set_meta(session, RECORD_ID_KEY, record_id)


@dataclass(frozen=True)
class Renewal:
    """The record to write once the unlock has committed (``finish``)."""

    throttle: Throttle
    record_id: str

    def finish(self, engine: Engine) -> bool:
        """Write the new record and confirm it in the store. Never raises: the unlock is
        committed, and a renewal that fails leaves a record the next unlock accepts.

        Under the write lock, so that no other unlock reads or renews the record meanwhile.
        Returns whether the record was renewed.
        """
        try:
            with write_locked(engine) as run:
                current = run("SELECT value FROM vault_meta WHERE key = ?", (RECORD_ID_KEY,))
                if current != [(self.record_id,)]:
                    return False  # another process unlocked since: its renewal is the one
                if not self.throttle.renew(self.record_id):
                    return False  # a folder in its place: it stays, and is reported again
                run("DELETE FROM vault_meta WHERE key = ?", (PREVIOUS_ID_KEY,))
        except Exception:  # busy, full or read-only disk: the next unlock accepts the old one
            return False
        return True


def audit_and_renew(session: Session, throttle: Throttle, vault_uuid: str, *,
                    expect_record: bool = True) -> Renewal:
    """In the unlock's transaction: failures and damage into the audit log, the new id into
    the store. The caller commits, then calls ``finish`` on the result.

    ``expect_record=False`` for a vault folder just restored from a backup: the store comes
    from another folder, whose failure record stayed behind.
    """
    found = throttle.read()
    if found.failures and found.damage is None:
        audit.record(session, audit.Kind.UNLOCK_FAILURES, "vault", vault_uuid,
                     failed_attempts=found.failures)
    current = _meta(session, RECORD_ID_KEY)
    expected: set[str] | None = None
    if expect_record and current is not None:
        expected = {current, *filter(None, [_meta(session, PREVIOUS_ID_KEY)])}
    reported = problems(found, expected)
    if reported:
        audit.record(session, audit.Kind.THROTTLE_DAMAGED, "vault", vault_uuid,
                     problems=reported)
    renewal = Renewal(throttle, secrets.token_hex(16))
    _set_meta(session, PREVIOUS_ID_KEY, _seen(found))
    _set_meta(session, RECORD_ID_KEY, renewal.record_id)
    return renewal
