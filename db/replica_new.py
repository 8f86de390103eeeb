"""The row a remote image becomes when the store has no row of that uuid (``db.replica_apply``).

A bundle of 10,000 cases brings ~360,000 such rows, so what is the same for every row of a
table (which keys are content, which are foreign keys and where their ids are, what the local
columns hold until they are recomputed) is worked out once per table, not per row, and the
rows of a table are made column by column (``NewColumns``), not as a dict each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import chain
from operator import attrgetter, itemgetter, methodcaller
from typing import Any

from db.replica_meta import TableMeta
from db.replica_sort import sort_key_of
from db.row_image import RowImage

_NO_IDS: dict[str, int] = {}


class NewRows:
    """``new_rows(image)``: the full row to insert for ``image`` (every column of the table),
    or None when a parent it names is not known here: ``NewColumns`` for one image, for the
    rows that go in one by one (guarded tables, a bundle with a missing parent). ``ids`` is read
    at call time, so ids dropped later count."""

    def __init__(self, meta: TableMeta, ids: Mapping[str, Mapping[str, int]],
                 now: datetime) -> None:
        self.columns = NewColumns(meta, ids, now).columns

    def __call__(self, image: RowImage) -> dict[str, Any] | None:
        columns = self.columns([image])
        return None if columns is None else {k: v[0] for k, v in columns.items()}


class NewColumns:
    """The new rows of a table, column by column: ``columns(images)`` gives every column of the
    table with one value per image, or None when a parent an image names is not known here (the
    caller then goes row by row, ``NewRows``, to name each refused row).

    A 10,000-case bundle brings ~360,000 new rows: a dict per row, made and then taken apart
    again by the insert, cost ~3 s of the import."""

    def __init__(self, meta: TableMeta, ids: Mapping[str, Mapping[str, int]],
                 now: datetime) -> None:
        self.meta, self.ids, self.now = meta, ids, now

    def columns(self, images: Sequence[RowImage]) -> dict[str, Sequence[Any]] | None:
        meta, n = self.meta, len(images)
        content = meta.content
        values = list(map(_VALUES, images))
        picked: list[Sequence[Any]] = (
            list(zip(*map(itemgetter(*content), values), strict=True)) if len(content) > 1
            else [[v[content[0]] for v in values]] if content else [])
        by_name = dict(zip(content, picked, strict=True))
        for key, ref in meta.fks.items():
            known = self.ids.get(ref, _NO_IDS)
            targets = by_name[key]
            local = list(map(known.get, targets))
            if any(a is None and t is not None for a, t in zip(local, targets, strict=True)):
                return None
            by_name[key] = local
        uuids = list(map(_UUID, images))
        own = self.ids.get(meta.name, _NO_IDS)
        deleted = list(map(bool, map(_DELETED, images)))
        vectors = list(map(_VECTOR, images))
        # Counters as ints, as NewRows makes them; a bundle's are ints already (checked once
        # for all rows here, converted row by row only if one is not).
        if not set(map(type, chain.from_iterable(map(_COUNTERS, vectors)))) <= {int}:
            vectors = [{k: int(v) for k, v in vector.items()} for vector in vectors]
        stamps = list(map(_STAMPS, images))
        out: dict[str, Sequence[Any]] = {k: [v] * n for k, v in meta.neutral_local().items()}
        out.update(by_name)
        out.update({
            "id": list(map(own.__getitem__, uuids)), "uuid": uuids,
            "origin_vault": list(map(_ORIGIN, images)),
            "changed_by_vault": list(map(_CHANGED_BY, images)),
            "version_vector": vectors,
            "field_stamps": list(map(_stamps, stamps)) if any(stamps) else [{}] * n,
            "deleted": deleted, "created_at": [self.now] * n, "updated_at": [self.now] * n})
        if meta.name == "person":
            out["sort_key"] = [
                "" if gone else sort_key_of(family, given) for gone, family, given
                in zip(deleted, out["family_name"], out["given_names"], strict=True)]
        return out


_VALUES, _UUID, _DELETED = attrgetter("values"), attrgetter("uuid"), attrgetter("deleted")
_VECTOR, _STAMPS = attrgetter("version_vector"), attrgetter("field_stamps")
_ORIGIN, _CHANGED_BY = attrgetter("origin_vault"), attrgetter("changed_by_vault")
_COUNTERS = methodcaller("values")


def _stamps(stamps: Mapping[str, Any]) -> Any:
    return {k: [str(s[0]), int(s[1])] for k, s in stamps.items()} if stamps else {}
