"""File names in this vault's inbox folder on the share that were judged already.

A writer never reuses a final name (``app.share.files.write_new`` publishes without replacing),
so a name judged before is the same file: a sync run passes it over without opening, reading or
hashing it. On a slow share that is what a run with nothing new costs. A file is remembered only
once its fate is settled here — applied and acknowledged, skipped, waiting (its bytes are kept
in the vault) or rejected — never while it is still growing or vanished.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import delete, select

from app.vault.store import Vault
from db.models import ShareSeen

# A name no longer listed is forgotten only after this long: a share's cached listing may
# leave out a file for a while, and re-reading it then costs one hash, never a wrong result.
FORGET_AFTER = timedelta(days=30)
_BATCH = 500


def known(vault: Vault, names: Sequence[str]) -> set[str]:
    """Those of ``names`` that were judged before."""
    found: set[str] = set()
    with vault.read_session() as s:
        for start in range(0, len(names), _BATCH):
            chunk = names[start:start + _BATCH]
            found.update(s.execute(select(ShareSeen.file_name).where(
                ShareSeen.file_name.in_(chunk))).scalars())
    return found


def remember(vault: Vault, judged: Iterable[tuple[str, str | None]]) -> None:
    """Record (file name, SHA-256 of its bytes or None) of files whose fate is settled."""
    entries = dict(judged)
    if not entries:
        return
    with vault.session() as s:
        already = set(s.execute(select(ShareSeen.file_name).where(
            ShareSeen.file_name.in_(list(entries)))).scalars())
        now = vault.clock.now()
        s.add_all(ShareSeen(file_name=name, file_hash=digest, seen_at=now)
                  for name, digest in entries.items() if name not in already)


def forget_unlisted(vault: Vault, listed: Iterable[str]) -> None:
    """Drop names that left the share (cleaned up by their sender) a good while ago."""
    present = set(listed)
    with vault.session() as s:
        cutoff = vault.clock.now() - FORGET_AFTER
        stale = [row_id for row_id, name in s.execute(select(
            ShareSeen.id, ShareSeen.file_name).where(ShareSeen.seen_at < cutoff))
            if name not in present]
        for start in range(0, len(stale), _BATCH):
            s.execute(delete(ShareSeen).where(ShareSeen.id.in_(stale[start:start + _BATCH])))
