"""After the commit point of ``passwd`` and ``rekey``: the change is done, whatever follows.

Both open the vault right after the commit point to write the change's audit entry. If that
open fails because another Lotse process holds the vault's write lock or the disk refuses a
write, the change is still done: the next unlock finds a key file that no audit entry names
and records it then, marked ``late`` (``app.vault.keylog``). Reporting a failure there would make
the person retry with a passphrase that no longer works.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import faults
from app.clock import Clock
from app.errors import LotseError, StorageFailure, VaultBusy
from app.vault.store import Vault, open_vault
from db.vault_lock import VaultLock

AUDIT_FOLLOWS_EN = "its audit entry follows at the next unlock"
_WHY: dict[type[LotseError], tuple[str, str]] = {
    VaultBusy: ("another Lotse process was writing to the vault",
                "der Tresor war gerade von einem anderen Lotse-Programm belegt"),
    StorageFailure: ("the disk refused a write",
                     "der Datenträger ließ gerade nicht schreiben"),
}


@dataclass(frozen=True)
class KeyChange:
    """A committed key change. ``vault``: opened under the new key file (rekey only; the caller
    locks it). ``deferred``: why the audit entry follows at the next unlock (None: written)."""

    vault: Vault | None
    deferred: LotseError | None = None

    @property
    def audited(self) -> bool:
        return self.deferred is None

    def _why(self) -> tuple[str, str]:
        return next((why for kind, why in _WHY.items() if isinstance(self.deferred, kind)),
                    ("the vault could not be opened", "der Tresor ließ sich gerade nicht öffnen"))

    def note_en(self) -> str:
        """For the CLI: the change is done; the audit entry waits (empty when written)."""
        return "" if self.deferred is None else f"{AUDIT_FOLLOWS_EN} ({self._why()[0]})"

    def note_de(self) -> str:
        return "" if self.deferred is None else (
            f"Der Eintrag im Protokoll folgt beim nächsten Entsperren ({self._why()[1]}).")


def postponed(exc: BaseException) -> LotseError | None:
    """The busy vault or failing disk that ``exc`` stands for; None for anything else."""
    error = faults.domain_error(exc)
    return error if isinstance(error, VaultBusy | StorageFailure) else None


def open_after_commit(folder: Path, passphrase: str, clock: Clock, kind: str,
                      held: VaultLock) -> KeyChange:
    """The audited open after the commit point; takes over ``held`` (released on failure)."""
    try:
        return KeyChange(open_vault(folder, passphrase, clock, key_change=kind, held=held))
    except Exception as exc:
        deferred = postponed(exc)
        if deferred is None:
            raise
        return KeyChange(None, deferred)
