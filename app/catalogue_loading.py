"""Strict, typed loading of catalogue files into frozen dataclasses (shared by every catalogue).

Every file is ``{"catalogue": <stem>, "version": int, "description": str, "entries": [...]}``;
each entry must carry exactly the fields of its dataclass, with the annotated types. The entry
base :class:`Coded` and the look-up by code live here too, so that :mod:`app.catalogues` and
:mod:`app.catalogue_phases` share them without importing each other.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable
from importlib import resources
from typing import Any, Protocol, Union, get_args, get_origin, get_type_hints

JsonScalar = str | int | bool | None
# Equality filters as (column, value) pairs; a JSON null means IS NULL.
Where = tuple[tuple[str, JsonScalar], ...]

PACKAGE = "resources.catalogues"
FILE_KEYS = frozenset({"catalogue", "version", "description", "entries"})


class CatalogueError(ValueError):
    """A catalogue file is malformed; the message names file, entry and field."""


class UnknownCode(LookupError):
    """A code that no entry of the catalogue has."""


class _HasCode(Protocol):
    @property
    def code(self) -> str: ...


@dataclasses.dataclass(frozen=True)
class Coded:
    """Every catalogue entry: a stable code (stored in the database) and a German label."""

    code: str
    label: str


def lookup[C: Coded](items: tuple[C, ...], code: str, stem: str) -> C:
    for item in items:
        if item.code == code:
            return item
    raise UnknownCode(f"{stem}: no entry with code {code!r}")


def require(ok: bool, message: str) -> None:
    if not ok:
        raise CatalogueError(message)


def convert(tp: Any, value: Any, where: str) -> Any:
    """Check ``value`` against the annotation ``tp``; lists become tuples, objects dataclasses."""
    origin, args = get_origin(tp), get_args(tp)
    if tp == JsonScalar:
        require(value is None or isinstance(value, str | int | bool),
                 f"{where}: expected a string, number, boolean or null")
        return value
    if origin in (Union, types.UnionType):
        (inner,) = [t for t in args if t is not type(None)]
        return None if value is None else convert(inner, value, where)
    if tp == Where:
        require(isinstance(value, dict), f"{where}: expected an object of column: value")
        return tuple((str(k), convert(JsonScalar, v, f"{where}.{k}")) for k, v in value.items())
    if origin is tuple:
        require(isinstance(value, list), f"{where}: expected a list")
        return tuple(convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return build(tp, value, where)
    # bool is an int in Python; JSON true must not pass as a number of units.
    require(isinstance(value, tp) and not (tp is int and isinstance(value, bool)),
             f"{where}: expected {tp.__name__}")
    return value


def build[T](cls: Callable[..., T], data: Any, where: str) -> T:
    require(isinstance(data, dict), f"{where}: expected an object")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    require(not unknown, f"{where}: unknown keys {unknown}")
    missing = [n for n, f in fields.items() if n not in data and f.default is dataclasses.MISSING]
    require(not missing, f"{where}: missing fields {missing}")
    hints = get_type_hints(cls)
    return cls(**{n: convert(hints[n], v, f"{where}.{n}") for n, v in data.items()})


def load_entries[C: _HasCode](stem: str, cls: Callable[..., C],
                              text: str | None = None) -> tuple[C, ...]:
    """Parse one catalogue file (or ``text`` in its place, for tests and bundle previews)."""
    if text is None:
        text = resources.files(PACKAGE).joinpath(f"{stem}.json").read_text(encoding="utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(f"{stem}.json: not valid JSON ({exc})") from exc
    require(isinstance(doc, dict) and set(doc) == FILE_KEYS,
             f"{stem}.json: top level must have exactly the keys {sorted(FILE_KEYS)}")
    require(doc["catalogue"] == stem, f"{stem}.json: declares catalogue {doc['catalogue']!r}")
    entries = doc["entries"]
    require(isinstance(entries, list) and bool(entries), f"{stem}.json: no entries")
    items = tuple(
        build(cls, raw, f"{stem}.json[{raw.get('code', i) if isinstance(raw, dict) else i}]")
        for i, raw in enumerate(entries)
    )
    codes = [item.code for item in items]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    require(not duplicates, f"{stem}.json: duplicate codes {duplicates}")
    return items
