"""The audit chain: append-only, hash-chained, anchored outside the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import audit
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from db.models import AuditLog
from tests.conftest import run_cli


def _entries(vault: Vault) -> list[AuditLog]:
    with vault.session() as s:
        return list(s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars())


def _rewrite(vault: Vault, seq: int, detail: dict[str, object], recompute_after: bool) -> None:
    """What someone holding the key could do: drop the guard, edit, recompute the chain."""
    with vault.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET detail = :d WHERE seq = :s"),
                     {"d": json.dumps(detail), "s": seq})
        if recompute_after:
            rows = conn.execute(text(
                "SELECT seq, at, kind, actor, object_type, object_uuid, detail, prev_hash "
                "FROM audit_log WHERE seq >= :s ORDER BY seq"), {"s": seq}).all()
            prev = rows[0].prev_hash
            for r in rows:
                from datetime import UTC, datetime
                at = datetime.fromisoformat(str(r.at)).replace(tzinfo=UTC)
                h = audit.entry_hash(prev, r.seq, at, r.kind, r.actor, r.object_type,
                                     r.object_uuid, json.loads(r.detail))
                conn.execute(text("UPDATE audit_log SET prev_hash=:p, hash=:h WHERE seq=:s"),
                             {"p": prev, "h": h, "s": r.seq})
                prev = h


@pytest.fixture
def busy_vault(vault: Vault) -> Vault:
    for i in range(3):
        cid = create_case(vault, NewCase(given_names=f"Test{i}", family_name="Muster",
                                         municipality="DO"))
        get_case(vault, cid)
    return vault


def test_reads_and_changes_are_audited_without_personal_data(busy_vault: Vault) -> None:
    rows = _entries(busy_vault)
    kinds = [r.kind for r in rows]
    assert kinds.count("case.created") == 3 and kinds.count("case.read") == 3
    dump = json.dumps([[r.kind, r.object_type, r.object_uuid, r.detail] for r in rows])
    assert "Muster" not in dump and "Test1" not in dump


def test_intact_chain_verifies(busy_vault: Vault) -> None:
    with busy_vault.session() as s:
        report = audit.verify(s, busy_vault.anchor)
    assert report.ok and report.entries == report.anchored == len(_entries(busy_vault))


def test_append_only_triggers_reject_edits(busy_vault: Vault) -> None:
    with pytest.raises(Exception, match="append-only"), busy_vault.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET kind = 'x' WHERE seq = 2"))
    with pytest.raises(Exception, match="append-only"), busy_vault.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))


@pytest.mark.parametrize("recompute", [False, True])
def test_tampered_row_is_found_at_its_position(busy_vault: Vault, recompute: bool) -> None:
    _rewrite(busy_vault, 4, {"forged": 1}, recompute_after=recompute)
    with busy_vault.session() as s:
        report = audit.verify(s, busy_vault.anchor)
    assert not report.ok and report.first_bad_seq == 4
    assert ("external anchor" in (report.problem or "")) == recompute


def test_removed_tail_is_detected(busy_vault: Vault) -> None:
    last = len(_entries(busy_vault))
    with busy_vault.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        conn.execute(text("DELETE FROM audit_log WHERE seq >= :s"), {"s": last - 1})
    with busy_vault.session() as s:
        report = audit.verify(s, busy_vault.anchor)
    assert not report.ok and report.first_bad_seq == last - 1


def test_cli_check_and_audit_verify_exit_3_on_tampering(busy_vault: Vault,
                                                        vault_dir: Path) -> None:
    _rewrite(busy_vault, 3, {"forged": 2}, recompute_after=True)
    busy_vault.lock()
    res = run_cli("audit", "--verify", vault=vault_dir)
    assert res.returncode == 3 and "entry 3" in res.stdout
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 3 and "audit chain broken at entry 3" in res.stdout
