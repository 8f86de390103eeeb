"""Writing a PDF to a file the caseworker chose: a write that leaves either the complete PDF or
nothing, never replaces a file unasked, and takes the file back when recording it fails."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from app.errors import LotseError
from app.faults import domain_error
from app.fsutil import replace, write_atomic, write_new


class SaveFailed(Exception):
    """Nothing was written (German text in ``args[0]``)."""


def save_pdf(path: Path, data: bytes, *, replace_existing: bool) -> None:
    """Write ``data`` to ``path`` so that either the complete PDF or nothing is there: the
    vault's own file writes (``app.fsutil``): a temp file in the same folder, synced, then
    renamed over the old file when replacing was confirmed, or linked into place otherwise, so
    a file that appeared at ``path`` since the question was asked is left alone."""
    try:
        (write_atomic if replace_existing else write_new)(path, data)
    except FileExistsError:
        raise SaveFailed(f"Die Datei „{path.name}“ gibt es inzwischen schon. Sie wurde nicht "
                         "ersetzt; bitte wählen Sie einen anderen Namen.") from None
    except LotseError as exc:  # a link or device at the chosen name, refused by the guard
        raise SaveFailed(exc.message_de) from exc
    except OSError as exc:
        known = domain_error(exc)
        raise SaveFailed(known.message_de if known is not None else
                         f"Die Datei „{path.name}“ ließ sich nicht schreiben. Es wurde nichts "
                         "gespeichert.") from exc


def save_recorded(path: Path, data: bytes, *, replace_existing: bool,
                  record: Callable[[], None]) -> None:
    """Save, then record the copy; a record that fails takes the copy back, and a file it
    replaced comes back as it was. A copy out of the vault is one the audit log knows of."""
    aside = _set_aside(path) if replace_existing else None
    written = False
    try:
        save_pdf(path, data, replace_existing=replace_existing)
        written = True
        record()
    except BaseException:
        if aside is not None:
            with contextlib.suppress(OSError):
                replace(aside, path)
        elif written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    if aside is not None:
        with contextlib.suppress(OSError):
            aside.unlink()


def _set_aside(path: Path) -> Path | None:
    """A second name for the file about to be replaced, in the same folder (a hard link, or a
    copy where the file system has none); None when nothing is there any more."""
    aside = path.with_name(f".lotse-{secrets.token_hex(6)}.old")
    try:
        try:
            os.link(path, aside)
        except FileNotFoundError:
            return None
        except OSError:  # FAT sticks, some shares: no hard links
            shutil.copy2(path, aside)
    except OSError as exc:
        known = domain_error(exc)
        raise SaveFailed(known.message_de if known is not None else
                         f"Die vorhandene Datei „{path.name}“ ließ sich nicht sichern; sie "
                         "wurde nicht ersetzt.") from exc
    return aside
