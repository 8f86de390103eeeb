"""Strict reading of the demo pool files: exact keys, types, no empty strings, NFC text."""

from __future__ import annotations

import json
import string
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import cast

from app.demo.pool_records import DemoDataError

PACKAGE = "resources.demo"


def require(ok: bool, message: str) -> None:
    """Raise :class:`DemoDataError` with ``message`` unless ``ok``."""
    if not ok:
        raise DemoDataError(message)


def repeated(items: Iterable[str]) -> list[str]:
    """The items that occur more than once, sorted."""
    seen: set[str] = set()
    twice: set[str] = set()
    for item in items:
        (twice if item in seen else seen).add(item)
    return sorted(twice)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    duplicates = repeated(key for key, _ in pairs)
    require(not duplicates, f"duplicate keys {duplicates}")
    return dict(pairs)


def pool_root() -> Traversable:
    """The folder the pools are read from (the ``resources.demo`` package)."""
    return resources.files(PACKAGE)


def load_document(name: str, schema: str, keys: Iterable[str]) -> dict[str, object]:
    """Parse pool file ``name``: its schema tag, its ``about`` text and exactly ``keys``."""
    text = pool_root().joinpath(name).read_text(encoding="utf-8")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (json.JSONDecodeError, DemoDataError) as exc:
        raise DemoDataError(f"{name}: {exc}") from exc
    data = as_object(doc, name, {"schema", "about", *keys})
    require(data["schema"] == schema, f"{name}: schema must be {schema!r}")
    as_text(data["about"], f"{name}.about")
    return data


def as_object(
    value: object, where: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, object]:
    """A JSON object with all ``required`` keys and no keys beyond ``optional``."""
    require(isinstance(value, dict), f"{where}: expected an object")
    data = cast(dict[str, object], value)
    required, optional = set(required), set(optional)
    missing = sorted(required - set(data))
    unknown = sorted(set(data) - required - optional)
    require(not missing, f"{where}: missing keys {missing}")
    require(not unknown, f"{where}: unknown keys {unknown}")
    return data


def as_objects(
    value: object, where: str, required: Iterable[str]
) -> Iterator[tuple[str, dict[str, object]]]:
    """Each object of a non-empty JSON list, with its position for error messages."""
    require(isinstance(value, list) and bool(value), f"{where}: expected a non-empty list")
    for i, item in enumerate(cast(list[object], value)):
        yield f"{where}[{i}]", as_object(item, f"{where}[{i}]", required)


def as_text(value: object, where: str) -> str:
    """A non-empty, unpadded, NFC-normalised string without double spaces."""
    require(isinstance(value, str), f"{where}: expected a string")
    text = cast(str, value)
    require(bool(text) and text == text.strip(), f"{where}: empty or padded string {text!r}")
    require(" " * 2 not in text, f"{where}: double space in {text!r}")
    require(unicodedata.is_normalized("NFC", text), f"{where}: not NFC-normalised: {text!r}")
    return text


def as_texts(value: object, where: str) -> tuple[str, ...]:
    """A non-empty list of distinct strings, each checked like :func:`as_text`."""
    require(isinstance(value, list) and bool(value), f"{where}: expected a non-empty list")
    items = tuple(as_text(v, f"{where}[{i}]") for i, v in enumerate(cast(list[object], value)))
    duplicates = repeated(items)
    require(not duplicates, f"{where}: duplicates {duplicates}")
    return items


def as_optional_text(value: object, where: str) -> str | None:
    """``None``, or a string checked like :func:`as_text`."""
    return None if value is None else as_text(value, where)


def as_number(value: object, where: str, *, at_most: float | None = None) -> float:
    """A positive number (not a boolean), optionally bounded above."""
    require(
        isinstance(value, int | float) and not isinstance(value, bool),
        f"{where}: expected a number",
    )
    number = float(cast(float, value))
    require(number > 0, f"{where}: must be positive")
    require(at_most is None or number <= at_most, f"{where}: must be at most {at_most}")
    return number


def as_code_map(value: object, where: str) -> dict[str, object]:
    """A non-empty JSON object keyed by ASCII codes."""
    require(isinstance(value, dict) and bool(value), f"{where}: expected a non-empty object")
    data = cast(dict[str, object], value)
    for key in data:
        require(key.isascii() and key.strip() == key and key != "", f"{where}: bad code {key!r}")
    return data


def as_text_map(value: object, where: str) -> dict[str, str]:
    """A code map whose values are labels, each checked like :func:`as_text`."""
    return {
        code: as_text(label, f"{where}.{code}") for code, label in as_code_map(value, where).items()
    }


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names a format string uses."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
