"""Every change of the key file is in the audit log, even one whose process died right after it.

A passphrase change (``passwd``) or key renewal (``rekey``) replaces the key file first and
writes its audit entry afterwards, in the store the new key file opens. A crash between the two
would leave an unaudited change. So each key event names the key file it produced (a fingerprint
of the file) and the data key it wraps (a check value derived from the key, which reveals
nothing about it). At every unlock the current key file is compared with the last key event: a
key file no entry names is recorded then, marked ``late``, as a rekey when the data key differs
and as a passphrase change otherwise. Vaults from before this record (no fingerprint in any key
event) are left alone until their next change.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.vault.keyfile import KeyFile
from db.keybuffer import KeyBytes
from db.models import AuditLog

CHECK_INFO = b"lotse data key check v1"


def key_detail(keyfile: KeyFile, data_key: KeyBytes) -> dict[str, Any]:
    """What a key event records: which key file, and which data key (neither is secret)."""
    check = HKDF(algorithm=hashes.SHA256(), length=8, salt=None, info=CHECK_INFO
                 ).derive(data_key)
    return {"key_file": hashlib.sha256(keyfile.to_bytes()).hexdigest()[:32],
            "data_key_check": check.hex()}


def last_key_event(session: Session) -> dict[str, Any] | None:
    kinds = (audit.Kind.VAULT_CREATED, audit.Kind.PASSPHRASE_CHANGED, audit.Kind.REKEYED)
    row = session.execute(select(AuditLog.detail).where(AuditLog.kind.in_(kinds))
                          .order_by(AuditLog.seq.desc()).limit(1)).first()
    return None if row is None else dict(row.detail or {})


def reconcile(session: Session, keyfile: KeyFile, data_key: KeyBytes,
              announced: str | None = None) -> None:
    """Record the current key file if no key event names it yet.

    ``announced`` is the kind the caller has just performed (``passwd``/``rekey`` opening the
    vault right after their commit point); without it, a found change is recorded as ``late``.
    """
    detail = key_detail(keyfile, data_key)
    last = last_key_event(session)
    known = None if last is None else last.get("key_file")
    if known == detail["key_file"]:
        return
    if announced is not None:
        audit.record(session, announced, "vault", keyfile.vault_uuid, **detail)
        return
    if known is None or last is None:
        return  # a vault from before key events carried fingerprints
    kind = (audit.Kind.PASSPHRASE_CHANGED if last.get("data_key_check") == detail["data_key_check"]
            else audit.Kind.REKEYED)
    audit.record(session, kind, "vault", keyfile.vault_uuid, late=True, **detail)
