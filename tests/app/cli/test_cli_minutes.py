"""``lotse conference ics`` and ``lotse minutes`` as a user runs them on a real vault with the
demo's conferences: the files read back (icalendar, pdftotext), and every refusal leaves the
target folder as it was (nothing half-written, nothing replaced)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.services.conferences.records import APPROVED, PLANNED
from app.vault.store import Vault
from db.folding import fold_search
from db.models import (
    CaseFile,
    ConferenceParticipant,
    Contact,
    Person,
)
from tests.conftest import run_cli
from tests.support.conference_demo import UNKNOWN, clients, events, last_seq, one

# --- files ------------------------------------------------------------------------------------

def test_the_invitation_is_written_and_carries_no_client_data(demo: tuple[Vault, Path],
                                                             tmp_path: Path) -> None:
    vault, folder = demo
    conf = one(vault, PLANNED)
    out = tmp_path / "einladung.ics"
    since = last_seq(vault)
    res = run_cli("conference", "ics", conf.uuid, "--out", str(out), vault=folder)
    assert res.returncode == 0, res.stderr
    data = out.read_bytes()
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == conf.title
    assert event.decoded("DTSTART") == conf.scheduled_at.replace(tzinfo=UTC)
    assert str(event["LOCATION"]) == conf.place
    with vault.read_session() as s:  # the directory's contacts are invited by their address
        emails = sorted(s.execute(select(Contact.email).join(
            ConferenceParticipant, ConferenceParticipant.contact_id == Contact.id)
            .where(ConferenceParticipant.conference_id == conf.id)).scalars())
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert emails and sorted(str(a).removeprefix("mailto:") for a in attendees) == emails
    flat = data.replace(b"\r\n ", b"").decode("utf-8")
    for given, family, number in clients(vault, conf):
        assert family not in flat and given not in flat and number not in flat
    assert events(vault, since, conf.uuid) == [
        ("conference.invitation_saved", {"action": "ics", "version": "full"})]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["einladung.ics"]


def test_the_minutes_are_written_as_pdf_full_and_pseudonymised(demo: tuple[Vault, Path],
                                                               tmp_path: Path) -> None:
    vault, folder = demo
    conf = one(vault, APPROVED)
    full, pseudo = tmp_path / "protokoll.pdf", tmp_path / "protokoll-pseudonym.pdf"
    since = last_seq(vault)
    res = run_cli("minutes", conf.uuid, "--out", str(full), vault=folder)
    assert res.returncode == 0, res.stderr
    res = run_cli("minutes", conf.uuid, "--out", str(pseudo), "--pseudonymised", vault=folder)
    assert res.returncode == 0, res.stderr
    full_text, pseudo_text = (_pdftext(full), _pdftext(pseudo))
    assert conf.title in full_text and "Seite 1 von" in full_text
    on_agenda = clients(vault, conf)
    assert any(family in full_text for _, family, _ in on_agenda)
    for given, family, _ in on_agenda:
        assert family not in pseudo_text and given not in pseudo_text
    # Not only the clients on the agenda: no name of any person in the vault (every one,
    # household members too), as a word, in any case, anywhere in the pseudonymised copy.
    words = {fold_search(w) for w in re.findall(r"\w+", pseudo_text)}
    with vault.read_session() as s:
        people = s.execute(select(Person.given_names, Person.family_name,
                                  Person.birth_name)).all()
    assert len(people) > len(on_agenda)
    tokens = {fold_search(t) for row in people for name in row if name
              for t in re.findall(r"\w+", name) if len(t) > 1}
    assert sorted(tokens & words) == []
    assert events(vault, since, conf.uuid) == [
        ("conference.minutes_saved", {"action": "pdf", "version": "full"}),
        ("conference.minutes_saved", {"action": "pdf", "version": "pseudonymised"})]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protokoll-pseudonym.pdf",
                                                          "protokoll.pdf"]


def _pdftext(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("command", ["ics", "minutes"])
def test_refusals_write_nothing(demo: tuple[Vault, Path], tmp_path: Path,
                                command: str) -> None:
    vault, folder = demo
    conf = one(vault, APPROVED)

    def run(ref: str, out: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
        args = ("conference", "ics") if command == "ics" else ("minutes",)
        return run_cli(*args, ref, "--out", str(out), vault=folder, **kw)

    since = last_seq(vault)
    existing = tmp_path / "vorhanden.bin"
    existing.write_bytes(b"keep me")
    res = run(conf.uuid, existing)
    assert res.returncode == 2 and "already exists" in res.stderr
    assert existing.read_bytes() == b"keep me"

    # Checked before the vault is opened: no passphrase is even asked for.
    res = run(conf.uuid, tmp_path / "fehlt" / "datei", passphrase=None)
    assert res.returncode == 2 and "does not exist" in res.stderr
    assert not (tmp_path / "fehlt").exists()

    res = run(UNKNOWN, tmp_path / "unbekannt")
    assert res.returncode == 1 and f"no conference {UNKNOWN}" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vorhanden.bin"]
    assert events(vault, since, conf.uuid) == []  # nothing went out, nothing is audited
    for given, family, number in clients(vault, conf):
        assert family not in res.stderr and number not in res.stderr


def test_minutes_of_a_conference_not_yet_held_are_refused(demo: tuple[Vault, Path],
                                                          tmp_path: Path) -> None:
    vault, folder = demo
    conf = one(vault, PLANNED)
    res = run_cli("minutes", conf.uuid, "--out", str(tmp_path / "p.pdf"), vault=folder)
    assert res.returncode in (1, 2) and "not held" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_title_naming_the_client_does_not_reach_the_invitation(tmp_path: Path,
                                                                 vault: Vault,
                                                                 vault_dir: Path) -> None:
    """Typed by a hurried caseworker: the client's name in the title, the case number in the
    place. The file holds neither; what it holds is the service's safe title."""
    from app.services.cases.records import NewCase
    from app.services.cases.write import create_case
    from app.services.conferences.records import AgendaInput, ConferencePlan
    from app.services.conferences.write import create_conference, set_agenda

    case_id = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    with vault.read_session() as s:
        number = s.execute(select(CaseFile.case_number).where(CaseFile.id == case_id)
                           ).scalar_one()
    uuid = create_conference(vault, ConferencePlan(
        title="Fallkonferenz Haidari", scheduled_at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
        place=f"Rathaus, Raum 214 ({number})"))
    set_agenda(vault, uuid, [AgendaInput(case_id, "Übergang in Ausbildung", ("residence",))])
    out = tmp_path / "einladung.ics"
    res = run_cli("conference", "ics", uuid, "--out", str(out), vault=vault_dir)
    assert res.returncode == 0, res.stderr
    flat = out.read_bytes().replace(b"\r\n ", b"").decode("utf-8")
    assert "Haidari" not in flat and "Mariam" not in flat and number not in flat
    (event,) = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Fallkonferenz")
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
