"""Reading the rows of a bundle payload: layouts, manifest and row arrays (docs/bundle-format.md,
5); writing them is ``app.bundle.rows_write``.

Rows of one table with the same columns share a layout ``[table, [[column, kind], …]]``. A row
travels as the CBOR array ``[layout, deleted, origin_vault, changed_by_vault, field_stamps,
alternatives, value_1, …, value_n]`` (values in its layout's column order), embedded as a byte
string; its manifest entry ``[table, uuid, version_vector, SHA-256 of those bytes]`` names it.
Arrays need no key sorting, and a column whose values are all dates or all date/times (or null)
travels as integers (kind ``date``: days since 1970-01-01, ``datetime``: microseconds since
1970-01-01T00:00:00Z), decided once per layout and converted per column, so neither side
formats or parses text per value. Decoding checks every hash before any row is decoded, then
every type, column by column.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import chain, groupby, repeat
from operator import itemgetter, methodcaller
from typing import Any

from app.bundle import cbor
from app.bundle.records import BundleRejected
from app.bundle.rows_write import (
    DATE,
    DATETIME,
    EPOCH,
    EPOCH_DAY,
    MICROSECOND,
    ROW_HEAD,
    VALUE,
    EncodedRows,
    encode_images,
)
from db.row_image import RowImage

__all__ = ["EncodedRows", "decode_layouts", "decode_rows", "encode_images"]

KINDS = (VALUE, DATE, DATETIME)

MAX_DEPTH = 32
MAX_TEXT = 1024
DAYS = (date.min.toordinal() - EPOCH_DAY, date.max.toordinal() - EPOCH_DAY)
MICROS = ((datetime.min.replace(tzinfo=UTC) - EPOCH) // MICROSECOND,
          (datetime.max.replace(tzinfo=UTC) - EPOCH) // MICROSECOND)
_NONE = type(None)
_CONTAINERS = frozenset({list, dict})
_INT_ONLY = frozenset({int, _NONE})
_COUNTER_MAX = 1 << 63
_DIGEST = methodcaller("digest")


# -- reading -----------------------------------------------------------------------------------
def _bad(detail: str) -> BundleRejected:
    return BundleRejected("payload_malformed", detail)


def _mismatch(i: int) -> BundleRejected:
    return BundleRejected("manifest_mismatch", f"row {i} differs from its entry")


Layout = tuple[str, tuple[str, ...], tuple[str, ...]]


def decode_layouts(value: Any) -> tuple[list[Layout], int]:
    """The layouts and their item count; payload_malformed for anything off."""
    if type(value) is not list:
        raise _bad("layouts are not a list")
    out: list[Layout] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    items = 1
    for layout in value:
        if type(layout) is not list or len(layout) != 2 or type(layout[1]) is not list:
            raise _bad("layout is not [table, columns]")
        table, columns = layout
        if type(table) is not str or not 0 < len(table) <= MAX_TEXT:
            raise _bad("layout table is not a short text")
        names: list[str] = []
        kinds: list[str] = []
        for column in columns:
            if type(column) is not list or len(column) != 2:
                raise _bad("layout column is not [name, kind]")
            name, kind = column
            if type(name) is not str or not 0 < len(name) <= MAX_TEXT:
                raise _bad("column name is not a short text")
            if type(kind) is not str or kind not in KINDS:
                raise _bad("unknown column kind")
            names.append(name)
            kinds.append(kind)
        if len(set(names)) != len(names):
            raise _bad("a column named twice in a layout")
        key = (table, tuple(names))
        if key in seen:
            raise _bad("a layout given twice")
        seen.add(key)
        out.append((table, key[1], tuple(kinds)))
        items += 3 + 3 * len(names)
    return out, items


def decode_rows(layouts: list[Layout], manifest: Any, rows: Any,
                ) -> tuple[tuple[RowImage, ...], int]:
    """Rows in manifest order and their item count: every hash checked before any row is
    decoded, then every row against its layout and its entry. Checks run column by column
    over runs of rows with the same layout (C loops, not a Python loop per value)."""
    if type(manifest) is not list or type(rows) is not list:
        raise _bad("rows or manifest not a list")
    if not set(map(type, rows)) <= {bytes}:
        raise _bad("a row is not a byte string")
    if len(manifest) != len(rows):
        raise BundleRejected("manifest_mismatch", "manifest and rows differ in number")
    if not rows:
        return (), 2
    if not set(map(type, manifest)) <= {list} or set(map(len, manifest)) != {4}:
        raise _mismatch(next(i for i, e in enumerate(manifest) if type(e) is not list
                             or len(e) != 4))
    tables, uuids, vectors, hashes = zip(*manifest, strict=True)
    digests = tuple(map(_DIGEST, map(hashlib.sha256, rows)))
    if digests != hashes:
        raise _mismatch(next(i for i, (d, h) in enumerate(zip(digests, hashes, strict=True))
                             if d != h))
    decoded = _decode_all(rows)
    if not set(map(type, uuids)) <= {str} or max(map(len, uuids)) > MAX_TEXT:
        raise _bad("row uuid is not a short text")
    items = 2 + 5 * len(rows) + _check_vectors(vectors)
    if not set(map(type, decoded)) <= {list} or min(map(len, decoded)) < ROW_HEAD:
        raise _bad("a row is not an array with its head")
    out: list[RowImage] = []
    at = 0
    for index, run in groupby(map(itemgetter(0), decoded)):
        if type(index) is not int or not 0 <= index < len(layouts):
            raise _bad(f"row {at} names no layout")
        end = at + sum(1 for _ in run)
        items += _fill(layouts[index], decoded[at:end], tables[at:end], uuids[at:end],
                       vectors[at:end], out)
        at = end
    return tuple(out), items


def _decode_all(rows: list[bytes]) -> list[Any]:
    """Each row's one item, read in one pass: an item must end exactly where its bytes do."""
    stream = io.BytesIO(b"".join(rows))
    decoder = cbor.decoder(stream, max_depth=MAX_DEPTH)
    out = []
    end = 0
    try:
        for data in rows:
            end += len(data)
            out.append(decoder.decode())
            if stream.tell() != end:
                raise _bad("a row is not exactly one item")
    except cbor.CborError as exc:
        raise _bad(f"row: {exc}") from None
    except cbor.DECODE_ERRORS as exc:
        raise _bad(f"row: CBOR not decodable: {type(exc).__name__}") from None
    return out


