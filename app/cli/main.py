"""``lotse SUBCOMMAND`` / ``python -m app``: parse, dispatch, map domain errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.cli import (
    commands_case,
    commands_certificate,
    commands_conference,
    commands_handover,
    commands_keys,
    commands_steering,
    commands_sync,
    commands_vault,
    prompt,
)
from app.cli.args import bounded_int
from app.errors import EXIT_INTEGRITY, EXIT_USAGE, LotseError
from app.faults import domain_error
from app.private_temp import empty_private_temp
from app.process_guard import harden_process
from db.engine import configure_waiting

EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader went away
DEFAULT_WAIT_SECONDS = 30

EPILOG = f"""\
passphrase, first match wins:
  --passphrase-file FILE     its first line (refused if group or others may read it)
  {prompt.ENV_COMMAND}   a command (no shell) printing it on its first line
  {prompt.ENV_PASSPHRASE}           the passphrase itself
  standard input             its first line, when it is not a terminal
  otherwise                  asked without echo
  passwd takes the new one from --new-passphrase-file, {prompt.ENV_NEW_PASSPHRASE},
  the next line of standard input, or asks twice. The variables are removed from the
  environment at start, so programs Lotse starts do not inherit them.

self-test (no vault or passphrase needed):
  --self-test [--share DIR]  check the installed program: a throw-away vault and its
                             search, fonts, Qt translations, PDF/A and QtPdf, a QR code,
                             DIR writable; one line each, exit 0 only when all hold

exit codes:
  0 ok   1 usage   2 refused (files untouched)   3 integrity damage found
  4 storage: disk full, read-only or I/O error (nothing left half-written)
  5 busy: another Lotse process held the vault longer than --wait
  {EXIT_PIPE} the reader of the output went away (`lotse audit --json | head -1`)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse", description="Lotse case management (CLI)",
                                     epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vault", type=Path, help="vault folder (default: LOTSE_VAULT or the "
                        "local app-data folder)")
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help="read the passphrase from the first line of FILE")
    parser.add_argument("--wait", type=bounded_int(0, 3600), default=DEFAULT_WAIT_SECONDS,
                        metavar="SECONDS", help="how long to wait while another Lotse process "
                        f"writes to the vault (default {DEFAULT_WAIT_SECONDS}), then exit 5")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands_vault.register(sub)
    commands_case.register(sub)
    commands_conference.register(sub)
    commands_certificate.register(sub)
    commands_keys.register(sub)
    commands_sync.register(sub)
    commands_handover.register(sub)
    commands_steering.register(sub)
    return parser


def _waiting_notice() -> None:
    print("waiting for another Lotse process to finish with the vault …", file=sys.stderr,
          flush=True)


def _pipe_closed() -> int:
    """The reader stopped reading (``| head``): end quietly, like a shell tool on SIGPIPE.

    Whatever is still buffered goes to the null device, so the interpreter's last flush does
    not fail again and print a traceback after all.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no real file (embedded, tests): nothing to flush
        pass
    return EXIT_PIPE


def _failed(error: LotseError) -> int:
    print(f"error: {error.detail_en}", file=sys.stderr)
    return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()  # before any passphrase is read: no core dumps of this process
    prompt.take_from_environment()
    try:
        return _run(argv)
    except BrokenPipeError:
        return _pipe_closed()
    finally:
        prompt.forget()


def _run(argv: Sequence[str] | None) -> int:
    _empty_private_temp()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; our contract says 1
        return EXIT_USAGE if exc.code else 0
    prompt.configure(args.passphrase_file, getattr(args, "new_passphrase_file", None))
    configure_waiting(args.wait, _waiting_notice if sys.stderr.isatty() else None)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        raise
    except LotseError as exc:
        return _failed(exc)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # A full or read-only disk, an I/O error, a vault busy elsewhere: exit 4 or 5.
        error = domain_error(exc)
        if error is not None:
            return _failed(error)
        if isinstance(exc, DBAPIError):
            # The store opened but a page could not be read: damage, not a usage error.
            print(f"error: store unreadable ({type(exc.orig).__name__}); run `lotse check`",
                  file=sys.stderr)
            return EXIT_INTEGRITY
        raise


def _empty_private_temp() -> None:
    """Plaintext copies for other programs never outlive a session: every start empties them."""
    result = empty_private_temp()
    if result.untouched:
        print("warning: the private temp folder is unsafe (a link, another owner) or "
              "unreachable; it was left untouched", file=sys.stderr)
    elif result.left:
        print(f"warning: {result.left} leftover entries in the private temp folder could not "
              "be removed (still open in another program?)", file=sys.stderr)
