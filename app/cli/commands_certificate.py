"""Certificates: issue, list, reprint, revoke, verify.

Every step is a service call; this module only parses, prints and writes files the way the
minutes' ``--out`` does (target checked before the vault is opened, created new, never over an
existing file, removed again if its output cannot be audited). ``verify`` exits 0 only for a
valid certificate and 2 for every other answer, with the English line and the German answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.args import case_ref, conference_id, field_value, serial
from app.cli.commands_minutes import check_target, write_output
from app.cli.context import open_from_args, print_json
from app.errors import EXIT_OK, EXIT_REFUSED, UsageError
from app.services.certificates.records import KIND_LABELS, CertificateRow, RegisterFilter

STATES = ("valid", "revoked")
MAX_REASON_CHARS = 500


def register(sub: Any) -> None:
    p = sub.add_parser("certificate", help="issue, list, reprint, revoke and verify "
                       "certificates (Bescheinigungen)")
    cert = p.add_subparsers(dest="certificate_command", required=True, metavar="ACTION")

    issue = cert.add_parser("issue", help="issue a certificate for a case from a template")
    issue.add_argument("--case", type=case_ref, required=True, metavar="ID",
                       help="case id, case number or uuid")
    issue.add_argument("--template", required=True, metavar="T", help="the template's key")
    issue.add_argument("--field", type=field_value, action="append", default=[],
                       metavar="KEY=VALUE", help="a value of the template (repeatable; dates "
                       "as DD.MM.YYYY)")
    issue.add_argument("--to", type=conference_id, metavar="INSTITUTION_UUID",
                       help="send to this institution (needs a consent covering it)")
    issue.add_argument("--acknowledge-warning", action="store_true",
                       help="confirm the warning for the foreigners' authority as a recipient")
    issue.add_argument("--out", type=Path, metavar="FILE.pdf",
                       help="also write the certificate as PDF/A (an existing file is never "
                       "replaced)")
    issue.set_defaults(handler=cmd_issue)

    listing = cert.add_parser("list", help="the certificate register")
    listing.add_argument("--case", type=case_ref, metavar="ID", help="only this case's")
    listing.add_argument("--kind", choices=sorted(KIND_LABELS))
    listing.add_argument("--state", choices=STATES)
    listing.add_argument("--json", action="store_true",
                         help="serial, kind, dates, copies, check code, case number; no names")
    listing.set_defaults(handler=cmd_list)

    reprint = cert.add_parser("reprint", help="print a Zweitschrift (counted, sealed anew)")
    reprint.add_argument("serial", type=serial)
    reprint.add_argument("--out", type=Path, required=True, metavar="FILE.pdf",
                         help="the file to create (an existing file is never replaced)")
    reprint.set_defaults(handler=cmd_reprint)

    revoke = cert.add_parser("revoke", help="revoke a certificate (final)")
    revoke.add_argument("serial", type=serial)
    revoke.add_argument("--reason", required=True, metavar="TEXT")
    revoke.set_defaults(handler=cmd_revoke)

    verify = cert.add_parser("verify", help="check a certificate: PDF, image or check code; "
                             "exit 0 only when valid, else 2")
    what = verify.add_mutually_exclusive_group(required=True)
    what.add_argument("file", nargs="?", type=Path, metavar="FILE.pdf|IMAGE.png")
    what.add_argument("--code", metavar="TEXT", help="the check code printed on it")
    verify.set_defaults(handler=cmd_verify)


# --- issuing and printing ------------------------------------------------------------------

def _values(fields: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in fields:
        if key in values:
            raise UsageError(f"Das Feld „{key}“ ist doppelt angegeben.",
                             f"--field {key} given twice")
        values[key] = value
    return values


def cmd_issue(args: argparse.Namespace) -> int:
    from app.services.certificates.records import IssueRequest
    from app.services.certificates.write import issue_certificate

    values = _values(args.field)
    path = check_target(args.out) if args.out is not None else None
    request = IssueRequest(case_ref=args.case, template_key=args.template, values=values,
                           recipient_institution_uuid=args.to,
                           warning_acknowledged=args.acknowledge_warning)
    with open_from_args(args) as vault:
        issued = issue_certificate(vault, request)
        print(f"certificate issued: {issued.serial} (check code {issued.document.check_code})")
        if path is not None:
            _write_pdf(vault, path, issued.document)
    return EXIT_OK


def _write_pdf(vault: Any, path: Path, document: Any) -> None:
    # Imported here: reportlab and pikepdf are not loaded for every other command.
    from app.printing import render_certificate
    from app.services.certificates.write import record_certificate_output

    data = render_certificate(document)
    write_output(path, data,
                 lambda: record_certificate_output(vault, document.serial, "pdf"))
    print(f"certificate written: {path}")


def cmd_reprint(args: argparse.Namespace) -> int:
    from app.services.certificates.write import reprint_certificate

    path = check_target(args.out)
    with open_from_args(args) as vault:
        document = reprint_certificate(vault, args.serial)
        _write_pdf(vault, path, document)
    print(f"Zweitschrift no. {document.copy} of {document.serial}")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from app.services.certificates.write import revoke_certificate

    reason = " ".join(args.reason.split())
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise UsageError("Bitte einen Grund angeben (höchstens 500 Zeichen).",
                         f"--reason must have 1 to {MAX_REASON_CHARS} characters")
    with open_from_args(args) as vault:
        revoke_certificate(vault, args.serial, reason)
    print(f"certificate revoked: {args.serial}")
    return EXIT_OK


# --- the register --------------------------------------------------------------------------

def row_json(r: CertificateRow) -> dict[str, Any]:
    """What a tool needs to keep a register in step; no names, no free text about persons."""
    return {"serial": r.serial, "kind": r.kind, "issued_on": r.issued_on.isoformat(),
            "revoked": r.revoked_on is not None,
            "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
            "copies": r.copies, "check_code": r.check_code, "case_number": r.case_number}


def cmd_list(args: argparse.Namespace) -> int:
    from app.services.certificates.read import certificate_register

    flt = RegisterFilter(kind=args.kind, state=args.state, case_ref=args.case)
    with open_from_args(args) as vault:
        rows = certificate_register(vault, flt)
    if args.json:
        print_json([row_json(r) for r in rows])
        return EXIT_OK
    kind_width = max((len(r.kind_label) for r in rows), default=0)  # columns line up
    for r in rows:
        state = f"widerrufen {r.revoked_on:%d.%m.%Y}" if r.revoked_on else "gültig"
        copies = f"  {r.copies} Zweitschrift(en)" if r.copies else ""
        print(f"{r.serial}  {r.issued_on:%d.%m.%Y}  {r.kind_label:<{kind_width}}  "
              f"{state:<21} {r.holder}{copies}")
    return EXIT_OK


# --- verification --------------------------------------------------------------------------

def cmd_verify(args: argparse.Namespace) -> int:
    from app.services.verification.read import verify_code, verify_file

    with open_from_args(args) as vault:
        verdict = (verify_code(vault, args.code) if args.code is not None
                   else verify_file(vault, args.file))
    stream = sys.stdout if verdict.ok else sys.stderr
    print(f"{verdict.outcome}: {verdict.message_en} ({verdict.reason})", file=stream)
    print(verdict.message_de, file=stream)
    return EXIT_OK if verdict.ok else EXIT_REFUSED
