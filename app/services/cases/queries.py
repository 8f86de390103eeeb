"""Case numbers and certificate serials that stay unique across laptops without a server.

Form: ``<municipality>-<year>-<vault code>-<sequence>`` (e.g. ``DO-2026-K7QX-0042``). The vault
code is unique per vault, the sequence per (municipality, year) within a vault.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import NumberSequence


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
