"""Writing side of the sync domain: the share folder, a sync run, importing a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.services.sync.records import SyncReport
from app.vault.store import Vault

# progress(done, total, German line); cancel() -> True to stop after the current bundle.
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def set_share_folder(vault: Vault, folder: Path | None) -> None:
    """Remember the share folder (UNC path or mapped drive; None: no share). Refuses, in German,
    a folder that does not exist or cannot be written."""
    raise NotImplementedError  # contract: the sync engineer fills this in


def run_sync(vault: Vault, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:
    """Publish this vault's card, read the others', send the outbox, import the inbox, clean up
    what every recipient applied. Safe to call when the share is unreachable (report says so)."""
    raise NotImplementedError


def import_file(vault: Vault, path: Path) -> SyncReport:
    raise NotImplementedError


def discard(vault: Vault, inbox_id: int) -> None:
    """Throw a waiting bundle away (its sender will not be trusted)."""
    raise NotImplementedError


def export_directory(vault: Vault) -> str | None:
    """Seal the team directory's changes (institutions, contacts, agreements, gap register)
    for every trusted colleague into the outbox; None when nothing changed since the last."""
    raise NotImplementedError
