"""Issuer keys: export this vault's key card, import (trust) another vault's card.

Trust is given by a person: ``keys import`` shows the card's fingerprint and asks for it to be
typed back (compared by phone with the issuing office), unless ``--fingerprint`` names it. A
mismatch refuses and trusts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.commands_minutes import check_target, write_output
from app.cli.context import open_from_args
from app.errors import EXIT_OK, Refused, UsageError
from app.fsutil import read_limited

MAX_CARD_BYTES = 256 * 1024  # a card with a long revocation list is a few kilobytes
MAX_ANSWER_CHARS = 200


def register(sub: Any) -> None:
    p = sub.add_parser("keys", help="export this vault's key card, trust another's")
    keys = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    export = keys.add_parser("export", help="write this vault's key card (with its "
                             "revocation list) for other offices")
    export.add_argument("--out", type=Path, required=True, metavar="CARD",
                        help="the file to create (an existing file is never replaced)")
    export.set_defaults(handler=cmd_export)
    imp = keys.add_parser("import", help="trust another vault's key card after confirming "
                          "its fingerprint")
    imp.add_argument("card", type=Path, metavar="CARD")
    imp.add_argument("--fingerprint", metavar="FP",
                     help="the fingerprint as confirmed with the issuer (full or the "
                     "displayed groups); without it, it is asked for")
    imp.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.keys.write import export_card

    path = check_target(args.out)
    with open_from_args(args) as vault:
        data = export_card(vault)  # audited by the service
        write_output(path, data, lambda: None)
    print(f"key card written: {path}")
    return EXIT_OK


def _read_card(path: Path) -> bytes:
    data = read_limited(path, MAX_CARD_BYTES)
    if data is None:
        raise Refused("Die Schlüsselkarte ist zu groß oder keine Datei.",
                      f"{path} is larger than {MAX_CARD_BYTES} bytes or not a regular file")
    return data


def _ask_fingerprint(shown: str) -> str:
    """The fingerprint as the person types it back; standard input when it is not a terminal."""
    prompt = "Type the fingerprint to trust this key (as read out by the issuer): "
    stream = sys.stdin
    if stream is None:
        raise UsageError("Kein Fingerabdruck eingegeben.", "no fingerprint given")
    if stream.isatty():
        print(prompt, end="", file=sys.stderr, flush=True)
    answer = stream.readline(MAX_ANSWER_CHARS + 1)
    if not answer.strip():
        raise Refused("Kein Fingerabdruck eingegeben; dem Schlüssel wird nicht vertraut.",
                      f"no fingerprint confirmed (shown: {shown}); the key is not trusted")
    return answer.strip()


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.keys.read import preview_card
    from app.services.keys.write import import_card

    data = _read_card(args.card)
    with open_from_args(args) as vault:
        preview = preview_card(vault, data)
        print(f"issuer:      {preview.issuer_office} ({preview.holder_name})")
        print(f"valid:       {preview.valid_from:%d.%m.%Y} – {preview.valid_until:%d.%m.%Y}")
        print(f"fingerprint: {preview.fingerprint_display}")
        for warning in preview.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        confirmed = args.fingerprint
        if confirmed is None:
            confirmed = _ask_fingerprint(preview.fingerprint_display)
        row = import_card(vault, data, confirmed)
    print(f"key trusted: {row.fingerprint_display}")
    return EXIT_OK
