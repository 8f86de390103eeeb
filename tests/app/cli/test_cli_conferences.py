"""``lotse conferences`` and ``lotse conference show`` as a user runs them on a real vault with
the demo's conferences: JSON read back against the store, the show audited, ids checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.conferences.records import APPROVED, DRAFTED
from app.vault.store import Vault
from db.models import ConferenceAgendaItem
from tests.conftest import run_cli
from tests.support.conference_demo import UNKNOWN, clients, conferences, events, last_seq, one

# --- list and show ---------------------------------------------------------------------------

def test_conferences_json_is_what_the_store_holds(demo: tuple[Vault, Path]) -> None:
    vault, folder = demo
    stored = conferences(vault)
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
    conf = one(vault, DRAFTED)
    since = last_seq(vault)
    res = run_cli("conference", "show", conf.uuid, "--json", vault=folder)
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert shown["id"] == conf.uuid and shown["title"] == conf.title
    assert sorted(a["case_number"] for a in shown["agenda"]) == \
        sorted(number for _, _, number in clients(vault, conf))
    assert any(d for a in shown["agenda"] for d in a["decisions"])
    assert [kind for kind, _ in events(vault, since, conf.uuid)] == ["record.read"]

    res = run_cli("conference", "show", conf.uuid.upper(), vault=folder)  # as others print it
    assert res.returncode == 0, res.stderr
    assert conf.title in res.stdout and "agenda:" in res.stdout


@pytest.mark.parametrize(("ref", "message"), [(UNKNOWN, f"no conference {UNKNOWN}"),
                                               ("DO-2026-C0NF-0001", "uuid of 32")])
def test_an_unknown_or_malformed_id_is_refused(demo: tuple[Vault, Path], ref: str,
                                               message: str) -> None:
    res = run_cli("conference", "show", ref, vault=demo[1])
    assert res.returncode == 1 and message in res.stderr and not res.stdout
