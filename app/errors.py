"""Domain errors: a German message for the user, an English detail for logs and the CLI.

Messages never contain personal data; refer to ids or case numbers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_REFUSED = 2
EXIT_INTEGRITY = 3
EXIT_STORAGE = 4  # the disk is full or read-only, or an I/O error: nothing was half-written
EXIT_BUSY = 5  # another Lotse process holds the vault longer than a reader waits


class LotseError(Exception):
    exit_code = EXIT_USAGE

    def __init__(self, message_de: str, detail_en: str) -> None:
        super().__init__(detail_en)
        self.message_de = message_de
        self.detail_en = detail_en


class UsageError(LotseError):
    """Bad input from the user: nothing was changed."""


class NotFound(LotseError):
    """The referenced record does not exist (or is deleted)."""


class ValidationFailed(LotseError):
    """Input violates a rule; ``field`` names the input it belongs to."""

    def __init__(self, message_de: str, detail_en: str, field: str | None = None) -> None:
        super().__init__(message_de, detail_en)
        self.field = field


def reject_unknown_fields(changes: dict[str, object], allowed: frozenset[str]) -> None:
    """Updates name their fields; anything outside the allowed set is a caller error."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed("Diese Angaben können hier nicht geändert werden.",
                               f"not updatable here: {', '.join(sorted(unknown))}")


class Refused(LotseError):
    """The vault was not opened or the action was not performed; nothing on disk changed."""

    exit_code = EXIT_REFUSED


class UnsafeVaultFile(Refused):
    """A file of the vault is a link, folder, device or hard-linked file: refused, untouched."""

    _DE: ClassVar[dict[str, str]] = {
        "link": "eine Verknüpfung (Symlink)", "special": "keine gewöhnliche Datei",
        "hardlink": "noch an anderer Stelle verlinkt (Hardlink)"}

    def __init__(self, name: str, problem: str, detail_en: str) -> None:
        what = self._DE.get(problem, "keine gewöhnliche Datei")
        super().__init__(
            f"Die Datei „{name}“ im Tresorordner ist {what}. Lotse verwendet sie nicht und "
            "ändert nichts daran. Bitte lassen Sie prüfen, wer den Tresorordner verändert hat.",
            detail_en)
        self.name = name
        self.problem = problem


class WrongPassphrase(Refused):
    pass


class Throttled(Refused):
    def __init__(self, wait_seconds: int) -> None:
        minutes, seconds = divmod(wait_seconds, 60)
        wait_de = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        super().__init__(
            f"Zu viele Fehlversuche. Bitte warten Sie noch {wait_de}, "
            "bevor Sie es erneut versuchen.",
            f"too many failed unlock attempts; try again in {wait_seconds} s",
        )
        self.wait_seconds = wait_seconds


class IntegrityFailure(LotseError):
    """The store opened but its content is damaged or its audit chain is broken."""

    exit_code = EXIT_INTEGRITY


class StorageFailure(LotseError):
    """The disk is full or read-only, or reported an I/O error; the operation left nothing
    half-written."""

    exit_code = EXIT_STORAGE


class VaultBusy(LotseError):
    """Another Lotse process is writing to the vault and did not finish in time."""

    exit_code = EXIT_BUSY


class PhaseBlocked(LotseError):
    """A phase step lacks minimum documentation; ``missing`` lists (code, German label)."""

    def __init__(self, missing: list[tuple[str, str]], target: str) -> None:
        labels = "; ".join(label for _, label in missing)
        super().__init__(
            f"Der Schritt in die Phase „{target}“ ist noch nicht möglich. Es fehlt: {labels}. "
            "Ergänzen Sie die Angaben oder begründen Sie die Ausnahme.",
            f"phase step to {target} blocked; missing: {', '.join(c for c, _ in missing)}",
        )
        self.missing = missing
        self.target = target


class Cancelled(LotseError):
    """The user cancelled a long operation; it stopped before changing anything."""


CancelCheck = Callable[[], bool]  # asked between steps: True means stop now


def stop_if_cancelled(cancelled: CancelCheck | None, message_de: str, detail_en: str) -> None:
    """Long operations call this at every point where stopping still leaves nothing behind."""
    if cancelled is not None and cancelled():
        raise Cancelled(message_de, detail_en)
