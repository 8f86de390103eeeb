"""Vault-level commands: init, passwd, rekey, check, audit, backup, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.backup import backup, restore
from app.catalogues import municipalities
from app.check import run_check
from app.cli.args import bounded_int
from app.cli.context import open_from_args, print_json, vault_dir
from app.cli.prompt import given_elsewhere, new_passphrase, passphrase
from app.errors import EXIT_INTEGRITY, EXIT_OK, UsageError
from app.passphrase_generator import ENTROPY_BITS, WORDS, generate_passphrase
from app.paths import roaming_warning
from app.services.audit.read import check_chain, recent_entries
from app.services.audit.write import restart_anchor
from app.sync.roles import CASEWORK, ROLES
from app.vault.create import create_vault
from app.vault.key_change import KeyChange
from app.vault.passwd import change_passphrase
from app.vault.rekey import rekey

MAX_AUDIT_LIMIT = 100_000  # entries are held in memory at once
GENERATE_HELP = (f"use {WORDS} random words (~{ENTROPY_BITS:.0f} bits) as the new passphrase; "
                 "printed once, write it down")


def _generated(env: str, context: list[str]) -> str:
    """A generated passphrase, printed before it is used: if the process dies right after the
    key file is written, the person still has it."""
    if given_elsewhere(env):
        raise UsageError("Entweder eine Passphrase vorgeben oder eine erzeugen lassen.",
                         f"--generate-passphrase and a given passphrase ({env} or a file) "
                         "exclude each other")
    secret = generate_passphrase(context)
    print(f"generated passphrase (shown only now, write it down): {secret}", flush=True)
    return secret


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create a new vault")
    p.add_argument("--owner-name", "--name", dest="name", required=True, metavar="NAME",
                   help="the case manager's name (owner of the vault and of its new cases)")
    p.add_argument("--municipality", default="DO", help="municipality code (e.g. DO, K, BI)")
    p.add_argument("--vault-code", help="short vault code used in case numbers (default: random)")
    p.add_argument("--generate-passphrase", action="store_true", help=GENERATE_HELP)
    p.add_argument("--role", choices=ROLES, default=CASEWORK,
                   help="casework (default): cases; steering: the steering committee's vault, "
                   "takes in steering reports only; coordination: the coordination office, "
                   "sends catalogue updates")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "passwd", help="change the vault passphrase (re-wraps the same data key)",
        description="Change the passphrase: the data key is re-wrapped, the store is not "
        "re-encrypted. Protects against someone who learns the old passphrase later and only "
        "then copies the key file. Does NOT protect against key files copied before (every "
        "backup holds one): with the old passphrase they still open the store. For that, "
        "run `lotse rekey` afterwards.")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                   help="read the new passphrase from the first line of FILE")
    p.add_argument("--generate-passphrase", action="store_true", help=GENERATE_HELP)
    p.set_defaults(handler=cmd_passwd)

    p = sub.add_parser(
        "rekey", help="re-encrypt the store under a new data key (old key files stop working)",
        description="Renew the data key: the store is re-encrypted into a new file under a "
        "new random key, swapped in atomically, and a new key file is written (same "
        "passphrase). Protects against a key file copied earlier (e.g. from a backup) together "
        "with a passphrase known then: neither opens the current store any more. Does NOT make "
        "copies taken before unreadable: old backups still open with their own key file and "
        "passphrase. If someone may know your passphrase: `lotse passwd`, then `lotse rekey`.")
    p.set_defaults(handler=cmd_rekey)

    p = sub.add_parser("check", help="verify cipher settings, integrity and the audit chain")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("audit", help="show or verify the audit log")
    p.add_argument("--verify", action="store_true", help="verify the hash chain")
    p.add_argument("--reanchor", action="store_true",
                   help="after an anchor alarm: keep the old anchor file and begin a new one "
                   "from the store's chain (asks for confirmation)")
    p.add_argument("--yes", action="store_true", help="with --reanchor: do not ask")
    p.add_argument("--limit", type=bounded_int(1, MAX_AUDIT_LIMIT), default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)

    p = sub.add_parser("backup", help="write an encrypted backup into a folder")
    p.add_argument("--to", type=Path, required=True)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore", help="restore a backup into a new vault folder",
        description="Restore a backup into a new or empty folder, with the passphrase valid "
        "when the backup was made. The manifest's MAC, every file's hash, every page of the "
        "store and the audit chain are verified before the folder is put in place.")
    p.add_argument("backup", type=Path)
    p.add_argument("--vault", dest="new_vault", type=Path, required=True)
    p.add_argument("--accept-unauthenticated", action="store_true",
                   help="also restore a backup of format 1 (written before backups were "
                   "authenticated), after the same full verification")
    p.set_defaults(handler=cmd_restore)


def cmd_init(args: argparse.Namespace) -> int:
    folder = vault_dir(args)
    codes = {m.code for m in municipalities()}
    if args.municipality not in codes:
        raise UsageError("Unbekannte Kommune.", f"unknown municipality code {args.municipality!r}; "
                         f"known: {', '.join(sorted(codes))}")
    warning = roaming_warning(folder)
    if warning:
        raise UsageError(warning, f"refusing a vault on a synced or network folder: {folder}")
    context = [args.name, args.municipality, args.vault_code or ""]
    secret = (_generated("LOTSE_PASSPHRASE", context) if args.generate_passphrase
              else new_passphrase("LOTSE_PASSPHRASE"))
    vault = create_vault(folder, secret, owner_name=args.name, municipality=args.municipality,
                         vault_code=args.vault_code, role=args.role)
    vault.lock()
    print(f"vault created in {folder} (vault code {vault.info.vault_code}, role {args.role})")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    folder = vault_dir(args)
    old = passphrase("Current passphrase: ")
    new = (_generated("LOTSE_NEW_PASSPHRASE", [old]) if args.generate_passphrase
           else new_passphrase("LOTSE_NEW_PASSPHRASE"))
    change = change_passphrase(folder, old, new)
    print("passphrase changed (key files copied before still open with the old passphrase; "
          "`lotse rekey` renews the data key)")
    _say_when_audited(change)
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    folder = vault_dir(args)
    change = rekey(folder, passphrase())
    if change.vault is not None:
        change.vault.lock()
    print("data key renewed: earlier key files (e.g. in backups) no longer open this store; "
          "earlier backups still restore with their own passphrase")
    _say_when_audited(change)
    return EXIT_OK


def _say_when_audited(change: KeyChange) -> None:
    """The change is done (exit 0) even when its audit entry has to wait for the next unlock."""
    if not change.audited:
        print(f"note: {change.note_en()}")


def cmd_check(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        report = run_check(vault)
    for key, value in report.facts.items():
        print(f"{key}: {value}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print("check: ok" if report.ok else f"check: FAILED ({len(report.problems)} problems)")
    return EXIT_OK if report.ok else EXIT_INTEGRITY


def cmd_audit(args: argparse.Namespace) -> int:
    if args.reanchor:
        return cmd_reanchor(args)
    if args.yes:
        raise UsageError("--yes gilt nur mit --reanchor.", "--yes only goes with --reanchor")
    if args.verify:
        with open_from_args(args) as vault:
            check = check_chain(vault)
        chain = check.chain
        if not chain.ok:
            print(f"audit chain BROKEN at entry {chain.first_bad_seq}: {chain.problem}")
            return EXIT_INTEGRITY
        print(f"audit chain ok: {chain.entries} entries, {chain.anchored} anchored "
              f"(last anchored entry {chain.anchor_last_seq})")
        if check.failure_record_alarm is not None:
            print(f"FAILURE RECORD ALARM: {check.failure_record_alarm}")
            return EXIT_INTEGRITY
        return EXIT_OK
    with open_from_args(args) as vault:
        entries = recent_entries(vault, args.limit)
    if args.json:
        print_json([{"seq": e.seq, "at": e.at.isoformat(), "kind": e.kind, "actor": e.actor,
                     "object_type": e.object_type, "object_uuid": e.object_uuid,
                     "detail": e.detail} for e in entries])
    else:
        for e in entries:
            print(f"{e.seq:>7}  {e.at.isoformat()}  {e.kind:<24} {e.object_type or ''} "
                  f"{e.object_uuid or ''}")
    return EXIT_OK


def cmd_reanchor(args: argparse.Namespace) -> int:
    if args.verify:
        raise UsageError("--verify und --reanchor gehen nicht zusammen.",
                         "--verify and --reanchor exclude each other")
    if not args.yes and not sys.stdin.isatty():
        raise UsageError("Bitte mit --yes bestätigen.",
                         "--reanchor needs --yes when not run on a terminal")
    with open_from_args(args) as vault:
        if not args.yes:
            answer = input("Begin a new audit anchor from the store's current chain? Entries "
                           "lost before cannot be detected afterwards; the old anchor file is "
                           "kept. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                print("nothing changed")
                return EXIT_OK
        result = restart_anchor(vault)
    old = f"{result.old_head[0]} ({result.old_head[1][:16]}…)" if result.old_head else "none"
    new = f"{result.new_head[0]} ({result.new_head[1][:16]}…)" if result.new_head else "none"
    kept = result.kept.name if result.kept else "no old anchor file"
    print(f"new audit anchor begun: old head {old}, begun from store head {new}; kept: {kept}; "
          f"{result.status.anchor_records} entries anchored")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        result = backup(vault, args.to)
    print(f"backup written: {result.path} ({result.size} bytes)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    vault = restore(args.backup, args.new_vault, passphrase(),
                    accept_unauthenticated=args.accept_unauthenticated)
    vault.lock()
    print(f"restored into {args.new_vault}")
    return EXIT_OK
