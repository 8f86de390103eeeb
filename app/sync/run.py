"""A sync run: cards, exporters, the outbox, the inbox, acknowledgements, refusal notices and
clean-up.

Each step commits on its own, so a run cut short (share gone, laptop closed, process killed)
leaves a consistent store and the next run simply continues.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.bundle.reader import MAX_BUNDLE_SIZE
from app.services.sync.records import BundleOutcome, SyncReport
from app.share import acks
from app.share.acks import write_ack
from app.share.files import ShareUnavailable, final_names, read_stable, write_new
from app.share.layout import BUNDLE_SUFFIX, ShareLayout
from app.share.ops import OS_OPS, ShareOps
from app.share.sweep import sweep_layout
from app.sync import inbox, kinds, peers, refusals, seen
from app.sync.inbox import file_hash
from app.sync.keys import own_fingerprint, own_fingerprint_read
from app.vault.store import Vault
from db.models import OutboxBundle, PeerDevice, VaultMeta

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
LAST_SYNC_KEY = "sync_last_at"
SHARE_GONE = "share_unavailable"  # outbox_bundle.last_error: a code, never a path


def _no_progress(done: int, total: int, line: str) -> None:
    return None


def _never() -> bool:
    return False


def run(vault: Vault, share: Path | None, progress: Progress | None = None,
        cancel: Cancel | None = None) -> SyncReport:
    progress = progress or _no_progress
    cancel = cancel or _never
    report = SyncReport()
    for exporter in kinds.exporters():  # each in its own transaction
        with vault.session() as s:
            exporter(s, vault)
    if share is None or not share.is_dir():
        report.share_reachable = False
        _note_unreachable(vault)
        return report
    layout = ShareLayout(share)
    try:
        _cards(vault, layout)
        inbox.refresh_waiting(vault)
        _retry_waiting(vault, layout, report, progress, cancel)
        if not report.cancelled:
            _send(vault, layout, report, progress, cancel)
        if not report.cancelled:
            receive(vault, layout, report, progress, cancel)
        report.refused += refusals.take_in(vault, layout)
        _clean_up(vault, layout)
    except OSError:  # ShareUnavailable, or the share vanished between two file operations
        report.share_reachable = False
        _note_unreachable(vault)
        return report
    _stamp_last_sync(vault)
    return report


def _cards(vault: Vault, layout: ShareLayout) -> None:
    found = peers.read_share_cards(layout.cards()) if layout.cards().is_dir() else {}
    with vault.session() as s:
        peers.learn_cards(s, vault, found)
        peers.publish_own_card(s, vault, layout, found)


def _note_unreachable(vault: Vault) -> None:
    with vault.session() as s:
        for row in s.execute(select(OutboxBundle).where(
                OutboxBundle.data.is_not(None))).scalars():
            row.attempts += 1
            row.last_error = SHARE_GONE


def _send(vault: Vault, layout: ShareLayout, report: SyncReport, progress: Progress,
          cancel: Cancel) -> None:
    with vault.read_session() as s:
        ids = list(s.execute(select(OutboxBundle.id).where(OutboxBundle.data.is_not(None))
                             .order_by(OutboxBundle.id)).scalars())
    for done, bundle_id in enumerate(ids):
        if cancel():
            report.cancelled = True
            return
        progress(done, len(ids), "Bündel werden auf das Laufwerk geschrieben …")
        _send_one(vault, layout, bundle_id, report)


def _send_one(vault: Vault, layout: ShareLayout, bundle_id: int, report: SyncReport) -> None:
    with vault.read_session() as s:
        row = s.get(OutboxBundle, bundle_id)
        assert row is not None and row.data is not None
        data, kind, recipients = row.data, row.kind, list(row.recipients)
        names = dict(row.file_names or {})
    for fp in recipients:
        if fp in names:
            continue
        folder = layout.inbox_of(fp)
        try:  # root given: a vanished share is refused, never re-created locally
            written = write_new(folder, data, BUNDLE_SUFFIX, root=layout.root,
                                tag=vault.info.vault_uuid)
        except ShareUnavailable:
            _failed(vault, bundle_id)
            raise
        except OSError as exc:
            _failed(vault, bundle_id)
            raise ShareUnavailable(str(exc)) from exc
        names[fp] = written.name
        with vault.session() as s:  # each copy recorded as soon as it is on the share
            row = s.get(OutboxBundle, bundle_id)
            assert row is not None
            row.file_names = dict(names)
            row.file_hash = file_hash(data)
    with vault.session() as s:
        row = s.get(OutboxBundle, bundle_id)
        assert row is not None
        row.data = None  # every copy written and read back: the vault need not keep it
        row.sent_at = vault.clock.now()
        row.attempts += 1
        row.last_error = None
        labels = [inbox.sender_label(p) or p.fingerprint[:16] for p in s.execute(
            select(PeerDevice).where(PeerDevice.fingerprint.in_(recipients))).scalars()]
    report.sent.append(BundleOutcome(
        file_name=", ".join(names[fp] for fp in recipients), kind=kind, sender=None,
        sender_fingerprint=None, reason=None,
        message_de="Gesendet an " + ", ".join(sorted(labels)) + "."))


def _failed(vault: Vault, bundle_id: int) -> None:
    with vault.session() as s:
        row = s.get(OutboxBundle, bundle_id)
        if row is not None:
            row.attempts += 1
            row.last_error = SHARE_GONE


def _retry_waiting(vault: Vault, layout: ShareLayout, report: SyncReport, progress: Progress,
                   cancel: Cancel) -> None:
    with vault.session() as s:
        own = own_fingerprint(s)
    ready = inbox.waiting_ready(vault)
    for done, (inbox_id, name, data) in enumerate(ready):
        if cancel():
            report.cancelled = True
            return
        progress(done, len(ready), "Wartende Bündel werden übernommen …")
        outcome = inbox.import_bytes(vault, data, name, retry_of=inbox_id)
        file_outcome(report, outcome)
        _acknowledge(layout, outcome, own)
        refusals.notify(vault, layout, outcome)


def receive(vault: Vault, layout: ShareLayout, report: SyncReport,
            progress: Progress | None = None, cancel: Cancel | None = None, *,
            ops: ShareOps = OS_OPS) -> None:
    """Import the files in this vault's inbox folder; names judged before are passed over
    unopened (``app.sync.seen``)."""
    progress = progress or _no_progress
    cancel = cancel or _never
    with vault.session() as s:
        own = own_fingerprint(s)
    folder = layout.inbox_of(own)
    listed = final_names(folder, BUNDLE_SUFFIX, ops=ops)
    if not listed:
        return
    old = seen.known(vault, [path.name for path in listed])
    paths = [path for path in listed if path.name not in old]
    judged: list[tuple[str, str | None]] = []
    try:
        for done, path in enumerate(paths):
            if cancel():
                report.cancelled = True
                return
            progress(done, len(paths), "Bündel werden übernommen …")
            try:
                data = read_stable(path, MAX_BUNDLE_SIZE, ops=ops)
            except ValueError:
                file_outcome(report, inbox.too_large(vault, path.name, _size(path)))
                judged.append((path.name, None))
                continue
            except FileNotFoundError:
                continue
            if data is None:  # still growing or gone: next run
                continue
            outcome = inbox.import_bytes(vault, data, path.name)
            file_outcome(report, outcome)
            _acknowledge(layout, outcome, own)  # remembered only once acknowledged
            refusals.notify(vault, layout, outcome)  # or once the sender is told
            judged.append((path.name, outcome.file_hash))
    finally:
        seen.remember(vault, judged)
    seen.forget_unlisted(vault, [path.name for path in listed])
    progress(len(paths), len(paths), "Fertig.")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def file_outcome(report: SyncReport, outcome: inbox.Outcome) -> None:
    target = {inbox.APPLIED: report.applied, inbox.SKIPPED: report.skipped,
              inbox.WAITING: report.waiting, inbox.REJECTED: report.rejected}.get(outcome.state)
    if target is not None:
        target.append(outcome.line)


def _stamp_last_sync(vault: Vault) -> None:
    with vault.session() as s:
        row = s.get(VaultMeta, LAST_SYNC_KEY)
        now = vault.clock.now().isoformat()
        if row is None:
            s.add(VaultMeta(key=LAST_SYNC_KEY, value=now))
        else:
            row.value = now


def last_sync(vault: Vault) -> datetime | None:
    with vault.read_session() as s:
        row = s.get(VaultMeta, LAST_SYNC_KEY)
    return datetime.fromisoformat(row.value) if row is not None else None


def _acknowledge(layout: ShareLayout, outcome: inbox.Outcome, own: str) -> None:
    """Tell the sender this file's bundle is applied here, so it can remove the file."""
    if outcome.applied and outcome.file_hash and outcome.sender_fingerprint:
        write_ack(layout, outcome.sender_fingerprint, outcome.file_hash, own)


