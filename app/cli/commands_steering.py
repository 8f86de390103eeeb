"""The steering committee's view (``lotse reports``) and the exports of the steering report
and of the coordination office's catalogue (``lotse export --kind steering|catalogue``)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli.commands_sync import register_export_kind, register_period_export_kind
from app.cli.context import open_from_args, print_json
from app.errors import EXIT_OK
from app.vault.store import Vault


def _export_steering(vault: Vault, period_from: date, period_to: date) -> str:
    from app.services.steering.write import export_report

    return export_report(vault, period_from, period_to)


def _export_catalogue(vault: Vault) -> str:
    from app.services.steering.write import export_catalogue

    return export_catalogue(vault)


register_period_export_kind("steering", _export_steering)
register_export_kind("catalogue", _export_catalogue)


def register(sub: Any) -> None:
    p = sub.add_parser("reports", help="steering vault: the steering reports received")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_reports)


def cmd_reports(args: argparse.Namespace) -> int:
    from app.services.steering.read import dimension_label, reports

    with open_from_args(args) as vault:
        rows = reports(vault)
    if args.json:
        print_json([{"bundle_uuid": r.bundle_uuid, "sender": r.sender,
                     "period_from": r.period_from.isoformat(),
                     "period_to": r.period_to.isoformat(),
                     "created_at": r.created_at.isoformat(), "cases": r.cases,
                     "audit_head": {"seq": r.audit_head_seq, "hash": r.audit_head_hash},
                     "cells": [{"dimension": c.dimension, "value": c.value, "label": c.label_de,
                                "count": c.count} for c in r.cells]} for r in rows])
        return EXIT_OK
    if not rows:
        print("no steering reports received")
    for r in rows:
        print(f"{r.period_from.isoformat()} to {r.period_to.isoformat()}  {r.sender}  "
              f"cases {_n(r.cases)}  (bundle {r.bundle_uuid}, audit head {r.audit_head_seq})")
        dimension = None
        for c in r.cells:
            if c.dimension != dimension:
                dimension = c.dimension
                print(f"  {dimension_label(dimension)}:")
            print(f"    {c.label_de}: {_n(c.count)}")
    return EXIT_OK


def _n(count: int | None) -> str:
    return "x" if count is None else str(count)  # x: suppressed, as statistics offices print it
