"""Argument types for the parser: a bad value is a usage error (exit 1) with a clear message,
never an IndexError or OverflowError deep in a service."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from app.services.cases.queries import MAX_ROW_ID

_DIGITS = re.compile(r"[0-9]{1,20}")
_UUID = re.compile(r"[0-9a-f]{32}")
MAX_REF_CHARS = 64  # a case number is about 20 characters, a uuid 32


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``, written in ASCII digits (no sign, no spaces)."""

    def parse(text: str) -> int:
        value = int(text) if _DIGITS.fullmatch(text) else None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low:,} to {high:,}, not {text[:24]!r}")
        return value

    parse.__name__ = "number"  # argparse names the type in its messages
    return parse


def case_ref(text: str) -> str:
    """A case id (1 to 2**63-1), a case number or a uuid; what cannot be one is refused here."""
    ref = text.strip()
    if not ref or len(ref) > MAX_REF_CHARS or not ref.isprintable():
        raise argparse.ArgumentTypeError(
            f"a case id, case number or uuid has 1 to {MAX_REF_CHARS} printable characters")
    if ref.isdigit() and not (_DIGITS.fullmatch(ref) and 0 < int(ref) <= MAX_ROW_ID):
        raise argparse.ArgumentTypeError(
            f"a case id is a whole number from 1 to {MAX_ROW_ID:,}, not {ref[:24]!r}")
    return ref


def conference_id(text: str) -> str:
    """A record's uuid: 32 hex digits (dashes and capitals, as other programs print a uuid,
    are accepted and dropped)."""
    value = text.strip().replace("-", "").lower()
    if not _UUID.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"an id is a uuid of 32 hexadecimal digits, not {text[:40]!r}")
    return value


_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,62}")


def serial(text: str) -> str:
    """A certificate's serial as printed (letters, digits, dashes: ``DO-2026-7KQ3-B0012``)."""
    value = text.strip()
    if not _SERIAL.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"a serial has 3 to 63 letters, digits and dashes, not {text[:40]!r}")
    return value.upper()


def field_value(text: str) -> tuple[str, str]:
    """``key=value`` of a template field (the value may contain further ``=``)."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key):
        raise argparse.ArgumentTypeError(
            f"a field is key=value with a lower-case key, not {text[:40]!r}")
    return key, value
