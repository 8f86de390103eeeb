"""Case conference files: conference ics, minutes.

Files are written only when everything is ready: the output path is checked before the vault is
opened (no passphrase asked for a file that cannot be written), the content is made in memory,
then created next to the target and linked into place, never over an existing file. The audit
entry follows the write; if it cannot be written, the file is removed again.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.args import conference_id
from app.cli.context import open_from_args
from app.errors import EXIT_OK, Refused
from app.fsutil import write_new
from app.services.conferences.records import FULL, PSEUDONYMISED


def register(sub: Any, conference_sub: Any) -> None:
    """``minutes`` beside the other commands, ``ics`` as an action of ``conference``."""
    ics = conference_sub.add_parser("ics", help="write the invitation as an iCalendar file "
                                    "(no client data)")
    ics.add_argument("id", type=conference_id, help="the conference's id (uuid)")
    ics.add_argument("--out", type=Path, required=True, metavar="FILE.ics",
                     help="the file to create (an existing file is never replaced)")
    ics.set_defaults(handler=cmd_conference_ics)

    p = sub.add_parser("minutes", help="write the minutes of a held conference as PDF/A")
    p.add_argument("id", type=conference_id, help="the conference's id (uuid)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf",
                   help="the file to create (an existing file is never replaced)")
    p.add_argument("--pseudonymised", action="store_true",
                   help="case numbers and initials only, no names or free text about persons")
    p.set_defaults(handler=cmd_minutes)


# --- files ---------------------------------------------------------------------------------

def check_target(path: Path) -> Path:
    """Refuse what cannot become a new file, before anything is read or made."""
    folder = path.parent
    if not folder.is_dir():
        raise Refused("Der Zielordner existiert nicht.",
                      f"the output folder {folder} does not exist; nothing was written")
    if path.exists() or path.is_symlink():
        raise Refused("Die Datei gibt es schon; sie wird nicht überschrieben.",
                      f"{path} already exists; it is not replaced, nothing was written")
    return path


def write_output(path: Path, data: bytes, record: Callable[[], None]) -> None:
    """Create the file, then audit it; a file whose output cannot be audited is removed."""
    try:
        write_new(path, data)
    except FileExistsError:  # made by someone else since the first check
        raise Refused("Die Datei gibt es schon; sie wird nicht überschrieben.",
                      f"{path} already exists; it is not replaced, nothing was written"
                      ) from None
    try:
        record()
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def cmd_conference_ics(args: argparse.Namespace) -> int:
    from app.calendar_ics import conference_ics
    from app.services.conferences.read import calendar_event
    from app.services.conferences.write import record_minutes_output

    path = check_target(args.out)
    with open_from_args(args) as vault:
        data = conference_ics(calendar_event(vault, args.id))
        write_output(path, data,
                     lambda: record_minutes_output(vault, args.id, "ics", FULL))
    print(f"invitation written: {path}")
    return EXIT_OK


def cmd_minutes(args: argparse.Namespace) -> int:
    # Imported here: reportlab and pikepdf are not loaded for every other command.
    from app.printing import render_minutes
    from app.services.conferences.read import minutes_document
    from app.services.conferences.write import record_minutes_output

    path = check_target(args.out)
    version = PSEUDONYMISED if args.pseudonymised else FULL
    with open_from_args(args) as vault:
        # Refused for a conference not held yet (ValidationFailed), before anything is made.
        data = render_minutes(minutes_document(vault, args.id, version))
        write_output(path, data,
                     lambda: record_minutes_output(vault, args.id, "pdf", version))
    print(f"minutes written ({version}): {path}")
    return EXIT_OK
