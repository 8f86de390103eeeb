"""Starting a new audit anchor, the one act that ends an alarm.

Two witnesses outside the store can raise the alarm: the audit anchor (``app.anchoring``) and
the failure record (``app.vault.record_alarm``: an unlock found it missing or replaced). Starting
a new anchor is the only way an alarm ends, and only on a person's explicit request (``lotse
audit --reanchor``, the desktop's alarm bar): it keeps the old anchor file, records who
restarted it from which heads and which failure-record alarm it acknowledges, and anchors the
store's chain as it is now.
"""

from __future__ import annotations

from app import anchoring, audit
from app.errors import Refused
from app.services.audit.read import anchor_status
from app.services.audit.records import AnchorRestart
from app.vault.record_alarm import standing_alarm
from app.vault.store import Vault
from db.write_lock import write_locked

NOTHING_TO_RESTART_DE = ("Protokoll und Prüfanker stimmen überein; es gibt keinen Grund, einen "
                         "neuen Prüfanker zu beginnen.")


def restart_anchor(vault: Vault) -> AnchorRestart:
    """Begin a new anchor from the store's chain; refused while no alarm stands."""
    with vault.read_session() as s:
        chain = audit.verify(s, vault.anchor)
        alarm = standing_alarm(anchoring.session_runner(s))
    if chain.ok and alarm is None:
        raise Refused(NOTHING_TO_RESTART_DE, "the audit anchor agrees with the store; "
                      "there is nothing to restart")
    old_head = vault.anchor.last()
    # Recorded first: a crash before the new anchor is written leaves the alarm standing (the
    # frozen anchor does not take this entry) and this entry as the trace of the attempt. The
    # failure record's alarm it acknowledges is read in the same (locked) transaction.
    with vault.session(immediate=True) as s:
        run = anchoring.session_runner(s)
        alarm = standing_alarm(run)
        rows = run("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", ())
        new_head = (int(rows[0][0]), str(rows[0][1])) if rows else None
        audit.record(s, audit.Kind.ANCHOR_RESTARTED, "vault", vault.info.vault_uuid,
                     old_seq=old_head[0] if old_head else None,
                     old_hash=old_head[1] if old_head else None,
                     new_seq=new_head[0] if new_head else None,
                     new_hash=new_head[1] if new_head else None,
                     failure_record_alarm=alarm.seq if alarm else None)
    stamp = vault.clock.now().strftime("%Y%m%dT%H%M%SZ")
    with write_locked(vault.engine) as run:  # no other process appends meanwhile
        records = [(int(seq), str(digest)) for seq, digest in
                   run("SELECT seq, hash FROM audit_log ORDER BY seq", ())]
        kept = vault.anchor.replace(records, stamp)
        anchoring.set_anchored_through(run, records[-1][0] if records else 0)
    return AnchorRestart(old_head, new_head, kept, anchor_status(vault))
