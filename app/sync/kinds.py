"""Handlers per kind of bundle: what applying one means. Each kind's module registers itself
(``register``); the import pipeline calls ``handler_for(kind).apply`` inside the transaction
that also writes the bundle's receipt."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from app.bundle.records import BundleContent, BundleRejected
from app.sync.roles import accepts, vault_role
from app.vault.store import Vault
from db.models import PeerDevice


class KindHandler(Protocol):
    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        """Apply ``bundle`` from the trusted ``sender``; return (rows applied, new conflicts).
        Raise ``BundleRejected("not_allowed" / "kind_not_accepted")`` to refuse it whole."""
        ...


_HANDLERS: dict[str, KindHandler] = {}


class _RoleGate:
    """Refuses a kind this vault's role does not take in (``app.sync.roles``) before the
    kind's own handler sees the bundle: a steering vault never applies case data, whichever
    trusted peer sends it, and no handler has to remember to check."""

    def __init__(self, handler: KindHandler) -> None:
        self.handler = handler

    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        role = vault_role(s)
        if not accepts(role, bundle.kind):
            raise BundleRejected("kind_not_accepted", f"a {role} vault takes no {bundle.kind} "
                                 "bundles")
        return self.handler.apply(s, vault, bundle, sender)


def register(kind: str, handler: KindHandler) -> None:
    _HANDLERS[kind] = _RoleGate(handler)


def handler_for(kind: str) -> KindHandler | None:
    return _HANDLERS.get(kind)


class Exporter(Protocol):
    def __call__(self, s: Session, vault: Vault) -> int:
        """Enqueue (``app.sync.outbox.enqueue``) what changed since the last bundle of this
        exporter's scope (deputy shares, the team directory); return how many bundles."""
        ...


_EXPORTERS: list[Exporter] = []


def register_exporter(exporter: Exporter) -> None:
    """Called by a sync run before the outbox is sent, each in its own transaction."""
    if exporter not in _EXPORTERS:
        _EXPORTERS.append(exporter)


def exporters() -> tuple[Exporter, ...]:
    return tuple(_EXPORTERS)
