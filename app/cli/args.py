"""Argument types for the parser: a bad value is a usage error (exit 1) with a clear message,
never an error deep in a service."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

_DIGITS = re.compile(r"[0-9]{1,20}")


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