def _check_vectors(vectors: tuple[Any, ...]) -> int:
    """Items of the version vectors: maps of vault uuid -> counter (distinct keys checked once,
    counters as one column)."""
    if not set(map(type, vectors)) <= {dict}:
        raise _bad("version vector is not a map")
    keys = set(chain.from_iterable(vectors))
    counters = list(chain.from_iterable(map(dict.values, vectors)))
    if not all(type(k) is str and len(k) <= MAX_TEXT for k in keys) \
            or not set(map(type, counters)) <= {int} \
            or (counters and (min(counters) < 0 or max(counters) >= _COUNTER_MAX)):
        raise _bad("version vector is not vault -> counter")
    return len(vectors) + 2 * len(counters)


def _stamps_of(stamps: dict[Any, Any]) -> tuple[dict[str, tuple[str, int]], int]:
    out: dict[str, tuple[str, int]] = {}
    for column, stamp in stamps.items():
        if type(column) is not str or len(column) > MAX_TEXT or type(stamp) is not list \
                or len(stamp) != 2 or type(stamp[0]) is not str or len(stamp[0]) > MAX_TEXT \
                or type(stamp[1]) is not int or not 0 <= stamp[1] < _COUNTER_MAX:
            raise _bad("field stamp is not column -> [vault, n]")
        out[column] = (stamp[0], stamp[1])
    return out, 4 * len(out)


