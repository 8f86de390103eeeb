"""Lookups of the cases domain that other services build on: a case by any reference, and case
numbers and certificate serials that stay unique across laptops without a server.

Form: ``<municipality>-<year>-<vault code>-<sequence>`` (e.g. ``DO-2026-K7QX-0042``). The vault
code is unique per vault, the sequence per (municipality, year) within a vault.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from db.models import CaseFile, NumberSequence


def next_sequence(session: Session, scope: str) -> int:
    row = session.execute(select(NumberSequence).where(NumberSequence.scope == scope)).scalar()
    if row is None:
        row = NumberSequence(scope=scope, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    return row.last


def next_case_number(session: Session, municipality: str, year: int, vault_code: str) -> str:
    seq = next_sequence(session, f"case:{municipality}:{year}")
    return f"{municipality}-{year}-{vault_code}-{seq:04d}"


MAX_ROW_ID = 2**63 - 1  # SQLite's INTEGER range


def resolve_case(session: Session, ref: str | int) -> CaseFile:
    """A case by local id, case number or uuid; tombstoned cases are not found."""
    query = select(CaseFile).where(CaseFile.deleted.is_(False))
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isascii() and text.isdigit()):
        number = int(text) if len(text) <= 64 else 0  # int() of 5,000 digits is an error
        if not 0 < number <= MAX_ROW_ID:  # SQLite cannot even bind a larger number
            raise NotFound("Der Fall wurde nicht gefunden.", f"no case {text[:24]!r}")
        query = query.where(CaseFile.id == number)
    elif len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        query = query.where(CaseFile.uuid == text)
    else:
        query = query.where(func.upper(CaseFile.case_number) == text.upper())
    case = session.execute(query).scalar()
    if case is None:
        raise NotFound("Der Fall wurde nicht gefunden.", f"no case {text!r}")
    return case
