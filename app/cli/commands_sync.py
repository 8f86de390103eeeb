"""Bundles on the shared drive: the share folder, key cards and trust, sync runs, importing a
bundle file, the team directory export and conflicts.

Trust is given by a person typing a colleague's whole fingerprint (read out over the phone or
compared on screen); nothing from a vault that is not trusted is applied.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.context import open_from_args, print_json
from app.errors import EXIT_OK, EXIT_REFUSED, NotFound, Refused, UsageError, ValidationFailed
from app.services.devices.records import DeviceRow
from app.services.sync.records import BundleOutcome, SyncReport
from app.vault.store import Vault

# ``lotse export --kind K``: each kind's function seals its bundle(s) into the outbox and
# returns a bundle uuid (None: nothing to send). Other kinds (steering, catalogue) add
# themselves with ``register_export_kind`` before the parser is built.
ExportFn = Callable[[Vault], "str | None"]
EXPORT_KINDS: dict[str, ExportFn] = {}


# Kinds that cover a period (``--from``/``--to``), e.g. the steering report.
PeriodExportFn = Callable[[Vault, date, date], "str | None"]
PERIOD_EXPORT_KINDS: dict[str, PeriodExportFn] = {}


def register_export_kind(kind: str, export: ExportFn) -> None:
    EXPORT_KINDS[kind] = export


def register_period_export_kind(kind: str, export: PeriodExportFn) -> None:
    PERIOD_EXPORT_KINDS[kind] = export


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from e


def _export_directory(vault: Vault) -> str | None:
    from app.services.sync.write import export_directory

    return export_directory(vault)


register_export_kind("directory", _export_directory)


def register(sub: Any) -> None:
    p = sub.add_parser("share", help="the shared drive folder bundles are exchanged through")
    share = p.add_subparsers(dest="share_command", required=True, metavar="ACTION")
    sset = share.add_parser("set", help="use DIR as the share folder (checked by writing)")
    sset.add_argument("folder", type=Path, metavar="DIR")
    sset.set_defaults(handler=cmd_share_set)

    p = sub.add_parser("devices", help="key cards of this and other vaults, and their trust")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_devices)
    dev = p.add_subparsers(dest="devices_command", metavar="ACTION")
    for name, text in (("trust", "trust a card after comparing its whole fingerprint"),
                       ("distrust", "apply nothing more from this vault"),
                       ("countersign", "coordination office: vouch for a card confirmed here")):
        a = dev.add_parser(name, help=text)
        a.add_argument("fingerprint", metavar="FINGERPRINT")
        a.add_argument("--json", action="store_true", help="machine-readable output")
        a.set_defaults(handler=cmd_device_action, action=name)

    p = sub.add_parser("sync", help="send the outbox, import bundles from the share")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("import", help="import one bundle file (e.g. from a USB stick)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="seal a bundle into the outbox (sent at the next sync)")
    p.add_argument("--kind", required=True,
                   choices=sorted({*EXPORT_KINDS, *PERIOD_EXPORT_KINDS}), help="what to export")
    p.add_argument("--from", dest="period_from", type=iso_date, metavar="DATE",
                   help=f"first day of the period ({', '.join(sorted(PERIOD_EXPORT_KINDS))}; "
                   "default: 1 January of this year)")
    p.add_argument("--to", dest="period_to", type=iso_date, metavar="DATE",
                   help="last day of the period (default: today)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("conflicts", help="fields changed here and elsewhere at once")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true", help="include resolved conflicts")
    p.set_defaults(handler=cmd_conflicts)
    con = p.add_subparsers(dest="conflicts_command", metavar="ACTION")
    res = con.add_parser("resolve", help="decide a conflict: keep mine, take theirs or a value")
    res.add_argument("id", type=int, metavar="ID")
    res.add_argument("--take", required=True, metavar="mine|theirs|VALUE",
                     help="'mine', 'theirs' or the value to write")
    res.set_defaults(handler=cmd_resolve)


def cmd_share_set(args: argparse.Namespace) -> int:
    from app.services.sync.write import set_share_folder

    with open_from_args(args) as vault:
        try:
            set_share_folder(vault, args.folder)
        except ValidationFailed as exc:  # like an output folder that does not exist: refused
            raise Refused(exc.message_de, exc.detail_en) from exc
    print(f"share folder set: {args.folder}")
    return EXIT_OK


def device_json(row: DeviceRow) -> dict[str, Any]:
    return {"fingerprint": row.fingerprint, "fingerprint_display": row.fingerprint_display,
            "vault_name": row.vault_name, "holder_name": row.holder_name,
            "municipality": row.municipality, "role": row.role, "trust": row.trust,
            "trusted_how": row.trusted_how,
            "trusted_at": row.trusted_at.isoformat() if row.trusted_at else None,
            "own": row.own}


def _device_line(row: DeviceRow) -> str:
    who = f"{row.holder_name} ({row.municipality})" if row.municipality else row.holder_name
    trust = "own" if row.own else row.trust + (f" ({row.trusted_how})" if row.trusted_how
                                               else "")
    return f"{row.fingerprint_display}  {trust:<22} {row.role:<12} {row.vault_name}: {who}"


def cmd_devices(args: argparse.Namespace) -> int:
    from app.services.devices.read import devices

    with open_from_args(args) as vault:
        rows = devices(vault)
    if args.json:
        print_json([device_json(r) for r in rows])
    else:
        for row in rows:
            print(_device_line(row))
    return EXIT_OK


def cmd_device_action(args: argparse.Namespace) -> int:
    from app.services.devices import write

    action = {"trust": write.trust, "distrust": write.distrust,
              "countersign": write.countersign}[args.action]
    with open_from_args(args) as vault:
        try:
            row = action(vault, args.fingerprint)
        except (ValidationFailed, NotFound) as exc:  # a fingerprint that matches no card
            raise Refused(exc.message_de, exc.detail_en) from exc
    if args.json:
        print_json(device_json(row))
    else:
        print(f"{args.action}: {_device_line(row)}")
    return EXIT_OK


def outcome_json(o: BundleOutcome) -> dict[str, Any]:
    return {"file": o.file_name, "kind": o.kind, "sender": o.sender,
            "sender_fingerprint": o.sender_fingerprint, "reason": o.reason,
            "message": o.message_de, "rows": o.rows, "conflicts": o.conflicts}


LISTS = ("sent", "applied", "skipped", "waiting", "rejected")


def refused_json(o: BundleOutcome) -> dict[str, Any]:
    """One of this vault's bundles a recipient refused (``sender`` there: that recipient)."""
    return {"kind": o.kind, "recipient": o.sender, "recipient_fingerprint": o.sender_fingerprint,
            "reason": o.reason, "message": o.message_de}


