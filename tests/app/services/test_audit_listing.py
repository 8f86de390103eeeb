"""`lotse audit` lists and verifies the log through the audit service, with the same output as
when the command read the table itself."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.services.audit.read import check_chain, recent_entries
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault, open_vault
from db.models import AuditLog
from tests.conftest import PASSPHRASE, run_cli


def _table(vault: Vault) -> list[AuditLog]:
    """The log as the table holds it, oldest first: the reference the output is checked with."""
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars())


def _vault_with_entries(vault: Vault) -> list[AuditLog]:
    for name in ("Ayşe", "Jonas", "Mira"):
        case_id = create_case(vault, NewCase(name, "Beispiel", "DO"))
        get_case(vault, case_id)
    return _table(vault)


def _as_the_command_saw_it(vault: Vault) -> list[AuditLog]:
    """The log as the command listed it: reopened afterwards, without this reopening's own
    unlock entry (the command's unlock entry is part of what it lists)."""
    again = open_vault(vault.folder, PASSPHRASE, vault.clock)
    try:
        rows = _table(again)
    finally:
        again.lock()
    assert rows[-1].kind == "vault.unlocked"
    return rows[:-1]


def test_audit_json_lists_the_newest_entries_oldest_first(vault: Vault) -> None:
    _vault_with_entries(vault)
    vault.lock()
    res = run_cli("audit", "--json", "--limit", "4", vault=vault.folder)
    assert res.returncode == 0, res.stderr
    rows = _as_the_command_saw_it(vault)
    expected = [{"seq": r.seq, "at": r.at.isoformat(), "kind": r.kind, "actor": r.actor,
                 "object_type": r.object_type, "object_uuid": r.object_uuid,
                 "detail": r.detail} for r in rows[-4:]]
    assert json.loads(res.stdout) == expected


def test_audit_text_lines_are_unchanged(vault: Vault) -> None:
    _vault_with_entries(vault)
    vault.lock()
    res = run_cli("audit", "--limit", "3", vault=vault.folder)
    assert res.returncode == 0, res.stderr
    rows = _as_the_command_saw_it(vault)
    expected = [f"{r.seq:>7}  {r.at.isoformat()}  {r.kind:<24} {r.object_type or ''} "
                f"{r.object_uuid or ''}" for r in rows[-3:]]
    assert res.stdout.splitlines() == expected


def test_the_service_answers_what_the_command_prints(vault: Vault) -> None:
    rows = _vault_with_entries(vault)
    entries = recent_entries(vault, 2)
    assert [(e.seq, e.kind, e.object_uuid) for e in entries] == \
        [(r.seq, r.kind, r.object_uuid) for r in rows[-2:]]
    assert [e.seq for e in recent_entries(vault, 1000)] == [r.seq for r in rows]
    check = check_chain(vault)
    assert check.chain.ok and check.chain.entries == len(rows)
    assert check.failure_record_alarm is None
    vault.lock()
    res = run_cli("audit", "--verify", vault=vault.folder)
    assert res.returncode == 0, res.stderr
    rows = _as_the_command_saw_it(vault)
    assert res.stdout.strip() == (f"audit chain ok: {len(rows)} entries, {len(rows)} anchored "
                                  f"(last anchored entry {rows[-1].seq})")