def _alternatives_of(value: dict[Any, Any], columns: tuple[str, ...],
                     ) -> tuple[dict[str, tuple[tuple[str, int, Any], ...]], int]:
    out: dict[str, tuple[tuple[str, int, Any], ...]] = {}
    items = 0
    for column, alts in value.items():
        if type(column) is not str or column not in columns:
            raise _bad("alternatives for a column the row does not have")
        if type(alts) is not list:
            raise _bad("alternatives of a column are not a list")
        entries = []
        for alt in alts:
            if type(alt) is not list or len(alt) != 3 or type(alt[0]) is not str \
                    or len(alt[0]) > MAX_TEXT or type(alt[1]) is not int \
                    or not 0 <= alt[1] < _COUNTER_MAX:
                raise _bad("alternative is not [vault, n, value]")
            try:
                items += cbor.check(alt)
            except cbor.CborError as exc:
                raise _bad(f"alternative: {exc}") from None
            entries.append((alt[0], alt[1], alt[2]))
        out[column] = tuple(entries)
        items += 2
    return out, items


def _fill(layout: Layout, chunk: list[Any], tables: tuple[Any, ...], uuids: tuple[Any, ...],
          vectors: tuple[Any, ...], out: list[RowImage]) -> int:
    """Images of a run of rows with one layout, checked and converted column by column."""
    table, columns, kinds = layout
    n = len(chunk)
    if set(map(len, chunk)) != {ROW_HEAD + len(columns)}:
        raise _bad("a row has not as many values as its layout has columns")
    if tables.count(table) != n:
        raise BundleRejected("manifest_mismatch", "a row's table differs from its entry")
    _, deleted, origin, changed, stamps, alternatives, *values = zip(*chunk, strict=True)
    if not set(map(type, deleted)) <= {bool}:
        raise _bad("row deleted flag is not a bool")
    if not set(map(type, origin)) | set(map(type, changed)) <= {str} \
            or max(max(map(len, origin)), max(map(len, changed))) > MAX_TEXT:
        raise _bad("row vaults are not short texts")
    if not set(map(type, stamps)) | set(map(type, alternatives)) <= {dict}:
        raise _bad("row stamps or alternatives are not maps")
    items = n * (1 + ROW_HEAD + len(columns))
    if any(stamps):
        checked = [_stamps_of(s) if s else (s, 0) for s in stamps]
        stamps = tuple(s for s, _ in checked)
        items += sum(k for _, k in checked)
    if any(alternatives):
        held = [_alternatives_of(a, columns) if a else (a, 0) for a in alternatives]
        alternatives = tuple(a for a, _ in held)
        items += sum(k for _, k in held)
    converted: list[Any] = []
    for column, kind in zip(values, kinds, strict=True):
        types = set(map(type, column))
        if kind == VALUE:
            if not types <= cbor.READ_SCALARS | _CONTAINERS:
                raise _bad("a value of a type the format excludes")
            if types & _CONTAINERS:
                items += _nested(column)
            converted.append(column)
            continue
        if not types <= _INT_ONLY:
            raise _bad(f"a {kind} column holds something else than integers")
        numbers = [v for v in column if v is not None]
        low, high = DAYS if kind == DATE else MICROS
        if numbers and (min(numbers) < low or max(numbers) > high):
            raise _bad(f"a {kind} out of range")
        if kind == DATE:
            converted.append([None if v is None else date.fromordinal(v + EPOCH_DAY)
                              for v in column])
        else:
            converted.append([None if v is None else EPOCH + timedelta(microseconds=v)
                              for v in column])
    per_row = zip(*converted, strict=True) if columns else repeat((), n)
    out.extend(map(RowImage, repeat(table, n), uuids, deleted, origin, changed, vectors, stamps,
                   map(dict, map(zip, repeat(columns), per_row)), alternatives))
    return items


def _nested(column: Sequence[Any]) -> int:
    items = 0
    try:
        for v in column:
            if type(v) is list or type(v) is dict:
                items += cbor.check(v)
    except cbor.CborError as exc:
        raise _bad(f"value: {exc}") from None
    return items
