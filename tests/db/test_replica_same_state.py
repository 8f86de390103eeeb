"""db.replica_merge.same_state: the shortcut for images applied again says "unchanged" only
where the full per-field merge finds nothing to do."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from db.replica_merge import Side, merge_row, same_state
from db.row_image import RowImage

A, B = "a" * 32, "b" * 32
CONTENT = ("title", "due_on")


def _image(**changes: Any) -> RowImage:
    image = RowImage(table="task", uuid="u1", deleted=False, origin_vault=A, changed_by_vault=B,
                     version_vector={A: 2, B: 3}, field_stamps={"title": (B, 3)},
                     values={"title": "Anruf", "due_on": None})
    return replace(image, **changes)


def _row() -> dict[str, Any]:
    return {"uuid": "u1", "deleted": False, "origin_vault": A, "version_vector": {A: 2, B: 3},
            "field_stamps": {"title": [B, 3]}, "title": "Anruf", "due_on": None}


def _merged_unchanged(image: RowImage, row: dict[str, Any]) -> bool:
    local = Side(row["origin_vault"], row["version_vector"], row["field_stamps"],
                 row["deleted"], {k: row[k] for k in CONTENT})
    remote = Side(image.origin_vault, image.version_vector, image.field_stamps, image.deleted,
                  image.values)
    merged = merge_row("task", CONTENT, frozenset(), {}, local, remote)
    return not merged.changed and not merged.conflicts and merged.lost_edits is None


def test_the_same_state_is_unchanged_for_the_merge_too() -> None:
    assert same_state(CONTENT, _image(), _row())
    assert _merged_unchanged(_image(), _row())


@pytest.mark.parametrize("image", [
    _image(version_vector={A: 2, B: 4}),  # a newer change
    _image(version_vector={A: 2}),  # a vector that knows less
    _image(field_stamps={"title": (B, 3), "due_on": (B, 3)}),
    _image(field_stamps={}),
    _image(deleted=True),
    _image(origin_vault=B),
    _image(alternatives={"title": ((A, 2, "Brief"),)}),
])
def test_any_difference_goes_through_the_merge(image: RowImage) -> None:
    assert not same_state(CONTENT, image, _row())
