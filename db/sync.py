"""Per-field change stamps, applied centrally on flush so no service can forget them."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState, Session, UOWTransaction, class_mapper

from db.base import SYNC_COLUMNS, SyncMixin
from db.tombstones import clear_tombstones

VAULT_KEY = "vault_uuid"
# ``session.info`` key: the tables whose rows became tombstones (cleared, see db.tombstones);
# once committed, the journal is checkpointed so the old page images leave the disk too.
TOMBSTONED_KEY = "tombstoned"


class LotseSession(Session):
    """Session whose ``info[VAULT_KEY]`` names the vault that authors every change."""


def derived_columns(obj: SyncMixin) -> frozenset[str]:
    """Columns a model recomputes locally from other rows (``__derived__``) or that mean
    something only in this vault (``__vault_local__``): never stamped, never replicated."""
    model = type(obj)
    return cast(frozenset[str], getattr(model, "__derived__", frozenset())) | cast(
        frozenset[str], getattr(model, "__vault_local__", frozenset()))


def content_columns(obj: SyncMixin) -> list[str]:
    mapper = class_mapper(type(obj))
    skip = SYNC_COLUMNS | derived_columns(obj)
    return [c.key for c in mapper.column_attrs if c.key not in skip]


def field_stamp(obj: SyncMixin, field: str) -> tuple[str, int]:
    """Which vault's which change last wrote ``field``.

    Fields untouched since the row was created carry the creation stamp ``(origin_vault, 1)``
    implicitly: storing it for every field of every row would multiply the store's size.
    """
    explicit = (obj.field_stamps or {}).get(field)
    if explicit is not None:
        return str(explicit[0]), int(explicit[1])
    return obj.origin_vault, 1


def stamp(obj: SyncMixin, vault: str, fields: list[str]) -> None:
    """Record that ``vault`` changed ``fields`` of ``obj`` in one new event of its vector."""
    vector = dict(obj.version_vector or {})
    counter = int(vector.get(vault, 0)) + 1
    vector[vault] = counter
    stamps = dict(obj.field_stamps or {})
    for name in fields:
        stamps[name] = [vault, counter]
    # New dicts (not in-place edits) so the ORM sees the change.
    obj.version_vector = vector
    obj.field_stamps = stamps
    obj.changed_by_vault = vault


def initial_metadata(vault: str, fields: list[str]) -> dict[str, Any]:
    """Sync columns for a row created by ``vault`` (used by bulk inserts that bypass the ORM)."""
    del fields  # every field carries the implicit creation stamp (see field_stamp)
    return {
        "origin_vault": vault,
        "changed_by_vault": vault,
        "version_vector": {vault: 1},
        "field_stamps": {},
    }


@event.listens_for(LotseSession, "before_flush")
def _stamp_changes(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    vault = session.info.get(VAULT_KEY)
    # First: the cleared fields then carry the deletion's stamp (see db.tombstones).
    turned = clear_tombstones(session)
    if turned:
        session.info.setdefault(TOMBSTONED_KEY, set()).update(turned)
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            if vault is None:
                raise RuntimeError("session has no authoring vault")
            if obj.origin_vault is None:
                obj.origin_vault = vault
            # Creation is event 1 of the origin vault; fields carry that stamp implicitly.
            obj.version_vector = {vault: 1}
            obj.field_stamps = {}
            obj.changed_by_vault = vault
    for obj in session.dirty:
        if not isinstance(obj, SyncMixin) or obj in session.new:
            continue
        state = cast(InstanceState[Any], inspect(obj))
        skip = SYNC_COLUMNS | derived_columns(obj)
        changed = [
            attr.key
            for attr in state.attrs
            if attr.key not in skip
            and attr.key in state.mapper.column_attrs
            and attr.history.has_changes()
        ]
        if changed:
            if vault is None:
                raise RuntimeError("session has no authoring vault")
            stamp(obj, vault, changed)


def classify_field(local_vector: dict[str, int], local_stamp: tuple[str, int],
                   remote_vector: dict[str, int], remote_stamp: tuple[str, int]) -> str:
    """Decide one field when a replica of the same row arrives from another vault.

    ``keep``: the remote value is already known here (or was overwritten here);
    ``take``: the remote value supersedes what is here; ``conflict``: both changed it without
    seeing each other's change, so both values must be kept for a person to resolve.
    """
    if local_stamp == remote_stamp:
        return "keep"
    remote_known_here = local_vector.get(remote_stamp[0], 0) >= remote_stamp[1]
    if remote_known_here:
        return "keep"
    local_known_there = remote_vector.get(local_stamp[0], 0) >= local_stamp[1]
    return "take" if local_known_there else "conflict"
