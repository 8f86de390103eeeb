"""The role of a vault and which kinds of bundle each role takes in.

A casework vault (the default) holds cases; a steering vault (the steering committee) holds no
case data at all and only ever takes in steering reports (and the coordination office's
catalogue, which names no one); a coordination vault is the coordination office, the only one
whose catalogue bundles are applied. The role is stored in ``vault_meta`` under
``app.sync.keys.ROLE_KEY`` when the vault is made (``lotse init --role``) and never changes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle.records import CATALOGUE, DEPUTY, DIRECTORY, STEERING, TRANSFER, TRANSFER_ANSWER
from db.models import VaultMeta

ROLE_KEY = "vault_role"  # the same key as app.sync.keys.ROLE_KEY (contract)
CASEWORK, STEERING_ROLE, COORDINATION = "casework", "steering", "coordination"
ROLES = (CASEWORK, STEERING_ROLE, COORDINATION)
ROLE_LABELS = {CASEWORK: "Fallarbeit", STEERING_ROLE: "Steuerungsgremium",
               COORDINATION: "Koordinierungsstelle"}

# What each role takes in. A steering vault must never receive case data, whatever a trusted
# peer sends it; a casework vault has no use for (and no screen for) steering reports.
_CASE_KINDS = frozenset({DEPUTY, TRANSFER, TRANSFER_ANSWER, DIRECTORY})
ACCEPTED: dict[str, frozenset[str]] = {
    CASEWORK: _CASE_KINDS | {CATALOGUE},
    COORDINATION: _CASE_KINDS | {CATALOGUE},
    STEERING_ROLE: frozenset({STEERING, CATALOGUE}),
}


def vault_role(s: Session) -> str:
    """This vault's role ("casework" when unset: every vault made before roles existed)."""
    value = s.execute(select(VaultMeta.value).where(VaultMeta.key == ROLE_KEY)).scalar()
    return value if value in ROLES else CASEWORK


def accepts(role: str, kind: str) -> bool:
    return kind in ACCEPTED.get(role, ACCEPTED[CASEWORK])