def report_json(report: SyncReport) -> dict[str, Any]:
    data: dict[str, Any] = {name: [outcome_json(o) for o in getattr(report, name)]
                            for name in LISTS}
    data["refused"] = [refused_json(o) for o in report.refused]
    data["share_reachable"] = report.share_reachable
    data["cancelled"] = report.cancelled
    return data


def _print_report(report: SyncReport) -> None:
    for name in LISTS:
        for o in getattr(report, name):
            reason = f" [{o.reason}]" if o.reason else ""
            kind = o.kind or "?"
            print(f"{name}: {o.file_name} {kind}{reason} {o.message_de}")
    for o in report.refused:  # own bundles: no file name here, the recipient's fingerprint
        print(f"refused: {o.kind} by {(o.sender_fingerprint or '?')[:16]} [{o.reason}] "
              f"{o.message_de}")
    counts = ", ".join(f"{len(getattr(report, n))} {n}" for n in (*LISTS, "refused"))
    print(f"summary: {counts}")


def cmd_sync(args: argparse.Namespace) -> int:
    from app.services.sync.write import run_sync, share_folder

    with open_from_args(args) as vault:
        if share_folder(vault) is None:
            raise Refused("Es ist kein Austauschordner eingerichtet.",
                          "no share folder set: `lotse share set DIR` first")
        report = run_sync(vault)
    if args.json:
        print_json(report_json(report))
    else:
        _print_report(report)
    if not report.share_reachable:
        print("error: the share folder cannot be reached; bundles stay in the outbox",
              file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.sync.write import import_file

    if not args.file.is_file():
        raise Refused("Diese Datei gibt es nicht.", f"no such file: {args.file}")
    with open_from_args(args) as vault:
        report = import_file(vault, args.file)
    if args.json:
        print_json(report_json(report))
    else:
        _print_report(report)
    if report.rejected:
        print(f"error: bundle rejected: {report.rejected[0].reason}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    period = args.kind in PERIOD_EXPORT_KINDS
    if not period and (args.period_from or args.period_to):
        raise UsageError("Ein Zeitraum passt nicht zu dieser Art von Bündel.",
                         f"--from/--to only with --kind {'|'.join(sorted(PERIOD_EXPORT_KINDS))}")
    with open_from_args(args) as vault:
        if period:
            today = vault.clock.today()
            bundle = PERIOD_EXPORT_KINDS[args.kind](
                vault, args.period_from or date(today.year, 1, 1), args.period_to or today)
        else:
            bundle = EXPORT_KINDS[args.kind](vault)
    if bundle is None:
        print(f"{args.kind}: nothing changed since the last bundle")
    else:
        print(f"{args.kind}: bundle {bundle} is in the outbox (sent at the next sync)")
    return EXIT_OK


def _conflict_json(row: Any) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    return data


def cmd_conflicts(args: argparse.Namespace) -> int:
    from app.services.conflicts.read import conflicts

    with open_from_args(args) as vault:
        rows = conflicts(vault, include_resolved=args.all)
    if args.json:
        print_json([_conflict_json(r) for r in rows])
    else:
        for r in rows:
            where = f" {r.case_number}" if r.case_number else ""
            print(f"#{r.id}{where} {r.table}.{r.field}: mine={r.mine_text!r} "
                  f"({r.mine_by}) theirs={r.theirs_text!r} ({r.theirs_by})"
                  + (f" resolved: {r.resolution}" if r.resolved_at else ""))
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    from app.services.conflicts.write import MINE, THEIRS, resolve

    take = args.take.strip()
    with open_from_args(args) as vault:
        if take in (MINE, THEIRS):
            row = resolve(vault, args.id, take)
        else:
            row = resolve(vault, args.id, "value", args.take)
    print(f"conflict {row.id} resolved: {row.resolution}")
    return EXIT_OK
