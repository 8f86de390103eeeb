"""One replicated row as it travels in a bundle: content, version vector and per-field stamps.

Local integer ids never leave a vault: a foreign-key column holds the referenced row's ``uuid``
(or None) under the column's own name (``person_id``: "3f2a…"). Derived columns
(``db.sync.derived_columns``) are left out; the receiving vault recomputes them.
Tombstones travel with ``deleted`` set and their content already cleared (``db.tombstones``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowImage:
    table: str
    uuid: str
    deleted: bool
    origin_vault: str
    changed_by_vault: str
    version_vector: Mapping[str, int]
    field_stamps: Mapping[str, tuple[str, int]]  # only explicit stamps (see db.sync.field_stamp)
    values: Mapping[str, Any]  # content columns; FKs as uuids; bytes stay bytes
    # Fields this vault holds in an open conflict: field -> ((vault, counter, other value), ...)
    # with the other value as JSON (dates ISO, bytes base64, FKs as uuids). Tells the receiver
    # that the value sent did not supersede these, so a vault whose own edit is among them
    # keeps it and shows the conflict too (``db.replica_merge``). Empty for most rows.
    alternatives: Mapping[str, tuple[tuple[str, int, Any], ...]] = field(default_factory=dict)


@dataclass
class ApplyResult:
    """What applying a batch of images did to the store (``db.replica.apply_images``)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[int] | None = None  # ids of new sync_conflict rows
    refused: list[tuple[str, str]] | None = None  # (row uuid, reason code)
