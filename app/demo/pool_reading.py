"""Strict reading of the demo pool files: exact keys, types, no empty strings, NFC text."""

from __future__ import annotations

import json
import string
import unicodedata
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import cast

from app.demo.pool_records import DemoDataError

PACKAGE = "resources.demo"


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise DemoDataError(message)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    _require(not duplicates, f"duplicate keys {duplicates}")
    return dict(pairs)


def _root() -> Traversable:
    """The folder the pools are read from (the ``resources.demo`` package)."""
    return resources.files(PACKAGE)


def _load(name: str, schema: str, keys: Iterable[str]) -> dict[str, object]:
    text = _root().joinpath(name).read_text(encoding="utf-8")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (json.JSONDecodeError, DemoDataError) as exc:
        raise DemoDataError(f"{name}: {exc}") from exc
    data = _object(doc, name, {"schema", "about", *keys})
    _require(data["schema"] == schema, f"{name}: schema must be {schema!r}")
    _text(data["about"], f"{name}.about")
    return data


def _object(
    value: object, where: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, object]:
    _require(isinstance(value, dict), f"{where}: expected an object")
    data = cast(dict[str, object], value)
    required, optional = set(required), set(optional)
    missing = sorted(required - set(data))
    unknown = sorted(set(data) - required - optional)
    _require(not missing, f"{where}: missing keys {missing}")
    _require(not unknown, f"{where}: unknown keys {unknown}")
    return data


def _text(value: object, where: str) -> str:
    _require(isinstance(value, str), f"{where}: expected a string")
    text = cast(str, value)
    _require(bool(text) and text == text.strip(), f"{where}: empty or padded string {text!r}")
    _require(" " * 2 not in text, f"{where}: double space in {text!r}")
    _require(unicodedata.is_normalized("NFC", text), f"{where}: not NFC-normalised: {text!r}")
    return text


def _texts(value: object, where: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and bool(value), f"{where}: expected a non-empty list")
    items = tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(cast(list[object], value)))
    duplicates = sorted({v for v in items if items.count(v) > 1})
    _require(not duplicates, f"{where}: duplicates {duplicates}")
    return items


def _optional_text(value: object, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _number(value: object, where: str, *, at_most: float | None = None) -> float:
    _require(
        isinstance(value, int | float) and not isinstance(value, bool),
        f"{where}: expected a number",
    )
    number = float(cast(float, value))
    _require(number > 0, f"{where}: must be positive")
    _require(at_most is None or number <= at_most, f"{where}: must be at most {at_most}")
    return number


def _code_map(value: object, where: str) -> dict[str, object]:
    _require(isinstance(value, dict) and bool(value), f"{where}: expected a non-empty object")
    data = cast(dict[str, object], value)
    for key in data:
        _require(key.isascii() and key.strip() == key and key != "", f"{where}: bad code {key!r}")
    return data


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
