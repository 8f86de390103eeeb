"""``lotse SUBCOMMAND`` / ``python -m app``: parse, dispatch, map domain errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.cli import commands_case, commands_vault
from app.errors import EXIT_INTEGRITY, EXIT_USAGE, LotseError
from app.private_temp import empty_private_temp


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse", description="Lotse case management (CLI)")
    parser.add_argument("--vault", type=Path, help="vault folder (default: LOTSE_VAULT or the "
                        "local app-data folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands_vault.register(sub)
    commands_case.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _empty_private_temp()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; our contract says 1
        return EXIT_USAGE if exc.code else 0
    try:
        code: int = args.handler(args)
        return code
    except LotseError as exc:
        print(f"error: {exc.detail_en}", file=sys.stderr)
        return exc.exit_code
    except DBAPIError as exc:
        # The store opened but a page could not be read: damage, not a usage error.
        print(f"error: store unreadable ({type(exc.orig).__name__}); run `lotse check`",
              file=sys.stderr)
        return EXIT_INTEGRITY
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _empty_private_temp() -> None:
    """Plaintext copies for other programs never outlive a session: every start empties them."""
    result = empty_private_temp()
    if result.untouched:
        print("warning: the private temp folder is unsafe (a link, another owner) or "
              "unreachable; it was left untouched", file=sys.stderr)
    elif result.left:
        print(f"warning: {result.left} leftover entries in the private temp folder could not "
              "be removed (still open in another program?)", file=sys.stderr)
