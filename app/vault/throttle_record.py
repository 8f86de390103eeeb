"""At each successful unlock: audit what the failure record says, then start a new one.

The store (encrypted, audited) remembers the random id of the throttle file it last wrote. A
file that is missing or carries another id at the next unlock was deleted or replaced since:
that is reported, as is a damaged file. What this cannot see: counts edited downward in a file
that keeps its id, and guessing on a copy of the files (no delay applies there at all).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.vault.throttle import Throttle, ThrottleState
from db.models import VaultMeta

RECORD_ID_KEY = "throttle_record_id"
MISSING = "missing"  # no file, though the last unlock wrote one
REPLACED = "replaced"  # a file with another id than the last unlock wrote


def problems(found: ThrottleState, expected_id: str | None) -> list[str]:
    """What the audit log should say about the failure record found at this unlock."""
    reported = list(found.earlier_damage)
    if found.damage is not None:
        reported.append(found.damage)
    if reported or expected_id is None:
        # Damage explains a lost id; without a stored id (a vault from before this check, or
        # one just restored) there is nothing to compare with.
        return sorted(set(reported))
    if not found.present:
        return [MISSING]
    if found.record_id != expected_id:
        return [REPLACED]
    return []


def _stored_id(session: Session) -> str | None:
    return session.execute(select(VaultMeta.value).where(VaultMeta.key == RECORD_ID_KEY)
                           ).scalar_one_or_none()


def _store_id(session: Session, record_id: str) -> None:
    row = session.get(VaultMeta, RECORD_ID_KEY)
    if row is None:
        session.add(VaultMeta(key=RECORD_ID_KEY, value=record_id))
    else:
        row.value = record_id


def start_record(session: Session, throttle: Throttle) -> None:
    """A fresh failure record whose id the store keeps (a folder in its place stays, and the
    old id with it, so the next unlock reports it again)."""
    record_id = secrets.token_hex(16)
    if throttle.renew(record_id):
        _store_id(session, record_id)


def audit_and_renew(session: Session, throttle: Throttle, vault_uuid: str, *,
                    expect_record: bool = True) -> None:
    """In the unlock's transaction: failures and damage into the audit log, then a new record.

    ``expect_record=False`` for a vault folder just restored from a backup: the store comes
    from another folder, whose failure record stayed behind.
    """
    found = throttle.read()
    if found.failures and found.damage is None:
        audit.record(session, audit.Kind.UNLOCK_FAILURES, "vault", vault_uuid,
                     failed_attempts=found.failures)
    reported = problems(found, _stored_id(session) if expect_record else None)
    if reported:
        audit.record(session, audit.Kind.THROTTLE_DAMAGED, "vault", vault_uuid,
                     problems=reported)
    start_record(session, throttle)
