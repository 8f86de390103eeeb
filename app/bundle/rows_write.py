"""Writing a bundle's rows (docs/bundle-format.md, 5): the one encoder of a row's bytes.

Rows travel in runs: rows of one table with the same columns, given column by column (``Run``).
``encode_runs`` gives each run its layout (a column's kind decided once: ``date``/``datetime``
when every value is a date/a date/time or null), encodes each row as the array ``[layout,
deleted, origin_vault, changed_by_vault, field_stamps, alternatives, value_1, …]`` and its
manifest entry ``[table, uuid, version_vector, SHA-256 of the row's bytes]`` as CBOR bytes.
``encode_images`` groups ``RowImage`` objects into runs first; a reader of many rows can hand
over columns straight away (``app.sync.case_rows.case_runs``) and skip the images.
``payload_rows`` lays the three arrays into the payload map (heads written here, each entry and
row as encoded: the same bytes cbor2 writes for the lists).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter, methodcaller
from typing import Any

import cbor2

from app.bundle import cbor
from db.row_image import RowImage

VALUE, DATE, DATETIME = "value", "date", "datetime"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = date(1970, 1, 1).toordinal()
MICROSECOND = timedelta(microseconds=1)
_NONE = type(None)
_PLAIN = frozenset({str, bool, _NONE, bytes, float})  # travel as they are
_DIGEST = methodcaller("digest")
_DUMPS = cbor2.dumps
_ARRAY, _BYTES = 4, 2  # CBOR major types
ROW_HEAD = 6  # layout, deleted, origin_vault, changed_by_vault, field_stamps, alternatives


@dataclass(frozen=True)
class Run:
    """Rows of one table with the same columns, column by column (each sequence one per row,
    ``values`` one sequence per column, in ``columns`` order)."""

    table: str
    columns: Sequence[str]
    uuids: Sequence[str]
    deleted: Sequence[bool]
    origin: Sequence[str]
    changed: Sequence[str]
    vectors: Sequence[bytes]  # each row's version vector as ``vector_cbor`` writes it
    stamps: Sequence[Mapping[str, tuple[str, int]]]
    alternatives: Iterable[Mapping[str, tuple[tuple[str, int, Any], ...]]]
    values: Sequence[Sequence[Any]]


@dataclass
class EncodedRows:
    """Layouts, manifest entries and rows of a payload, each entry and row as CBOR bytes, in
    row order."""

    layouts: list[Any]
    manifest: list[bytes]
    rows: list[bytes]


def vector_cbor(vector: Mapping[str, int]) -> bytes:
    """A version vector as it travels: a map vault uuid -> counter."""
    if type(vector) is not dict or not all(type(v) is int for v in vector.values()):
        vector = cbor.normalise(dict(vector))  # as images_of makes them, else checked
    return _DUMPS(vector)


def encode_images(rows: Sequence[RowImage]) -> EncodedRows:
    """The encoded rows of ``rows``, in their order; ValueError for a value that cannot
    travel. Rows of one table with the same value keys share a layout."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, row in enumerate(rows):
        key = (row.table, tuple(row.values))
        members = groups.get(key)
        if members is None:
            groups[key] = [i]
        else:
            members.append(i)
    vectors: dict[tuple[Any, ...], bytes] = {}  # most rows hold one of a few

    def vector(v: Mapping[str, int]) -> bytes:
        key = (type(v), *v.items())
        out = vectors.get(key)
        if out is None:
            out = vectors[key] = vector_cbor(v)
        return out

    runs: list[Run] = []
    for (table, columns), members in groups.items():
        images = [rows[i] for i in members]
        uuids, deleted, origin, changed, vecs, stamps, alts, values = zip(
            *map(_HEAD, images), strict=True)
        width = len(columns)
        per_column: Any = zip(*map(tuple, map(methodcaller("values"), values)),
                              strict=True) if width else ()
        runs.append(Run(table, columns, uuids, deleted, origin, changed,
                        list(map(vector, vecs)), stamps, alts, list(per_column)))
    encoded = encode_runs(runs)
    if len(groups) <= 1:
        return encoded
    order = list(chain.from_iterable(groups.values()))  # run order -> row order
    manifest: list[bytes] = [b""] * len(rows)
    out: list[bytes] = [b""] * len(rows)
    for at, i in enumerate(order):
        manifest[i] = encoded.manifest[at]
        out[i] = encoded.rows[at]
    return EncodedRows(encoded.layouts, manifest, out)


_HEAD = attrgetter("uuid", "deleted", "origin_vault", "changed_by_vault", "version_vector",
                   "field_stamps", "alternatives", "values")


def encode_runs(runs: Iterable[Run]) -> EncodedRows:
    """Layout ``i`` for run ``i``, then its rows and entries; ValueError for a value that
    cannot travel."""
    layouts: list[Any] = []
    manifest: list[bytes] = []
    encoded: list[bytes] = []
    encode = cbor2.CBOREncoder(io.BytesIO()).encode_to_bytes
    try:
        for index, run in enumerate(runs):
            layout, data = _encode_run(index, run, encode)
            layouts.append(layout)
            encoded += data
            manifest += _entries(layout[0], run, data)
    except cbor2.CBOREncodeError as exc:
        raise ValueError(f"cannot encode: {exc}") from None
    return EncodedRows(layouts, manifest, encoded)


