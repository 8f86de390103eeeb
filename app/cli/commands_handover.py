"""Deputy shares and case transfers between colleagues' vaults.

    lotse share-case CASE --with FINGERPRINT [--until DATE]
    lotse share-case end GRANT_ID
    lotse transfer CASE --to FINGERPRINT [--note TEXT]
    lotse transfer accept ID | lotse transfer decline ID [--reason TEXT]
    lotse transfers [--json]

CASE is a case number, id or uuid, as elsewhere. Bundles go out at the next ``lotse sync``.
Output names case numbers and colleagues, never clients.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from app.cli.args import case_ref
from app.cli.context import open_from_args, print_json
from app.errors import EXIT_OK, UsageError
from app.services.handover.records import GrantRow

MAX_TEXT = 4000


def register(sub: Any) -> None:
    p = sub.add_parser("share-case", help="share a case with a deputy (Vertretung), or "
                       "'share-case end GRANT_ID' to end a share")
    p.add_argument("words", nargs="+", metavar="CASE | end GRANT_ID")
    p.add_argument("--with", dest="peer", metavar="FINGERPRINT",
                   help="the deputy's vault (whole fingerprint, trusted)")
    p.add_argument("--until", type=_date, metavar="DATE",
                   help="last day of the cover (YYYY-MM-DD or DD.MM.YYYY)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_share_case)

    p = sub.add_parser("transfer", help="hand a case over to a colleague, or "
                       "'transfer accept|decline ID' to answer an offer")
    p.add_argument("words", nargs="+", metavar="CASE | accept ID | decline ID")
    p.add_argument("--to", dest="peer", metavar="FINGERPRINT",
                   help="the colleague's vault (whole fingerprint, trusted)")
    p.add_argument("--note", type=_text, default="", metavar="TEXT",
                   help="hand-over note for the colleague")
    p.add_argument("--reason", type=_text, default="", metavar="TEXT",
                   help="why an offer is declined")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_transfer)

    p = sub.add_parser("transfers", help="transfer offers waiting here, deputy shares and "
                       "transfers of this vault")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_transfers)


def _date(text: str) -> date:
    for form in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD or DD.MM.YYYY): {text[:20]!r}")


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise argparse.ArgumentTypeError(f"at most {MAX_TEXT} characters")
    return text


def _grant_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text[:19] or "0") < 2**63:
        raise UsageError("Bitte die Nummer aus 'lotse transfers' angeben.",
                         f"not a grant id: {text[:24]!r}")
    return int(text)


def _case(words: list[str]) -> str:
    if len(words) != 1:
        raise UsageError("Bitte genau einen Fall angeben.", "give exactly one CASE")
    try:
        return case_ref(words[0])
    except argparse.ArgumentTypeError as exc:
        raise UsageError("Unbekannter Fall.", str(exc)) from exc


def grant_json(row: GrantRow) -> dict[str, Any]:
    return {"id": row.id, "case_uuid": row.case_uuid, "case_number": row.case_number,
            "peer_fingerprint": row.peer_fingerprint, "peer_name": row.peer_name,
            "kind": row.kind, "direction": row.direction, "state": row.state,
            "since": row.since.isoformat(), "until": row.until.isoformat() if row.until else None,
            "last_sent_at": row.last_sent_at.isoformat() if row.last_sent_at else None}


def _line(row: GrantRow) -> str:
    until = f" until {row.until:%Y-%m-%d}" if row.until else ""
    return (f"{row.id:>5}  {row.kind:<8} {row.direction:<3} {row.state:<8} "
            f"{row.case_number or row.case_uuid:<20} {row.peer_name}{until}")


def _done(args: argparse.Namespace, row: GrantRow, what: str) -> int:
    if args.json:
        print_json(grant_json(row))
    else:
        print(f"{what}: {_line(row).strip()}")
        print("the bundle goes out at the next `lotse sync`")
    return EXIT_OK


def cmd_share_case(args: argparse.Namespace) -> int:
    from app.services.handover import write

    words: list[str] = args.words
    if words[0] == "end":
        if len(words) != 2 or args.peer or args.until:
            raise UsageError("Aufruf: lotse share-case end GRANT_ID", "usage: share-case end ID")
        grant_id = _grant_id(words[1])
        with open_from_args(args) as vault:
            return _done(args, write.end_share(vault, grant_id), "share ended")
    ref = _case(words)
    if not args.peer:
        raise UsageError("Bitte mit --with den Fingerabdruck der Vertretung angeben.",
                         "--with FINGERPRINT is required")
    with open_from_args(args) as vault:
        return _done(args, write.share_case(vault, ref, args.peer, args.until), "shared")


def cmd_transfer(args: argparse.Namespace) -> int:
    from app.services.handover import write

    words: list[str] = args.words
    if words[0] in ("accept", "decline"):
        if len(words) != 2 or args.peer or args.note:
            raise UsageError(f"Aufruf: lotse transfer {words[0]} ID",
                             f"usage: transfer {words[0]} ID")
        grant_id = _grant_id(words[1])
        with open_from_args(args) as vault:
            if words[0] == "accept":
                return _done(args, write.accept_offer(vault, grant_id), "accepted")
            return _done(args, write.decline_offer(vault, grant_id, args.reason), "declined")
    ref = _case(words)
    if not args.peer:
        raise UsageError("Bitte mit --to den Fingerabdruck der Kollegin / des Kollegen angeben.",
                         "--to FINGERPRINT is required")
    with open_from_args(args) as vault:
        return _done(args, write.transfer_case(vault, ref, args.peer, args.note), "offered")


def cmd_transfers(args: argparse.Namespace) -> int:
    from app.services.handover import read

    with open_from_args(args) as vault:
        offers = read.offers(vault)
        grants = read.grants(vault)
    if args.json:
        print_json({"offers": [grant_json(r) for r in offers],
                    "grants": [grant_json(r) for r in grants]})
        return EXIT_OK
    if offers:
        print("offers waiting for your answer (lotse transfer accept|decline ID):")
        for row in offers:
            print(_line(row))
    for row in grants:
        if row not in offers:
            print(_line(row))
    if not offers and not grants:
        print("no deputy shares or transfers")
    return EXIT_OK
