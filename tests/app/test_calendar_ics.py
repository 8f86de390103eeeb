"""The conference invitation (.ics): parsed back with icalendar, field by field; RFC 5545 lines
(CRLF, folded at 75 octets); nothing goes in but the event's own fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from app.calendar_ics import AGENDA_NOTE, conference_ics
from app.services.conferences.records import CalendarAttendee, CalendarEvent

STAMP = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
BERLIN_WINTER = timezone(timedelta(hours=1))


def _event(**changes: object) -> CalendarEvent:
    fields: dict[str, object] = dict(
        uid="3f2a9c1e0b7d4e5f8a6b1c2d3e4f5a6b@lotse", title="Fallkonferenz Übergang Schule–Beruf",
        starts_at=datetime(2026, 12, 8, 10, 0, tzinfo=BERLIN_WINTER), duration_minutes=90,
        place="Kommunales Integrationszentrum Dortmund, Raum 2.14", organizer="Katrin Böhm",
        attendees=(CalendarAttendee("Frau Öztürk", "oeztuerk@jobcenter-do.example"),
                   CalendarAttendee("Herr Nowak", "nowak@abh.example"),
                   CalendarAttendee("Dolmetscherin Arabisch", None)),
        sequence=2, organizer_email="k.boehm@stadt-do.example")
    fields.update(changes)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def _vevent(data: bytes) -> tuple[Calendar, Calendar]:
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_every_field_parses_back() -> None:
    data = conference_ics(_event(), stamp=STAMP)
    assert b"\r\nDTSTART:20261208T090000Z\r\n" in data  # UTC, no VTIMEZONE to mismatch
    cal, ev = _vevent(data)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal["VERSION"]) == "2.0"
    assert str(ev["UID"]) == "3f2a9c1e0b7d4e5f8a6b1c2d3e4f5a6b@lotse"
    assert ev.decoded("DTSTAMP") == STAMP
    # 10:00 in Berlin (winter) is 09:00 UTC; written in UTC so every client converts it.
    assert ev.decoded("DTSTART") == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    assert ev.decoded("DTEND") == datetime(2026, 12, 8, 10, 30, tzinfo=UTC)
    assert str(ev["SUMMARY"]) == "Fallkonferenz Übergang Schule–Beruf"
    assert str(ev["LOCATION"]) == "Kommunales Integrationszentrum Dortmund, Raum 2.14"
    assert int(ev["SEQUENCE"]) == 2
    assert str(ev["ORGANIZER"]) == "mailto:k.boehm@stadt-do.example"
    assert ev["ORGANIZER"].params["CN"] == "Katrin Böhm"
    attendees = ev["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:oeztuerk@jobcenter-do.example",
                                           "mailto:nowak@abh.example"]
    assert [a.params["CN"] for a in attendees] == ["Frau Öztürk", "Herr Nowak"]
    assert all(a.params["RSVP"] == "TRUE" for a in attendees)
    description = str(ev["DESCRIPTION"])
    assert description.startswith(AGENDA_NOTE)
    assert "Datenschutz" in description
    # No calendar address for a person without e-mail: listed by name in the description.
    assert "Weitere Teilnehmende (ohne E-Mail-Adresse): Dolmetscherin Arabisch" in description


def test_lines_are_crlf_and_folded_at_75_octets() -> None:
    long_place = "Beratungszentrum für Zuwanderung und Integration, Großer Sitzungssaal " * 3
    data = conference_ics(_event(place=long_place), stamp=STAMP)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # a folded continuation
    for line in lines:
        line.decode("utf-8")  # a fold never splits an umlaut's bytes
    _, ev = _vevent(data)
    assert str(ev["LOCATION"]) == " ".join(long_place.split())


def test_nothing_but_the_events_fields_goes_in() -> None:
    # The service builds the event without client data; this module adds nothing of its own.
    event = _event(attendees=(CalendarAttendee("Herr Nowak", "nowak@abh.example"),))
    text = conference_ics(event, stamp=STAMP).decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    properties = {line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n")
                  if line}
    assert properties == {"BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "UID",
                          "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION",
                          "ORGANIZER", "ATTENDEE", "DESCRIPTION", "STATUS", "TRANSP"}
    _, ev = _vevent(text.encode())
    assert str(ev["DESCRIPTION"]) == AGENDA_NOTE


def test_without_organizer_email_it_is_an_appointment_with_the_name_in_the_text() -> None:
    cal, ev = _vevent(conference_ics(_event(organizer_email=None), stamp=STAMP))
    assert str(cal["METHOD"]) == "PUBLISH"  # REQUEST needs an organiser to answer to
    assert "ORGANIZER" not in ev
    assert "Einladung von: Katrin Böhm" in str(ev["DESCRIPTION"])


@pytest.mark.parametrize("bad", ["nowak@abh.example\r\nATTENDEE:mailto:x@y.example",
                                 "nowak at abh", "nowak@abh.example;RSVP=FALSE", ""])
def test_a_doubtful_address_is_never_written_as_one(bad: str) -> None:
    data = conference_ics(_event(attendees=(CalendarAttendee("Herr Nowak", bad),)), stamp=STAMP)
    _, ev = _vevent(data)
    assert "ATTENDEE" not in ev
    assert "Herr Nowak" in str(ev["DESCRIPTION"])
    assert b"x@y.example" not in data.replace(b"\r\n ", b"")


def test_a_title_with_line_breaks_stays_one_property() -> None:
    data = conference_ics(_event(title='Fallkonferenz\r\nATTENDEE:mailto:x@y.example "A"'),
                          stamp=STAMP)
    _, ev = _vevent(data)
    assert str(ev["SUMMARY"]) == 'Fallkonferenz ATTENDEE:mailto:x@y.example "A"'
    assert [str(a) for a in ev["ATTENDEE"]] == ["mailto:oeztuerk@jobcenter-do.example",
                                                "mailto:nowak@abh.example"]


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        conference_ics(_event(starts_at=datetime(2026, 12, 8, 10, 0)))
