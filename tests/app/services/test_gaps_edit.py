"""The gap register's status (escalate, resolve, drop, reopen) and correcting a gap's text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import NotFound, ValidationFailed
from app.services.gaps.read import system_gaps
from app.services.gaps.records import NewSystemGap
from app.services.gaps.write import record_gap, set_gap_status, update_gap
from app.vault.store import Vault
from db.models import AuditLog


def _gap(vault: Vault, title: str = "Lange Wartezeiten") -> str:
    return record_gap(vault, NewSystemGap("waiting_time", title, "Termine erst nach Wochen.",
                                          ["SGB II"], "high", date(2026, 11, 1)))


def _audit(vault: Vault, uuid: str) -> list[tuple[str, dict[str, object]]]:
    with vault.session() as s:
        return [(kind, dict(detail)) for kind, detail in s.execute(
            select(AuditLog.kind, AuditLog.detail).where(AuditLog.object_uuid == uuid)
            .order_by(AuditLog.seq))]


def test_status_moves_and_filter(vault: Vault) -> None:
    gap, other = _gap(vault), _gap(vault, "Keine Sprachmittlung")
    today = vault.clock.today()
    assert set_gap_status(vault, gap, "escalated").status_label == "eskaliert"
    resolved = set_gap_status(vault, gap, "resolved")
    assert (resolved.status, resolved.resolved_on) == ("resolved", today)
    set_gap_status(vault, other, "dropped")
    assert system_gaps(vault, ("open", "escalated")) == []
    assert {g.uuid for g in system_gaps(vault)} == {gap, other}
    assert [g.uuid for g in system_gaps(vault, ["resolved"])] == [gap]
    # Reopening clears the date; a resolved gap cannot be escalated directly.
    with pytest.raises(ValidationFailed) as caught:
        set_gap_status(vault, gap, "escalated")
    assert "„behoben“ kann nicht auf „eskaliert“" in caught.value.message_de
    reopened = set_gap_status(vault, gap, "open")
    assert (reopened.status, reopened.resolved_on) == ("open", None)
    with pytest.raises(ValidationFailed):
        set_gap_status(vault, gap, "vergessen")
    with pytest.raises(NotFound):
        set_gap_status(vault, "unbekannt", "open")
    kinds = _audit(vault, gap)
    assert [k for k, _ in kinds] == ["record.created"] + ["record.updated"] * 3
    assert [(d["from_status"], d["to_status"]) for _, d in kinds[1:]] == [
        ("open", "escalated"), ("escalated", "resolved"), ("resolved", "open")]


def test_edit_refuses_case_numbers_and_bad_input(vault: Vault) -> None:
    gap = _gap(vault)
    for changes, field in (({"title": "Warten im Fall DO-2026-T3ST-0042"}, "title"),
                           ({"description": "siehe do-2026-k7-0001"}, "description"),
                           ({"title": "  "}, "title"),
                           ({"category": "nonsense"}, "category"),
                           ({"severity": "extreme"}, "severity"),
                           ({"status": "resolved"}, None)):
        with pytest.raises(ValidationFailed) as caught:
            update_gap(vault, gap, **changes)
        assert caught.value.field == field
    assert [k for k, _ in _audit(vault, gap)] == ["record.created"]
    entry = update_gap(vault, gap, title=" Wartezeiten Jobcenter ", severity="medium",
                       legal_domains=["SGB II", "SGB III"],
                       noticed_on=date(2026, 11, 1) - timedelta(days=3))
    assert (entry.title, entry.severity_label, entry.legal_domains, entry.noticed_on) == (
        "Wartezeiten Jobcenter", "mittel", ("SGB II", "SGB III"), date(2026, 10, 29))
    assert system_gaps(vault)[0] == entry
    assert _audit(vault, gap)[-1] == (
        "record.updated", {"fields": ["legal_domains", "noticed_on", "severity", "title"]})
