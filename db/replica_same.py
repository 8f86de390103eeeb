"""Which incoming images describe exactly the local state (a bundle applied again), decided for
many rows at once from the local rows' stored sync columns.

The rule (``SameState.check_row`` for one decoded row): same origin, same tombstone, same
version vector, the same explicit stamps on every column that travels, no open conflict in the
image. ``merge_row`` then keeps every field (equal stamps classify as "keep") and changes
nothing; anything less certain is merged. A vault's rows share a few stored vectors and stamp
maps, so each distinct stored text is decoded and normalised once, and an image's own vector
and stamps are compared as whole maps instead of key by key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from db.replica_meta import sync_json
from db.row_image import RowImage

DELETED = "deleted"
Stamps = dict[str, tuple[str, int]]


class SameState:
    """The check for the rows of one table (``content``: its columns that travel)."""

    def __init__(self, content: Iterable[str]) -> None:
        self.travels = frozenset((*content, DELETED))
        self._vectors: dict[str | None, dict[str, int] | None] = {}
        self._stamps: dict[str | None, Stamps | None] = {}

    def split(self, images: Mapping[str, RowImage], heads: Iterable[Sequence[Any]]
              ) -> tuple[dict[str, int], list[str]]:
        """``heads`` (rows of ``db.replica_load.HEADS``) parted into those already in their
        image's state (uuid -> local id) and the uuids of the others. One loop with the usual
        row (no stamps, no conflict, the same vector) decided inline: as a call per row the
        check cost more than its work."""
        same: dict[str, int] = {}
        rest: list[str] = []
        vectors, stamp_maps = self._vectors, self._stamps
        for id_, uuid, origin, vector_text, stamps_text, deleted in heads:
            image = images[uuid]
            vector = vectors[vector_text] if vector_text in vectors \
                else self._vector(vector_text)
            stamps = stamp_maps[stamps_text] if stamps_text in stamp_maps \
                else self._stamps_of(stamps_text)
            if (stamps == {} and not image.field_stamps and not image.alternatives
                    and vector is not None and vector == image.version_vector
                    and origin == image.origin_vault and bool(deleted) == bool(image.deleted)) \
                    or self._same(image, origin, deleted, vector, stamps):
                same[uuid] = int(id_)
            else:
                rest.append(uuid)
        return same, rest

    def check_row(self, image: RowImage, row: Mapping[str, Any]) -> bool:
        """For a local row whose sync columns are decoded already."""
        try:
            vector = _plain_vector(row["version_vector"] or {})
            stamps: Stamps | None = self._normal(row["field_stamps"] or {})
        except (TypeError, ValueError, IndexError, AttributeError):
            stamps = None
        return self._same(image, row["origin_vault"], row["deleted"], vector, stamps)

    def _same(self, image: RowImage, origin: str, deleted: Any, vector: dict[str, int] | None,
              stamps: Stamps | None) -> bool:
        if image.alternatives or bool(deleted) != bool(image.deleted) \
                or origin != image.origin_vault or vector is None or stamps is None:
            return False
        # Equal maps need no normalising (the usual case); else compare as the merge would.
        if vector != image.version_vector and vector != _plain_vector(image.version_vector):
            return False
        theirs = image.field_stamps
        if not theirs:
            return not stamps
        try:
            return stamps == self._normal(theirs)
        except (TypeError, ValueError, IndexError, AttributeError):
            return False  # the merge decides (and refuses what it cannot read)

    def _vector(self, text: str | None) -> dict[str, int] | None:
        if text in self._vectors:
            return self._vectors[text]
        try:
            out = _plain_vector(sync_json(text))
        except (TypeError, ValueError, AttributeError):
            out = None  # unreadable here: the merge decides
        self._vectors[text] = out
        return out

    def _stamps_of(self, text: str | None) -> Stamps | None:
        if text in self._stamps:
            return self._stamps[text]
        try:
            out: Stamps | None = self._normal(sync_json(text))
        except (TypeError, ValueError, IndexError, AttributeError):
            out = None
        self._stamps[text] = out
        return out

    def _normal(self, stamps: Mapping[str, Any]) -> Stamps:
        """The explicit stamps of travelling columns as (vault, counter)."""
        travels = self.travels
        return {str(k): (str(s[0]), int(s[1])) for k, s in stamps.items()
                if k in travels and s is not None}


def _plain_vector(vector: Mapping[str, Any]) -> dict[str, int] | None:
    """A vector with text keys and int counters (as decoded, an image's has them: returned as
    it is); None when it has no such form."""
    if type(vector) is dict and all(type(k) is str and type(v) is int
                                    for k, v in vector.items()):
        return vector
    try:
        return {str(k): int(v) for k, v in vector.items()}
    except (TypeError, ValueError, AttributeError):
        return None
