"""Steering reports and roles between real vaults through a temp folder as the share: a casework
vault reports to the steering committee's vault; what travels is the declared schema only; each
role refuses the kinds it does not take in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.bundle import payload
from app.bundle.reader import open_bundle
from app.bundle.records import DEPUTY, STEERING, OpenedBundle
from app.errors import ValidationFailed
from app.services.steering.read import reports
from app.services.steering.write import export_report
from app.sync import outbox
from app.sync.keys import own_keys, sender_lookup
from app.sync.steering_schema import BODY_KEYS, TABLES, THRESHOLD, TOTALS
from db.models import AuditLog, OutboxBundle
from tests.conftest import run_cli
from tests.support.steering_world import MARKER, CaseSpec, add_cases
from tests.support.sync_world import Office, befriend, close, make_office, sync

FROM, TO = date(2026, 1, 1), date(2026, 10, 31)
AS_OF = date(2026, 11, 25)


def _spec(cover: str) -> CaseSpec:
    return CaseSpec("newly_arrived", "DO", date(2026, 3, 2), None, None, "assessment",
                    "duldung", cover, "jobcenter", "erreicht")


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Office]]:
    root = tmp_path_factory.mktemp("steering_kind")
    share = root / "share"
    share.mkdir()
    o = {"a": make_office(root, "AAAA", "Katharina Nowak", "DO", share),
         "b": make_office(root, "BBBB", "Jonas Brandt", "DO", share),
         "s": make_office(root, "SSSS", "Lenkungskreis", "DO", share, role="steering")}
    add_cases(o["a"].vault, [_spec("consent")] * 6 + [_spec("basis")] * 2
              + [_spec("none")] * 7 + [_spec("withdrawn")] * 3, as_of=AS_OF)
    befriend(*o.values())
    yield o
    close(*o.values())


def _opened_by(recipient: Office, data: bytes) -> OpenedBundle:
    with recipient.vault.read_session() as s:
        return open_bundle(data, own_keys(s, recipient.vault), sender_lookup(s))


def _outbox_data(office: Office, bundle_uuid: str) -> bytes:
    with office.vault.read_session() as s:
        data = s.execute(select(OutboxBundle.data).where(
            OutboxBundle.bundle_uuid == bundle_uuid)).scalar()
    assert data is not None
    return data


def _counts(body: dict[str, Any]) -> list[int | None]:
    found = list(body["totals"].values())
    for table in body["tables"].values():
        found.extend((table or {}).values())
    return found


def test_a_report_travels_to_the_steering_vault_with_declared_fields_only(
        offices: dict[str, Office]) -> None:
    a, s = offices["a"], offices["s"]
    bundle_uuid = export_report(a.vault, FROM, TO)
    with a.vault.read_session() as sess:
        exported = sess.execute(select(AuditLog).where(
            AuditLog.object_uuid == bundle_uuid)).scalar_one()
        head = sess.execute(select(AuditLog.seq, AuditLog.hash).where(
            AuditLog.seq == exported.seq - 1)).one()
    opened = _opened_by(s, _outbox_data(a, bundle_uuid))
    raw = payload.encode(opened.content)  # the payload bytes exactly as decrypted
    assert MARKER.encode() not in raw and b"AAAA-" not in raw and b"1990" not in raw
    body = dict(opened.content.body)
    assert opened.content.rows == ()
    assert set(body) == BODY_KEYS
    assert set(body["totals"]) == set(TOTALS) and set(body["tables"]) <= set(TABLES)
    assert all(n is None or n >= THRESHOLD for n in _counts(body))
    assert body["totals"]["cases"] == 8  # consent 6 + § 75 SGB X 2; none and withdrawn left out
    sync(a)
    assert len(sync(s).applied) == 1
    [row] = reports(s.vault)
    assert (row.bundle_uuid, row.cases, row.period_from, row.period_to) == (
        bundle_uuid, 8, FROM, TO)
    assert (row.audit_head_seq, row.audit_head_hash) == (head.seq, head.hash)
    cells = {(c.dimension, c.value): c for c in row.cells}
    assert cells[("residence_status", "duldung")].count == 8
    assert cells[("referral_legal_domain", "SGB II")].count == 8
    assert cells[("phase", "assessment")].label_de == "Assessment (Situationsanalyse)"
    result = run_cli("reports", "--json", vault=s.folder)
    assert result.returncode == 0, result.stderr
    [listed] = json.loads(result.stdout)
    assert (listed["bundle_uuid"], listed["cases"]) == (bundle_uuid, 8)
    assert MARKER not in result.stdout


def test_a_casework_vault_refuses_a_steering_report(offices: dict[str, Office]) -> None:
    a, b = offices["a"], offices["b"]
    with a.vault.session() as sess:
        from app.sync.steering import aggregate

        body = aggregate(sess, FROM, TO, AS_OF)
        outbox.enqueue(sess, a.vault, STEERING, [b.fingerprint], body=body)
    sync(a)
    report = sync(b)
    assert [r.reason for r in report.rejected] == ["kind_not_accepted"]
    assert reports(b.vault) == []


def test_the_steering_vault_refuses_case_data(offices: dict[str, Office]) -> None:
    a, s = offices["a"], offices["s"]
    before = len(reports(s.vault))
    with a.vault.session() as sess:
        outbox.enqueue(sess, a.vault, DEPUTY, [s.fingerprint], body={})
    sync(a)
    report = sync(s)
    assert [(r.kind, r.reason) for r in report.rejected] == [(DEPUTY, "kind_not_accepted")]
    assert len(reports(s.vault)) == before


def test_no_report_without_a_trusted_steering_vault(tmp_path: Path) -> None:
    lone = make_office(tmp_path, "LLLL", "Lea Sommer", "DO", None)
    try:
        with pytest.raises(ValidationFailed) as refused:
            export_report(lone.vault, FROM, TO)
        assert "Steuerungsgremium" in refused.value.message_de
        with pytest.raises(ValidationFailed):
            export_report(lone.vault, TO, FROM)
    finally:
        close(lone)


def test_export_kind_steering_on_the_command_line(offices: dict[str, Office]) -> None:
    a = offices["a"]
    result = run_cli("export", "--kind", "steering", "--from", "2026-01-01", "--to",
                     "2026-10-31", vault=a.folder)
    assert result.returncode == 0, result.stderr
    assert "steering: bundle " in result.stdout
    wrong = run_cli("export", "--kind", "directory", "--from", "2026-01-01", vault=a.folder)
    assert wrong.returncode != 0 and "--from/--to only with --kind steering" in wrong.stderr
    backwards = run_cli("export", "--kind", "steering", "--from", "2026-10-31", "--to",
                        "2026-01-01", vault=a.folder)
    assert backwards.returncode != 0 and "period ends before it begins" in backwards.stderr


@pytest.mark.parametrize("change", ["extra_field", "small_cell", "free_text_key", "name_key"])
def test_the_steering_vault_refuses_a_body_outside_the_schema(
        offices: dict[str, Office], change: str) -> None:
    a, s = offices["a"], offices["s"]
    sync(a)  # what earlier tests left in the outbox arrives first
    sync(s)
    before = len(reports(s.vault))
    with a.vault.session() as sess:
        from app.sync.steering import aggregate

        body = aggregate(sess, FROM, TO, AS_OF)
        if change == "extra_field":
            body["names"] = ["Mariam Haidari"]
        elif change == "small_cell":
            body["tables"]["phase"]["intake"] = 3
        elif change == "free_text_key":
            body["tables"]["target_group"]["Frau Haidari, geb. 14.03.1991"] = 7
        else:
            body["tables"]["referral_legal_domain"]["Haidari Mariam"] = 7
        outbox.enqueue(sess, a.vault, STEERING, [s.fingerprint], body=body)
    sync(a)
    report = sync(s)
    assert [(r.kind, r.reason) for r in report.rejected] == [(STEERING, "payload_malformed")]
    assert len(reports(s.vault)) == before
