"""The demo's conferences for the CLI tests (``lotse conferences``, ``minutes``, ``ics``): one
vault per test module, and the reads the tests check the output against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.demo.generator import generate_demo
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from db.models import AuditLog, CaseFile, Conference, ConferenceAgendaItem, Person
from tests.conftest import PASSPHRASE

UNKNOWN = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, Path]]:
    folder = tmp_path_factory.mktemp("conferences") / "v"
    vault = create_vault(folder, PASSPHRASE, owner_name="Demo Fallmanagerin", municipality="DO",
                         vault_code="C0NF", kdf=KdfParams.minimum())
    generate_demo(vault, 40, seed=3)
    yield vault, folder
    vault.lock()


def conferences(vault: Vault) -> dict[str, Conference]:
    with vault.read_session() as s:
        return {c.uuid: c for c in s.execute(select(Conference)).scalars()}


def one(vault: Vault, status: str) -> Conference:
    return next(c for c in conferences(vault).values() if c.status == status)


def clients(vault: Vault, conf: Conference) -> list[tuple[str, str, str]]:
    """(given names, family name, case number) of every case on the conference's agenda."""
    with vault.read_session() as s:
        return [tuple(r) for r in s.execute(
            select(Person.given_names, Person.family_name, CaseFile.case_number)
            .join(CaseFile, CaseFile.person_id == Person.id)
            .join(ConferenceAgendaItem, ConferenceAgendaItem.case_id == CaseFile.id)
            .where(ConferenceAgendaItem.conference_id == conf.id)).all()]


def events(vault: Vault, since: int, uuid: str) -> list[tuple[str, dict[str, Any]]]:
    with vault.read_session() as s:
        return [(r.kind, r.detail) for r in s.execute(
            select(AuditLog).where(AuditLog.seq > since, AuditLog.object_uuid == uuid)
            .order_by(AuditLog.seq)).scalars()]


def last_seq(vault: Vault) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(func.max(AuditLog.seq))).scalar() or 0)
