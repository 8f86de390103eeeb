"""Dates as caseworkers type them (app.date_input): every accepted form, refusals, properties."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.date_input import DateInputError, format_date, parse_date, parse_time
from app.errors import ValidationFailed

TODAY = date(2026, 11, 25)  # the tests' vault clock


@pytest.mark.parametrize(("typed", "expected"), [
    ("10.12.2026", date(2026, 12, 10)),
    ("10.12.26", date(2026, 12, 10)),
    ("1.2.26", date(2026, 2, 1)),
    ("101226", date(2026, 12, 10)),
    ("10122026", date(2026, 12, 10)),
    ("10.12.", date(2026, 12, 10)),
    ("10.12", date(2026, 12, 10)),
    ("1012", date(2026, 12, 10)),
    (" 10.12.2026 ", date(2026, 12, 10)),
    ("2026-12-10", date(2026, 12, 10)),
    ("heute", TODAY),
    ("Heute", TODAY),
    ("morgen", TODAY + timedelta(days=1)),
    ("gestern", TODAY - timedelta(days=1)),
    ("+14", TODAY + timedelta(days=14)),
    ("-3", TODAY - timedelta(days=3)),
    ("+2w", TODAY + timedelta(days=14)),
    ("12.03.90", date(1990, 3, 12)),  # a birth date: last century
    ("01.01.46", date(2046, 1, 1)),  # up to 20 years ahead: this century
    ("01.01.47", date(1947, 1, 1)),
    ("29.02.2028", date(2028, 2, 29)),
])
def test_accepted_forms(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("12.03.40", date(1940, 3, 12)),  # an 86-year-old, not someone born in 2040
    ("120340", date(1940, 3, 12)),
    ("01.01.26", date(2026, 1, 1)),  # this year is not after today's year
    ("01.01.27", date(1927, 1, 1)),
    ("12.03.90", date(1990, 3, 12)),
    ("12.03.2040", date(2040, 3, 12)),  # four digits are taken as typed (and then refused)
])
def test_past_dates_read_two_digit_years_backwards(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY, past=True) == expected


@given(st.dates(min_value=date(1927, 1, 1), max_value=TODAY))
def test_past_six_digits_never_land_in_the_future(day: date) -> None:
    assert parse_date(day.strftime("%d%m%y"), TODAY, past=True) == day


@pytest.mark.parametrize("typed", ["", "   "])
def test_empty_is_no_date(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


@pytest.mark.parametrize(("typed", "says"), [
    ("31.02.2026", "Den 31.02.2026 gibt es nicht."),
    ("29.02.2027", "Den 29.02.2027 gibt es nicht."),
    ("32.12.", "Den 32.12.2026 gibt es nicht."),
    ("10.13.2026", "Den 10.13.2026 gibt es nicht."),
    ("10.12.1850", "Das Jahr 1850 ist wohl ein Tippfehler"),
    ("+99999", "ist kein Datum"),
    ("+9999w", "ist wohl ein Tippfehler"),
    ("10.12.026", "ist kein Datum"),
    ("Montag", "„Montag“ ist kein Datum."),
    ("1.2.3.4", "ist kein Datum"),
])
def test_refused_with_a_german_message(typed: str, says: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse_date(typed, TODAY)
    assert says in refused.value.message_de
    assert isinstance(refused.value, ValidationFailed)  # forms show it like any other refusal
    assert typed.strip() not in refused.value.detail_en or not typed.strip()


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_survives_format_then_parse(day: date) -> None:
    assert parse_date(format_date(day), TODAY) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2046, 12, 31)))
def test_six_digits_read_as_ddmmyy(day: date) -> None:
    assert parse_date(day.strftime("%d%m%y"), TODAY) == day


@given(st.text(max_size=40))
def test_garbage_raises_only_the_parsers_error(text: str) -> None:
    try:
        result = parse_date(text, TODAY)
    except DateInputError as exc:
        assert exc.message_de
    else:
        assert result is None or date(1900, 1, 1) <= result <= date(2100, 12, 31)


@given(st.from_regex(r"[0-9.+\-/w ]{0,12}", fullmatch=True))
def test_date_like_garbage_raises_only_the_parsers_error(text: str) -> None:
    try:
        result = parse_date(text, TODAY)
    except DateInputError as exc:
        assert exc.message_de.endswith((".", ")"))
    else:
        assert result is None or isinstance(result, date)


@pytest.mark.parametrize(("typed", "expected"), [
    ("14:30", time(14, 30)), ("14.30", time(14, 30)), ("1430", time(14, 30)),
    ("930", time(9, 30)), ("9", time(9, 0)), ("9 Uhr", time(9, 0)), ("0000", time(0, 0)),
    ("23:59", time(23, 59)), ("", None)])
def test_times_are_read_as_typed(typed: str, expected: time | None) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "12:60", "abc", "1:2", "12345", "14:3"])
def test_what_is_no_time_is_refused_in_german(typed: str) -> None:
    with pytest.raises(DateInputError) as exc:
        parse_time(typed)
    assert "Uhrzeit" in exc.value.message_de
