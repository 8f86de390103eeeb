"""Case-level commands: demo, cases, case show, search."""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import asdict
from typing import Any

from app import audit
from app.catalogues import phases
from app.cli.args import bounded_int, case_ref
from app.cli.context import JsonArray, open_from_args, print_json
from app.errors import EXIT_OK
from app.services.audit.write import audit_bulk_read, case_filter_names
from app.services.cases.read import case_pages, count_cases, get_case
from app.services.cases.records import CaseFilter, CaseRow
from app.services.search.read import search_journal, search_names
from app.vault.store import Vault

MAX_DEMO_CASES = 1_000_000
MAX_LIST_LIMIT = 100_000  # the largest caseload Lotse is built for
LIST_PAGE = 500  # cases read per keyset page while listing: what the listing holds at a time
MAX_SEARCH_LIMIT = 1_000


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="add fictional demo cases to the vault")
    p.add_argument("--cases", type=bounded_int(1, MAX_DEMO_CASES), default=500)
    p.add_argument("--seed", type=bounded_int(0, 2**64 - 1), default=None)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("cases", help="list cases")
    p.add_argument("--phase", choices=[ph.code for ph in phases()])
    p.add_argument("--municipality")
    p.add_argument("--limit", type=bounded_int(1, MAX_LIST_LIMIT), default=None,
                   help="list at most N cases (default: all) and say how many were left out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_cases)

    p = sub.add_parser("case", help="one case file")
    case_sub = p.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    show = case_sub.add_parser("show", help="show a case by id or case number")
    show.add_argument("ref", type=case_ref, help="case id, case number or uuid")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_case_show)

    p = sub.add_parser("search", help="search names, case numbers and journal text")
    p.add_argument("text")
    p.add_argument("--limit", type=bounded_int(1, MAX_SEARCH_LIMIT), default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.generator import generate_demo

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total} cases", end="", file=sys.stderr)

    with open_from_args(args) as vault:
        stats = generate_demo(vault, args.cases, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"demo data written: {stats.cases} cases, {stats.journal_entries} journal entries")
    return EXIT_OK


class _CaseOutput:
    """Cases printed as they are read, as text lines or one JSON array; counts each row handed
    to the output, so a listing cut short is audited with what went out."""

    def __init__(self, as_json: bool) -> None:
        self.json = JsonArray() if as_json else None
        self.lines = 0

    @property
    def count(self) -> int:
        return self.json.count if self.json is not None else self.lines

    def write(self, rows: list[CaseRow]) -> None:
        if self.json is not None:
            self.json.write(asdict(r) for r in rows)
            return
        for r in rows:
            name = (f"{r.family_name}, {r.given_names}" if r.family_name or r.given_names
                    else "(handed over)")
            print(f"{r.id:>7}  {r.case_number:<20} {name:<30} "
                  f"{r.phase:<11} {r.municipality}")
            self.lines += 1

    def close(self) -> None:
        if self.json is not None:
            self.json.close()


def cmd_cases(args: argparse.Namespace) -> int:
    flt = CaseFilter(phase=args.phase, municipality=args.municipality)
    limit: int | None = args.limit
    out = _CaseOutput(args.json)
    with open_from_args(args) as vault:
        try:
            for page in case_pages(vault, flt, page_size=min(LIST_PAGE, limit or LIST_PAGE)):
                out.write(page if limit is None else page[:limit - out.count])
                if limit is not None and out.count >= limit:
                    break
            out.close()
        except BaseException:  # the reader stopped (`| head`), Ctrl+C, a failing page:
            if out.count:  # what went out was read all the same
                with contextlib.suppress(Exception):  # the first error is the one to report
                    _audit_cases(vault, args, flt, {"cases": out.count})
            raise
        left_out = 0
        if limit is not None and out.count >= limit:
            left_out = max(0, count_cases(vault, flt) - out.count)
        _audit_cases(vault, args, flt, {"cases": out.count, "left_out": left_out})
    if left_out:
        print(f"{left_out:,} more matching cases not listed (--limit {limit:,})",
              file=sys.stderr)
    return EXIT_OK


def _audit_cases(vault: Vault, args: argparse.Namespace, flt: CaseFilter,
                 counts: dict[str, int]) -> None:
    audit_bulk_read(vault, audit.Kind.CASES_LISTED, counts, filters=case_filter_names(flt),
                    export_format="json" if args.json else None)


def cmd_case_show(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        detail = get_case(vault, args.ref)
    if args.json:
        print_json(asdict(detail))
        return EXIT_OK
    print(f"{detail.case_number}  {detail.family_name}, {detail.given_names}")
    print(f"phase: {detail.phase}   municipality: {detail.municipality}   "
          f"opened: {detail.opened_on:%d.%m.%Y}   case manager: {detail.case_manager}")
    for st in detail.statuses:
        until = f"{st.valid_until:%d.%m.%Y}" if st.valid_until else "-"
        print(f"  status: {st.kind_label} until {until}")
    for step in detail.phase_history:
        print(f"  {step.at:%d.%m.%Y %H:%M}  {step.from_phase or '-'} -> {step.to_phase}")
    for j in detail.journal[:10]:
        print(f"  {j.occurred_at:%d.%m.%Y}  {j.contact_kind}: {j.text[:80]}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    with open_from_args(args) as vault:
        names = search_names(vault, args.text, args.limit)
        journal = search_journal(vault, args.text, args.limit)
        # Before the output: a search is read once it ran (the text itself is never logged).
        audit_bulk_read(vault, audit.Kind.SEARCH_RUN,
                        {"cases": len(names), "journal_entries": len(journal)},
                        export_format="json" if args.json else None)
    if args.json:
        print_json({"cases": [asdict(h) for h in names],
                    "journal": [asdict(h) for h in journal]})
        return EXIT_OK
    for h in names:
        print(f"{h.case_id:>7}  {h.case_number:<20} {h.family_name}, {h.given_names}  ({h.phase})")
    for j in journal:
        print(f"  journal {j.case_number} {j.occurred_at:%d.%m.%Y}: {j.excerpt}")
    return EXIT_OK
