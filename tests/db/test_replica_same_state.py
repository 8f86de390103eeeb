"""db.replica_same.SameState: the shortcut for images applied again says "unchanged" only
where the full per-field merge finds nothing to do."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from db.replica_merge import Side, merge_row
from db.replica_same import SameState
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


def same_state(image: RowImage, row: dict[str, Any]) -> bool:
    """The rule for one local row whose sync columns are decoded."""
    return SameState(CONTENT).check_row(image, row)


def _as_stored(image: RowImage, row: dict[str, Any]) -> bool:
    """The check as the apply makes it, from the local row's stored texts."""
    vector = None if row["version_vector"] is None else json.dumps(row["version_vector"])
    stamps = None if row["field_stamps"] is None else json.dumps(row["field_stamps"])
    head = (7, image.uuid, row["origin_vault"], vector, stamps, int(row["deleted"]))
    same, rest = SameState(CONTENT).split({image.uuid: image}, [head])
    assert (same, rest) in (({image.uuid: 7}, []), ({}, [image.uuid]))
    return bool(same)


def test_the_same_state_is_unchanged_for_the_merge_too() -> None:
    assert same_state(_image(), _row())
    assert _as_stored(_image(), _row())
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
    assert not same_state(image, _row())
    assert not _as_stored(image, _row())


@pytest.mark.parametrize(("image", "row"), [
    # stamps of columns that do not travel are no difference
    (_image(), {**_row(), "field_stamps": {"title": [B, 3], "notes_local": [A, 9]}}),
    (_image(field_stamps={"title": (B, 3), "local_only": (A, 1)}), _row()),
    # nothing stored is the empty vector and no stamps
    (_image(version_vector={}, field_stamps={}),
     {**_row(), "version_vector": None, "field_stamps": None}),
])
def test_what_does_not_travel_or_is_empty_is_the_same(image: RowImage,
                                                       row: dict[str, Any]) -> None:
    assert same_state(image, row)
    assert _as_stored(image, row)


@pytest.mark.parametrize("row", [
    {**_row(), "version_vector": {A: 2, B: 3, "c" * 32: 1}},  # the local row knows more
    {**_row(), "field_stamps": {"title": [A, 3]}},  # another vault's stamp
    {**_row(), "field_stamps": {"title": [B, 2]}},
    {**_row(), "field_stamps": {"title": "kaputt"}},  # unreadable here: merged
])
def test_a_local_difference_goes_through_the_merge(row: dict[str, Any]) -> None:
    assert not same_state(_image(), row)
    assert not _as_stored(_image(), row)


@pytest.mark.parametrize(("image", "same"), [
    (_image(field_stamps={}), True),
    (_image(field_stamps={"title": (B, 3)}), False),
    (_image(field_stamps={}, origin_vault=B), False),
    (_image(field_stamps={}, deleted=True), False),
    (_image(field_stamps={}, version_vector={A: 2, B: 4}), False),
    (_image(field_stamps={}, alternatives={"title": ((A, 2, "Brief"),)}), False),
])
def test_the_usual_row_without_stamps_is_decided_alike(image: RowImage, same: bool) -> None:
    row = {**_row(), "field_stamps": {}}
    assert same_state(image, row) is same
    assert _as_stored(image, row) is same
