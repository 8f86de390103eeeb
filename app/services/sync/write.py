"""Writing side of the sync domain: the share folder, a sync run, importing a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app import audit
from app.audit import Kind
from app.bundle.reader import MAX_BUNDLE_SIZE
from app.errors import NotFound, ValidationFailed
from app.fsutil import read_limited
from app.services.sync.records import IN_INBOX, SyncReport
from app.settings import load_settings, update_settings
from app.share.files import ShareUnavailable, write_new
from app.sync import (  # noqa: F401 - each registers its kind
    catalogue_update,
    deputy,
    directory,
    inbox,
    steering_bundle,
    transfer,
)
from app.sync import run as sync_run
from app.vault.store import Vault
from db.models import InboxBundle, SentRefusal

# progress(done, total, German line); cancel() -> True to stop after the current bundle.
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

PROBE_SUFFIX = ".probe"


def share_folder(vault: Vault) -> Path | None:
    folder = load_settings(vault).share_folder
    return Path(folder) if folder else None


def set_share_folder(vault: Vault, folder: Path | None) -> None:
    """Remember the share folder (UNC path or mapped drive; None: no share). Refuses, in German,
    a folder that does not exist or cannot be written."""
    if folder is not None:
        if not folder.exists():
            raise ValidationFailed("Diesen Ordner gibt es nicht (oder das Laufwerk ist nicht "
                                   "verbunden).", "share folder does not exist", field="folder")
        if not folder.is_dir():
            raise ValidationFailed("Das ist kein Ordner.", "share folder is not a directory",
                                   field="folder")
        try:  # the same writer bundles use, so a folder that takes this takes them
            probe = write_new(folder, b"lotse", PROBE_SUFFIX, root=folder,
                              tag=vault.info.vault_uuid)
            probe.unlink()
        except (ShareUnavailable, OSError) as exc:
            raise ValidationFailed("In diesen Ordner kann Lotse nicht schreiben.",
                                   f"share folder not writable: {type(exc).__name__}",
                                   field="folder") from exc
    update_settings(vault, share_folder="" if folder is None else str(folder.absolute()))
    with vault.session() as s:
        audit.record(s, Kind.SHARE_FOLDER_SET, "settings", None, cleared=folder is None)


def run_sync(vault: Vault, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:
    """Publish this vault's card, read the others', send the outbox, import the inbox, clean up
    what every recipient applied. Safe to call when the share is unreachable (report says so)."""
    return sync_run.run(vault, share_folder(vault), progress, cancel)


def import_file(vault: Vault, path: Path) -> SyncReport:
    """One bundle file handed over outside the share (USB stick): judged like any other."""
    report = SyncReport()
    data = read_limited(path, MAX_BUNDLE_SIZE)
    if data is None:
        outcome = inbox.too_large(vault, path.name, path.stat().st_size if path.is_file() else 0)
    else:
        outcome = inbox.import_bytes(vault, data, path.name)
        if outcome.state == inbox.KNOWN:  # a file seen before: say what became of it
            outcome = inbox.describe_known(vault, data, path.name)
    sync_run.file_outcome(report, outcome)
    return report


def discard(vault: Vault, inbox_id: int) -> None:
    """Throw a waiting bundle away (its sender will not be trusted), or take a rejected one
    off the Eingang once a person has seen why. Either is never applied; its file stays on the
    share (removing it would tell its sender it arrived) and is passed over as seen."""
    with vault.session() as s:
        row = s.get(InboxBundle, inbox_id)
        if row is None or row.state not in IN_INBOX:
            raise NotFound("Dieses Bündel ist nicht (mehr) im Eingang.",
                           f"no waiting or rejected bundle {inbox_id}")
        row.state, row.data = "discarded", None
        audit.record(s, Kind.BUNDLE_DISCARDED, "inbox_bundle", row.bundle_uuid,
                     reason=row.reason, bundle_kind=row.kind, sender=row.sender_fingerprint)


def take_note(vault: Vault, refusal_id: int) -> None:
    """A person has read why a recipient refused one of this vault's bundles: off the list,
    kept in the log. Whoever needs the data there sends it again."""
    with vault.session() as s:
        row = s.get(SentRefusal, refusal_id)
        if row is None or row.dismissed_at is not None:
            raise NotFound("Diese Ablehnung ist nicht (mehr) in der Liste.",
                           f"no open refusal {refusal_id}")
        row.dismissed_at = vault.clock.now()
        audit.record(s, Kind.BUNDLE_REFUSAL_NOTED, "sent_refusal", row.bundle_uuid,
                     bundle_kind=row.kind, recipient=row.recipient_fingerprint, reason=row.reason)


def export_directory(vault: Vault) -> str | None:
    """Seal the team directory's changes (institutions, contacts, agreements, gap register)
    for every trusted colleague into the outbox; None when nothing changed since the last."""
    with vault.session() as s:
        uuids = directory.export(s, vault)
    return uuids[0] if uuids else None
