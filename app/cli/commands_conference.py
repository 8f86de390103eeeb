"""Case conferences: conferences, conference show (the files are in ``commands_minutes``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import datetime
from typing import Any

from app.cli import commands_minutes
from app.cli.args import conference_id
from app.cli.context import open_from_args, print_json
from app.errors import EXIT_OK
from app.services.conferences.read import conference_detail, list_conferences
from app.services.conferences.records import (
    STATUS_LABELS,
    ConferenceDetail,
    ConferenceFilter,
    ConferenceRow,
)


def register(sub: Any) -> None:
    p = sub.add_parser("conferences", help="list case conferences")
    p.add_argument("--status", choices=list(STATUS_LABELS))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_conferences)

    p = sub.add_parser("conference", help="one case conference")
    conf_sub = p.add_subparsers(dest="conference_command", required=True, metavar="ACTION")
    show = conf_sub.add_parser("show", help="show a conference by its id")
    show.add_argument("id", type=conference_id, help="the conference's id (uuid)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_conference_show)
    commands_minutes.register(sub, conf_sub)


# --- listing and showing -------------------------------------------------------------------

def _local(at: datetime) -> str:
    return f"{at.astimezone():%d.%m.%Y %H:%M}"


def _row_json(r: ConferenceRow) -> dict[str, Any]:
    return {"id": r.uuid, "title": r.title, "scheduled_at": r.scheduled_at.isoformat(),
            "place": r.place, "status": r.status, "status_label": r.status_label,
            "chair": r.chair, "case_count": r.case_count,
            "participant_count": r.participant_count, "blocked_cases": r.blocked_cases}


def cmd_conferences(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        rows = list_conferences(vault, ConferenceFilter(status=args.status))
    if args.json:
        print_json([_row_json(r) for r in rows])
        return EXIT_OK
    for r in rows:
        print(f"{r.uuid}  {_local(r.scheduled_at)}  {r.status_label:<21} "
              f"{r.case_count:>2} case{"" if r.case_count == 1 else "s"}  {r.title}")
    return EXIT_OK


def cmd_conference_show(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        detail = conference_detail(vault, args.id)
    if args.json:
        print_json({"id": detail.uuid, **asdict(detail)})
        return EXIT_OK
    _print_detail(detail)
    return EXIT_OK


def _print_detail(d: ConferenceDetail) -> None:
    print(f"{d.title}")
    print(f"id: {d.uuid}   when: {_local(d.scheduled_at)}   place: {d.place or '-'}")
    print(f"status: {d.status_label}   chair: {d.chair or '-'}   "
          f"minute-taker: {d.minute_taker_text or '-'}")
    if d.approved_on is not None:
        print(f"approved: {d.approved_on:%d.%m.%Y} by {d.approved_by_text or '-'}")
    print("participants:")
    for p in d.participants:
        what = "client" if p.is_client else (
            f"interpreter ({p.language})" if p.is_interpreter else p.institution_name or "-")
        print(f"  {p.name} – {what}, {p.role or '-'}, attendance: {p.attendance or '-'}")
    print("agenda:")
    for item in d.agenda:
        print(f"  {item.case_number}  {item.client}: {item.occasion or '-'}")
        print(f"    categories: {', '.join(item.data_categories) or '-'}")
        for dec in item.decisions:
            due = f"{dec.by_when:%d.%m.%Y}" if dec.by_when else "-"
            print(f"    decision: {dec.what} – {dec.who}, by {due}"
                  f"{' (done)' if dec.task_done else ''}")
    for a in d.amendments:
        print(f"amendment {a.number} ({a.made_at.astimezone():%d.%m.%Y}, {a.author or '-'}): "
              f"{a.reason}")
