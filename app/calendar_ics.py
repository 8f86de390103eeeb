"""The invitation to a case conference as an iCalendar file (RFC 5545) that Outlook imports.

It carries only what ``CalendarEvent`` holds (title, time, place, organiser, attendees): the
event is built without client data by the conference service, and nothing else of the vault is
read here. An invitation travels by e-mail, so the agenda stays out of it on purpose.

Times go out in UTC (``...Z``): every client converts them to its own zone, so no VTIMEZONE
block has to match Outlook's idea of Europe/Berlin.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from app.services.conferences.records import CalendarAttendee, CalendarEvent

PRODID = "-//Lotse//Fallkonferenz//DE"
AGENDA_NOTE = ("Die Tagesordnung und die besprochenen Fälle stehen aus Gründen des "
               "Datenschutzes nicht in dieser Einladung. Sie erhalten sie auf dem vereinbarten "
               "sicheren Weg.")
# An address Outlook can answer to; anything else (a typo, a name, injected line breaks or
# parameters) is not written as a calendar address: the person is listed by name instead.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}"
                    r"(\.[A-Za-z0-9-]{1,63})+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _clean(text: str) -> str:
    """One line, no control characters: a name or title never becomes a second property."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _cn(name: str) -> vText:
    # A double quote cannot stand inside a quoted parameter value (RFC 5545 3.1); Outlook
    # does not read RFC 6868's ^' escape either, so it becomes a plain apostrophe.
    return vText(_clean(name).replace('"', "'"))


def _address(email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip()
    return email if _EMAIL.fullmatch(email) else None


def _attendee(a: CalendarAttendee, email: str) -> vCalAddress:
    addr = vCalAddress(f"mailto:{email}")
    addr.params["CN"] = _cn(a.name)
    addr.params["CUTYPE"] = vText("INDIVIDUAL")
    addr.params["ROLE"] = vText("REQ-PARTICIPANT")
    addr.params["PARTSTAT"] = vText("NEEDS-ACTION")
    addr.params["RSVP"] = vText("TRUE")
    return addr


def _description(event: CalendarEvent, without_email: list[str], organizer_named: bool) -> str:
    lines = [AGENDA_NOTE]
    if event.organizer and not organizer_named:
        lines.append(f"Einladung von: {_clean(event.organizer)}")
    if without_email:
        # RFC 5545 wants a calendar address for every ATTENDEE; a made-up one would make
        # Outlook send replies nowhere, so these names are listed as text.
        lines.append("Weitere Teilnehmende (ohne E-Mail-Adresse): " + "; ".join(without_email))
    return "\n".join(lines)


def conference_ics(event: CalendarEvent, *, stamp: datetime | None = None) -> bytes:
    """The invitation as bytes (UTF-8, CRLF, lines folded at 75 octets by the library).

    METHOD:REQUEST needs an organiser to answer to (RFC 5546); without the organiser's
    e-mail address the file is a METHOD:PUBLISH appointment, which Outlook imports as is.
    ``stamp`` is DTSTAMP (now unless given).
    """
    if event.starts_at.tzinfo is None:
        raise ValueError("CalendarEvent.starts_at must be timezone-aware")
    starts = event.starts_at.astimezone(UTC)
    organizer_email = _address(event.organizer_email)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST" if organizer_email else "PUBLISH")
    vevent = Event()
    vevent.add("uid", _clean(event.uid))
    vevent.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    vevent.add("dtstart", starts)
    vevent.add("dtend", starts + timedelta(minutes=max(1, event.duration_minutes)))
    vevent.add("sequence", max(0, event.sequence))
    vevent.add("summary", _clean(event.title))
    if event.place:
        vevent.add("location", _clean(event.place))
    organizer_named = False
    if organizer_email:
        org = vCalAddress(f"mailto:{organizer_email}")
        if event.organizer:
            org.params["CN"] = _cn(event.organizer)
            organizer_named = True
        vevent.add("organizer", org, encode=False)
    without_email: list[str] = []
    for a in event.attendees:
        email = _address(a.email)
        if email is None:
            without_email.append(_clean(a.name))
        else:
            vevent.add("attendee", _attendee(a, email), encode=False)
    vevent.add("description", _description(event, without_email, organizer_named))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    cal.add_component(vevent)
    data: bytes = cal.to_ical()
    return data
