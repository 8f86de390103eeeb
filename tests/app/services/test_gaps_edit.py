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


REFUSED = [  # (title, description, field, what the German message says)
    ("Wartezeit für Frau Öztürk", "Termine nach Wochen.", "title", "keine Namen"),
    ("Lange Wartezeiten", "Ayse Oeztuerk wartet seit Wochen.", "description", "keine Namen"),
    ("Lange Wartezeiten", "AYŞE ÖZTÜRK wartet.", "description", "keine Namen"),
    ("Lange Wartezeiten", "Familie Al-Hassan wartet.", "description", "keine Namen"),
    ("Lange Wartezeiten", "Mohammed Al Hassan wartet.", "description", "keine Namen"),
    ("Lange Wartezeiten", "Klientin, geb. 12.03.1990, wartet.", "description", "Geburtsdatum"),
    ("Lange Wartezeiten", "Betroffen: 12.03.90", "description", "Geburtsdatum"),
    ("Lange Wartezeiten", "Am 3. März 2026 erst ein Termin.", "description", "Geburtsdatum"),
    ("Lange Wartezeiten", "Geboren 1990 in Aleppo.", "description", "Geburtsdatum"),
    ("Rückruf unter +49 231 1234567", "Termine nach Wochen.", "title", "Telefonnummern"),
    ("Lange Wartezeiten", "Erreichbar unter 0231 12345.", "description", "Telefonnummern"),
    ("Lange Wartezeiten", "Tel. (0231) 123-456", "description", "Telefonnummern"),
    ("Lange Wartezeiten", "Handy 0176/12345678", "description", "Telefonnummern"),
    ("Lange Wartezeiten", "Mail an a.b@example.org", "description", "E-Mail"),
    ("Lange Wartezeiten", "Wohnt Musterstraße 12.", "description", "Anschriften"),
    ("Lange Wartezeiten", "Unterkunft Kölner Str. 5", "description", "Anschriften"),
    ("Lange Wartezeiten", "Unterkunft am Hauptweg 3a", "description", "Anschriften"),
    ("Lange Wartezeiten", "Unterkunft in 44135 Dortmund", "description", "Anschriften"),
    ("Warten im Fall DO-2026-T3ST-0042", "Termine nach Wochen.", "title", "keine Fallnummern"),
]
ACCEPTED = [  # general descriptions, also ones with numbers, months and ordinary words
    ("Lange Wartezeiten", "Seit Oktober 2026 Ersttermine erst nach 8 Wochen."),
    ("Wartezeiten 10/2026", "Platz 40 auf der Warteliste, 12000 Euro Kosten."),
    ("Keine Sprachmittlung", "Für Öztürkçe fehlt eine Dolmetscherin; SGB II § 16a."),
    ("Frau und Kind warten", "Die Familie wartet seit 2025, Kosten 10000 Euro."),
    ("Kitaplatz 2027 unsicher", "Eine Frau berichtet von drei Monaten Wartezeit."),
]


def _person(vault: Vault, given: str, family: str) -> None:
    from app.services.cases.records import NewCase
    from app.services.cases.write import create_case

    create_case(vault, NewCase(given_names=given, family_name=family, municipality="DO"))


@pytest.mark.parametrize(("title", "description", "field", "says"), REFUSED)
def test_personal_data_is_refused_when_recording_and_correcting(
        vault: Vault, title: str, description: str, field: str, says: str) -> None:
    _person(vault, "Ayşe", "Öztürk")
    _person(vault, "Mohammed", "Al Hassan")
    _person(vault, "Jonas", "Lange")  # a family name that is also an ordinary word
    gap = _gap(vault)
    with pytest.raises(ValidationFailed) as refused:
        record_gap(vault, NewSystemGap("waiting_time", title, description, [], "high"))
    assert (refused.value.field, says in refused.value.message_de) == (field, True)
    assert "Steuerungsgremium" in refused.value.message_de
    for found in ("Öztürk", "12.03", "0231", "Musterstraße", "Al Hassan"):
        assert found not in refused.value.message_de + refused.value.detail_en
    with pytest.raises(ValidationFailed) as refused:
        update_gap(vault, gap, title=title, description=description)
    assert refused.value.field == field
    assert [(g.title, g.description) for g in system_gaps(vault)] == [
        ("Lange Wartezeiten", "Termine erst nach Wochen.")]
    assert [k for k, _ in _audit(vault, gap)] == ["record.created"]


@pytest.mark.parametrize(("title", "description"), ACCEPTED)
def test_general_descriptions_are_accepted(vault: Vault, title: str, description: str) -> None:
    _person(vault, "Ayşe", "Öztürk")
    _person(vault, "Jonas", "Lange")
    _person(vault, "Mia", "Frau")
    uuid = record_gap(vault, NewSystemGap("waiting_time", title, description, [], "high"))
    assert [g.uuid for g in system_gaps(vault)] == [uuid]


def test_a_deleted_persons_name_is_not_looked_up(vault: Vault) -> None:
    from sqlalchemy import update

    from db.models import Person

    _person(vault, "Ayşe", "Öztürk")
    with vault.session() as s:
        s.execute(update(Person).values(deleted=True))
    record_gap(vault, NewSystemGap("waiting_time", "Frau Öztürk", "Wartet lange.", [], "high"))
