"""The row a remote image becomes when the store has no row of that uuid (``db.replica_apply``).

A bundle of 10,000 cases brings ~360,000 such rows, so what is the same for every row of a
table (which keys are content, which are foreign keys and where their ids are, what the local
columns hold until they are recomputed) is worked out once per table, not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from db.folding import fold_sort
from db.replica_meta import TableMeta
from db.row_image import RowImage

# Values a row may share with every other new row of its table (never changed in place).
_IMMUTABLE = frozenset({type(None), bool, int, float, str, bytes})
_NO_IDS: dict[str, int] = {}


def sort_key(values: Mapping[str, Any]) -> str:
    # As app.services.cases.read.sort_name: the folded "family given".
    return fold_sort(f"{values['family_name']} {values['given_names']}")


class NewRows:
    """``new_rows(image)``: the full row to insert for ``image`` (every column of the table),
    or None when a parent it names is not known here. ``ids`` maps table -> uuid -> local id,
    the image's own uuid included; it is read at call time, so ids dropped later count."""

    def __init__(self, meta: TableMeta, ids: Mapping[str, Mapping[str, int]],
                 now: datetime) -> None:
        self.meta, self.now = meta, now
        self.own = ids.get(meta.name, _NO_IDS)
        content = meta.content
        self.content = content
        self.values: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*content) if len(content) > 1
            else (lambda v: (v[content[0]],)) if content else (lambda v: ()))
        # Resolved now: every table a bundle names was looked up before any row is applied.
        self.fks = [(key, ids.get(ref, _NO_IDS)) for key, ref in meta.fks.items()]
        neutral = meta.neutral_local()
        self.neutral = neutral if set(map(type, neutral.values())) <= _IMMUTABLE else None
        self.person = meta.name == "person"

    def __call__(self, image: RowImage) -> dict[str, Any] | None:
        values = self.values(image.values)
        row = dict(self.meta.neutral_local() if self.neutral is None else self.neutral)
        row.update(zip(self.content, values, strict=True))
        for key, known in self.fks:
            target = row[key]
            if target is None:
                continue
            local = known.get(target)
            if local is None:
                return None
            row[key] = local
        deleted = bool(image.deleted)
        row.update({
            "id": self.own[image.uuid], "uuid": image.uuid,
            "origin_vault": image.origin_vault, "changed_by_vault": image.changed_by_vault,
            "version_vector": {k: int(v) for k, v in image.version_vector.items()},
            "field_stamps": {k: [str(s[0]), int(s[1])] for k, s in image.field_stamps.items()},
            "deleted": deleted, "created_at": self.now, "updated_at": self.now})
        if self.person:
            row["sort_key"] = "" if deleted else sort_key(row)
        return row