def _encode_run(index: int, run: Run, encode: Any) -> tuple[list[Any], list[bytes]]:
    table, columns = run.table, run.columns
    if not isinstance(table, str) or not all(isinstance(c, str) for c in columns):
        raise ValueError("table and column names must be text")
    table = str(table)  # SQLAlchemy's names are a subclass of str
    deleted, origin, changed = run.deleted, run.origin, run.changed
    if not set(map(type, deleted)) <= {bool} \
            or not set(map(type, origin)) | set(map(type, changed)) <= {str}:
        raise ValueError("row metadata of the wrong type")
    kinds, columns_out = _columns(run.values)
    if len(kinds) != len(columns):
        raise ValueError("a run has not one column of values per column")
    layout = [table, [[str(c), k] for c, k in zip(columns, kinds, strict=True)]]
    n = len(run.uuids)
    # Most rows have neither stamps nor alternatives: one shared {} then.
    stamps = run.stamps
    stamps_out = map(_stamps, stamps) if any(stamps) else repeat({}, n)
    alts = list(run.alternatives)
    alts_out = map(_alternatives, alts) if any(alts) else repeat({}, n)
    # Lists, not tuples: cbor2 encodes a list directly, a tuple only after a slow type lookup.
    data = list(map(encode, map(list, zip(
        repeat(index, n), deleted, origin, changed, stamps_out, alts_out, *columns_out,
        strict=True))))
    return layout, data


def _entries(table: str, run: Run, data: list[bytes]) -> Iterator[bytes]:
    """``[table, uuid, version_vector, sha256]`` of each row, as CBOR: the parts that repeat
    encoded once."""
    uuids = run.uuids
    if not set(map(type, uuids)) <= {str}:
        raise ValueError("a row uuid must be text")
    if len(run.vectors) != len(uuids) or not set(map(type, run.vectors)) <= {bytes}:
        raise ValueError("a run needs each row's version vector")
    head = head_of(_ARRAY, 4) + _DUMPS(table)
    digest = head_of(_BYTES, hashlib.sha256().digest_size)
    n = len(uuids)
    return map(b"".join, zip(repeat(head, n), map(_DUMPS, uuids), run.vectors,
                             repeat(digest, n), map(_DIGEST, map(hashlib.sha256, data)),
                             strict=True))


def _columns(values: Sequence[Sequence[Any]]) -> tuple[list[str], list[Any]]:
    """Each column's kind and its values as they travel."""
    kinds: list[str] = []
    out: list[Any] = []
    for column in values:
        types = set(map(type, column))
        types.discard(_NONE)
        if types <= _PLAIN:
            kinds.append(VALUE)
            out.append(column)
        elif types <= _PLAIN | {int}:
            numbers = [v for v in column if type(v) is int]
            if min(numbers) < cbor.INT_MIN or max(numbers) > cbor.INT_MAX:
                raise ValueError("integer outside the CBOR range")
            kinds.append(VALUE)
            out.append(column)
        elif types == {datetime}:
            try:
                kinds.append(DATETIME)
                out.append([None if v is None else (v - EPOCH) // MICROSECOND for v in column])
            except TypeError:
                raise ValueError("naive datetime cannot travel in a bundle") from None
        elif types == {date}:
            kinds.append(DATE)
            out.append([None if v is None else v.toordinal() - EPOCH_DAY for v in column])
        else:  # ints (range), containers, subclasses, mixed: value by value
            kinds.append(VALUE)
            out.append([v if type(v) in _PLAIN else cbor.normalise(v) for v in column])
    return kinds, out


def _stamps(stamps: Any) -> Any:
    if not stamps:
        return {}
    return cbor.normalise({k: [s[0], s[1]] for k, s in stamps.items()})


def _alternatives(alts: Any) -> Any:
    if not alts:
        return {}
    return cbor.normalise({k: [[a[0], a[1], a[2]] for a in entries]
                           for k, entries in alts.items()})


@lru_cache(maxsize=8192)
def head_of(major: int, n: int) -> bytes:
    """The shortest CBOR head of major type ``major`` with argument ``n`` (RFC 8949, 3)."""
    if n < 24:
        return bytes((major << 5 | n,))
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes((major << 5 | extra,)) + n.to_bytes(size, "big")
    raise ValueError("CBOR argument too large")


def payload_rows(encoded: EncodedRows) -> Iterator[bytes]:
    """The pieces of ``layouts: […], manifest: […], rows: […]`` in the payload map."""
    rows = encoded.rows
    if len(encoded.manifest) != len(rows):
        raise ValueError("one manifest entry per row")
    yield _DUMPS("layouts")
    yield _DUMPS(encoded.layouts)
    yield _DUMPS("manifest")
    yield head_of(_ARRAY, len(rows))
    yield from encoded.manifest
    yield _DUMPS("rows")
    yield head_of(_ARRAY, len(rows))
    yield from chain.from_iterable(zip(map(_row_head, map(len, rows)), rows, strict=True))


def _row_head(size: int) -> bytes:
    return head_of(_BYTES, size)