def _clean_up(vault: Vault, layout: ShareLayout) -> None:
    """Remove own bundle files every recipient acknowledged; an outbox row whose files are all
    gone is done (the audit log keeps the export). Partials this vault left behind when it was
    killed or the share vanished mid-write are swept once they are an hour old."""
    sweep_layout(layout, vault.info.vault_uuid)
    with vault.read_session() as s:
        own = own_fingerprint_read(s)
        rows = s.execute(select(OutboxBundle.id, OutboxBundle.recipients,
                                OutboxBundle.file_names, OutboxBundle.file_hash)
                         .where(OutboxBundle.data.is_(None))).all()
    if own is None or not rows:
        return
    sent: list[acks.Sent] = []
    paths: dict[int, list[Path]] = {}
    for row in rows:
        names, digest = dict(row.file_names or {}), row.file_hash
        if digest is None:
            continue
        files = [layout.inbox_of(fp) / names[fp] for fp in row.recipients if fp in names]
        paths[row.id] = files
        sent += [(path, digest, list(row.recipients)) for path in files]
    acks.cleanup(layout, sent, sender_fp=own, done=refusals.refused_files(vault))
    done = [row_id for row_id, files in paths.items() if not any(p.exists() for p in files)]
    if done:
        with vault.session() as s:
            for row_id in done:
                finished = s.get(OutboxBundle, row_id)
                if finished is not None:
                    s.delete(finished)
