"""Dates as a caseworker types them, without Qt (the desktop's date field and the CLI share it).

Accepted, with ``today`` from the vault's clock:
``10.12.2026``, ``10.12.26``, ``1.2.26``, ``10.12.`` and ``10.12`` (this year), ``101226``,
``10122026``, ``1012`` (this year), ``2026-12-10``, ``heute``, ``morgen``, ``gestern``,
``+14`` / ``-3`` (days from today), ``+2w`` (weeks).

Anything else, and impossible dates such as 31.02.2026, raise :class:`DateInputError` with a
German message: a date that cannot be read is never replaced by another one.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from app.errors import ValidationFailed

FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside is a typo in this work, never a real date
# A two-digit year means this century unless that lies more than this far in the future
# ("12.03.90" is a birth date in 1990, "10.12.30" a deadline in 2030). Dates that can only lie
# in the past (a birth date) take the latest year not after today: "12.03.40" is 1940.
TWO_DIGIT_YEARS_AHEAD = 20
HINT = "Bitte als TT.MM.JJJJ eingeben, z. B. 10.12.2026, oder „heute“ oder „+14“ (Tage)."

_WORDS = {"heute": 0, "morgen": 1, "gestern": -1, "übermorgen": 2}
_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})\s*([twd]?)")
_SEPARATED = re.compile(r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4})?)?")
_DIGITS = re.compile(r"\d{4}|\d{6}|\d{8}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class DateInputError(ValidationFailed):
    """Typed text that is not a date (or an impossible one); the message says how to type it."""

    def __init__(self, message_de: str, detail_en: str) -> None:
        super().__init__(message_de, detail_en)


def format_date(value: date) -> str:
    """The one way Lotse writes a date: dd.mm.yyyy."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def parse_date(text: str, today: date, *, past: bool = False) -> date | None:
    """The date ``text`` stands for, None if it is empty; DateInputError if it is no date.

    ``past``: a two-digit year means the latest such year not after today (birth dates)."""
    typed = text.strip().lower()
    if not typed:
        return None
    if typed in _WORDS:
        return today + timedelta(days=_WORDS[typed])
    if match := _RELATIVE.fullmatch(typed):
        return _relative(match, today)
    if match := _ISO.fullmatch(typed):
        return _checked(int(match[1]), int(match[2]), int(match[3]))
    if match := _SEPARATED.fullmatch(typed):
        day, month, year = int(match[1]), int(match[2]), match[3]
        return _checked(_year(year, today, past), month, day)
    if _DIGITS.fullmatch(typed):
        year = typed[4:] or None
        return _checked(_year(year, today, past), int(typed[2:4]), int(typed[:2]))
    raise DateInputError(f"„{text.strip()[:30]}“ ist kein Datum. {HINT}", "not a date")


def _relative(match: re.Match[str], today: date) -> date:
    amount = int(match[2]) * (7 if match[3] == "w" else 1)
    try:
        result = today + timedelta(days=amount if match[1] == "+" else -amount)
    except OverflowError:
        result = date.max
    return _checked(result.year, result.month, result.day)


def _year(typed: str | None, today: date, past: bool = False) -> int:
    if typed is None:
        return today.year
    year = int(typed)
    if len(typed) == 2:
        ahead = 0 if past else TWO_DIGIT_YEARS_AHEAD
        year += 2000 if 2000 + year <= today.year + ahead else 1900
    return year


def _checked(year: int, month: int, day: int) -> date:
    # The English detail never carries the typed text: it may be a birth date.
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateInputError(
            f"Das Jahr {year} ist wohl ein Tippfehler: Bitte ein Datum zwischen "
            f"{FIRST_YEAR} und {LAST_YEAR} eingeben.", "year out of range")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError(
            f"Den {day:02d}.{month:02d}.{year} gibt es nicht. {HINT}",
            "impossible date") from None


TIME_HELP = "Bitte die Uhrzeit als HH:MM eingeben, z. B. 14:30, 1430 oder 9."
_TIME = re.compile(r"(\d{1,2})(?:[:.]?(\d{2}))?(?:\s*uhr)?")


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_time(text: str) -> time | None:
    """A time of day as a caseworker types it: ``14:30``, ``14.30``, ``1430``, ``930``, ``14``,
    ``9 Uhr``. Empty text is None; anything else raises ``DateInputError``."""
    typed = text.strip().lower()
    if not typed:
        return None
    match = _TIME.fullmatch(typed)
    if match is None:
        raise DateInputError(f"„{text.strip()[:20]}“ ist keine Uhrzeit. {TIME_HELP}",
                             "unreadable time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise DateInputError(f"{text.strip()[:20]} gibt es nicht als Uhrzeit. {TIME_HELP}",
                             "impossible time")
    return time(hour, minute)
