"""Merging one remote image into the local state of the same row, per field, by the stamps.

Pure: values in uuid space (FKs as uuids), no session. The rules, so every vault that has seen
the same events ends with the same row whatever the order they arrived in:

- Live on both sides: per field ``db.sync.classify_field``. ``take``: the remote value and stamp;
  ``keep``: the local ones; ``conflict``: the local value and stamp stay and a conflict keeps
  both values for a person (``MERGE_MAX`` fields are counters: the larger value wins, no
  conflict). The vectors merge by element-wise max, so the same image arriving again is known
  here and classifies as ``keep``: a conflict is detected once.
- A tombstone on either side wins: the row stays or becomes a tombstone, content cleared. Per
  field the stamp is decided as above (a conflict picks the larger stamp, so both sides agree);
  what the live side wrote that the deleting side had not seen is kept in a conflict of kind
  "deleted" instead of vanishing (on this vault: the local edit when a remote deletion arrives,
  the remote edit when it reaches a local tombstone). An old live image never revives a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db.sync import classify_field

Stamp = tuple[str, int]

# Counters that only grow (reprints of a certificate): concurrent increments merge to the max.
MERGE_MAX: dict[str, frozenset[str]] = {"certificate": frozenset({"copies", "last_copy_on"})}
DELETED = "deleted"
UNLOADED: Any = object()  # a deferred column not read (an attachment's bytes)


@dataclass
class Side:
    """One side of a row: content values (uuid space), vector, explicit stamps, tombstone."""

    origin: str
    vector: Mapping[str, int]
    stamps: Mapping[str, Any]  # explicit only
    deleted: bool
    values: Mapping[str, Any]
    # field -> the values the sender holds in open conflicts with the one it sent
    alternatives: Mapping[str, list[tuple[Stamp, Any]]] = field(default_factory=dict)

    def stamp(self, key: str) -> Stamp:
        explicit = self.stamps.get(key)
        if explicit is not None:
            return str(explicit[0]), int(explicit[1])
        return self.origin, 1

    def knows(self, stamp: Stamp) -> bool:
        return int(self.vector.get(stamp[0], 0)) >= stamp[1]


@dataclass
class FieldConflict:
    key: str
    local: Any
    remote: Any
    local_stamp: Stamp
    remote_stamp: Stamp


@dataclass
class Merge:
    changes: dict[str, Any] = field(default_factory=dict)  # key -> new value (uuid space)
    vector: dict[str, int] = field(default_factory=dict)
    stamps: dict[str, list[Any]] = field(default_factory=dict)  # explicit, normalised
    deleted: bool = False
    took: bool = False  # a remote value or stamp was taken
    conflicts: list[FieldConflict] = field(default_factory=list)
    # kind "deleted": (the live side's unseen edits, True if they are the local side's, the
    # newest of their stamps, the live side's whole content)
    lost_edits: tuple[dict[str, Any], bool, Stamp, dict[str, Any]] | None = None
    superseded: set[str] = field(default_factory=set)  # fields whose open conflicts end here

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.took


def _larger(a: Any, b: Any) -> bool:
    """a > b for counter-like values, None lowest."""
    if b is None:
        return a is not None
    return a is not None and a > b


def merge_row(table: str, content: tuple[str, ...], clearable: frozenset[str],
              neutral: Mapping[str, Any], local: Side, remote: Side) -> Merge:
    out = Merge()
    vector = dict(local.vector)
    for vault, counter in remote.vector.items():
        vector[vault] = max(int(vector.get(vault, 0)), int(counter))
    out.vector = vector
    out.deleted = local.deleted or remote.deleted
    counters = MERGE_MAX.get(table, frozenset())
    stamps: dict[str, Stamp] = {}
    values: dict[str, Any] = {}
    for key in (*content, DELETED):
        ls, rs = local.stamp(key), remote.stamp(key)
        lv = local.deleted if key == DELETED else local.values.get(key)
        rv = remote.deleted if key == DELETED else remote.values.get(key)
        alts = [] if out.deleted or key in counters else list(remote.alternatives.get(key, ()))
        alt_stamps = {s for s, _v in alts}
        verdict = classify_field(dict(local.vector), ls, dict(remote.vector), rs)
        if verdict == "take" and ls in alt_stamps:
            # The sender saw our value but kept its own in a conflict: not a successor of ours.
            verdict = "conflict"
        others: list[tuple[Stamp, Any]] = []
        if verdict == "take":
            stamps[key], values[key] = rs, rv
            if not alts:  # a change that knew both sides: open conflicts here end
                out.superseded.add(key)
        elif verdict == "keep":
            stamps[key], values[key] = ls, lv
        elif out.deleted or key == DELETED or lv == rv:
            # Same value (or cleared below): no conflict, but agree on the stamp.
            stamps[key], values[key] = (rs, rv) if rs > ls else (ls, lv)
        elif key in counters:
            remote_wins = _larger(rv, lv) or (rv == lv and rs > ls)
            stamps[key], values[key] = (rs, rv) if remote_wins else (ls, lv)
        else:
            stamps[key], values[key] = ls, lv
            others.append((rs, rv))
        held = stamps[key]
        if held == rs or held in alt_stamps:  # the sender's open conflict is ours as well
            others.extend([(rs, rv), *alts])
        seen: set[Stamp] = set()
        for stamp, value in others:
            if stamp != held and stamp not in seen and value != values[key]:
                seen.add(stamp)
                out.conflicts.append(FieldConflict(key, values[key], value, held, stamp))
    if out.deleted:
        values[DELETED] = True
        for key in clearable:
            values[key] = neutral[key]
        out.lost_edits = _lost_edits(content, clearable, neutral, local, remote)
    for key in content:
        if values[key] != local.values.get(key):
            out.changes[key] = values[key]
    if values[DELETED] != local.deleted:
        out.changes[DELETED] = values[DELETED]
    origin = local.origin
    normal_local = {k: [str(v[0]), int(v[1])] for k, v in local.stamps.items()
                    if (str(v[0]), int(v[1])) != (origin, 1)}
    # Stamps of columns that do not travel (written before they became local) stay as they are.
    out.stamps = {k: v for k, v in normal_local.items() if k not in stamps}
    out.stamps.update({k: [s[0], s[1]] for k, s in stamps.items() if s != (origin, 1)})
    out.took = out.stamps != normal_local or out.vector != {
        k: int(v) for k, v in local.vector.items()}
    return out


def _lost_edits(content: tuple[str, ...], clearable: frozenset[str],
                neutral: Mapping[str, Any], local: Side, remote: Side,
                ) -> tuple[dict[str, Any], bool, Stamp, dict[str, Any]] | None:
    """What the live side wrote that the tombstone's side had not seen (kept, not dropped)."""
    if local.deleted == remote.deleted:
        return None
    live, dead = (remote, local) if local.deleted else (local, remote)
    edited: dict[str, Any] = {}
    newest: Stamp | None = None
    for key in content:
        stamp = live.stamp(key)
        if dead.knows(stamp):
            continue
        value = live.values.get(key)
        if key in clearable and value == neutral.get(key):
            continue
        edited[key] = value
        newest = stamp if newest is None or stamp > newest else newest
    if not edited or newest is None:
        return None
    return edited, live is local, newest, {k: live.values.get(k) for k in content}

