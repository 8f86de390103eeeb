"""``lotse conferences`` and ``lotse conference show`` as a user runs them on a real vault with
the demo's conferences: JSON read back against the store, the show audited, ids checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.demo.generator import generate_demo
from app.services.conferences.records import APPROVED, DRAFTED
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from db.models import AuditLog, CaseFile, Conference, ConferenceAgendaItem, Person
from tests.conftest import PASSPHRASE, run_cli

UNKNOWN = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, Path]]:
    folder = tmp_path_factory.mktemp("conferences") / "v"
    vault = create_vault(folder, PASSPHRASE, owner_name="Demo Fallmanagerin", municipality="DO",
                         vault_code="C0NF", kdf=KdfParams.minimum())
    generate_demo(vault, 40, seed=3)
    yield vault, folder
    vault.lock()


def _conferences(vault: Vault) -> dict[str, Conference]:
    with vault.read_session() as s:
        return {c.uuid: c for c in s.execute(select(Conference)).scalars()}


def _one(vault: Vault, status: str) -> Conference:
    return next(c for c in _conferences(vault).values() if c.status == status)


def _clients(vault: Vault, conf: Conference) -> list[tuple[str, str, str]]:
    """(given names, family name, case number) of every case on the conference's agenda."""
    with vault.read_session() as s:
        return [tuple(r) for r in s.execute(
            select(Person.given_names, Person.family_name, CaseFile.case_number)
            .join(CaseFile, CaseFile.person_id == Person.id)
            .join(ConferenceAgendaItem, ConferenceAgendaItem.case_id == CaseFile.id)
            .where(ConferenceAgendaItem.conference_id == conf.id)).all()]


def _events(vault: Vault, since: int, uuid: str) -> list[tuple[str, dict[str, Any]]]:
    with vault.read_session() as s:
        return [(r.kind, r.detail) for r in s.execute(
            select(AuditLog).where(AuditLog.seq > since, AuditLog.object_uuid == uuid)
            .order_by(AuditLog.seq)).scalars()]


def _last_seq(vault: Vault) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(func.max(AuditLog.seq))).scalar() or 0)


# --- list and show ---------------------------------------------------------------------------

def test_conferences_json_is_what_the_store_holds(demo: tuple[Vault, Path]) -> None:
    vault, folder = demo
    stored = _conferences(vault)
    with vault.read_session() as s:
        counts = dict(s.execute(select(ConferenceAgendaItem.conference_id, func.count())
                                .group_by(ConferenceAgendaItem.conference_id)).tuples().all())
    res = run_cli("conferences", "--json", vault=folder)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert sorted(r["id"] for r in rows) == sorted(stored)
    for r in rows:
        conf = stored[r["id"]]
        assert r["title"] == conf.title and r["status"] == conf.status
        at = datetime.fromisoformat(r["scheduled_at"])
        assert at.tzinfo is not None and at == conf.scheduled_at.replace(tzinfo=UTC)
        assert r["case_count"] == counts[conf.id] > 0

    res = run_cli("conferences", "--status", APPROVED, "--json", vault=folder)
    assert res.returncode == 0, res.stderr
    approved = json.loads(res.stdout)
    assert approved and {r["status"] for r in approved} == {APPROVED}
    assert len(approved) == sum(c.status == APPROVED for c in stored.values())

    res = run_cli("conferences", vault=folder)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == len(stored)
    assert all(any(line.startswith(uuid) and c.title in line for line in lines)
               for uuid, c in stored.items())


def test_an_unknown_status_is_a_usage_error(demo: tuple[Vault, Path]) -> None:
    res = run_cli("conferences", "--status", "approved", vault=demo[1])
    assert res.returncode == 1 and "invalid choice" in res.stderr


def test_conference_show_is_an_audited_read(demo: tuple[Vault, Path]) -> None:
    vault, folder = demo
    conf = _one(vault, DRAFTED)
    since = _last_seq(vault)
    res = run_cli("conference", "show", conf.uuid, "--json", vault=folder)
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert shown["id"] == conf.uuid and shown["title"] == conf.title
    assert sorted(a["case_number"] for a in shown["agenda"]) == \
        sorted(number for _, _, number in _clients(vault, conf))
    assert any(d for a in shown["agenda"] for d in a["decisions"])
    assert [kind for kind, _ in _events(vault, since, conf.uuid)] == ["record.read"]

    res = run_cli("conference", "show", conf.uuid.upper(), vault=folder)  # as others print it
    assert res.returncode == 0, res.stderr
    assert conf.title in res.stdout and "agenda:" in res.stdout


@pytest.mark.parametrize(("ref", "message"), [(UNKNOWN, f"no conference {UNKNOWN}"),
                                               ("DO-2026-C0NF-0001", "uuid of 32")])
def test_an_unknown_or_malformed_id_is_refused(demo: tuple[Vault, Path], ref: str,
                                               message: str) -> None:
    res = run_cli("conference", "show", ref, vault=demo[1])
    assert res.returncode == 1 and message in res.stderr and not res.stdout
