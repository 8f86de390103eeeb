"""One classifier for faults of the surroundings: a full or read-only disk, an I/O error, a vault
busy in another Lotse process. The CLI maps them to exit codes 4 and 5, the desktop shows their
German text; both ask ``domain_error``. Exit 3 (integrity) stays for real damage.

Every write in Lotse is a transaction or a temp file renamed at the end, so a fault leaves
nothing half-written; the messages can say that nothing was saved.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING, Any

from app.errors import LotseError, StorageFailure, VaultBusy
from db import faults

if TYPE_CHECKING:  # the desktop's unlock window imports this module: no database stack yet
    from sqlalchemy import Engine
    from sqlalchemy.engine import ExceptionContext

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # EFBIG: FAT32 sticks, file limits
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_IO_ERRNOS = {errno.EIO}
_WINDOWS_HELD = {32, 33}  # sharing and lock violation: antivirus, indexer, backup agent

_DE = {
    faults.FULL: "Der Datenträger ist voll. Es wurde nichts gespeichert; bitte schaffen Sie "
                 "Platz (oder wählen Sie einen anderen Ort) und versuchen Sie es erneut.",
    faults.READ_ONLY: "Der Datenträger oder Ordner ist schreibgeschützt, oder Lotse darf dort "
                      "nicht schreiben. Es wurde nichts gespeichert.",
    faults.IO: "Beim Lesen oder Schreiben ist ein Fehler des Datenträgers aufgetreten. Es wurde "
               "nichts gespeichert; bitte lassen Sie den Datenträger prüfen.",
    faults.CANNOT_OPEN: "Die Tresordatei lässt sich nicht öffnen: Der Datenträger ist "
                        "schreibgeschützt, oder Lotse fehlt dort die Berechtigung. Es wurde "
                        "nichts verändert.",
    "held": "Eine Datei wird gerade von einem anderen Programm verwendet (etwa einem "
            "Virenscanner). Es wurde nichts gespeichert; bitte versuchen Sie es gleich erneut.",
}
_EN = {
    faults.FULL: "the disk is full",
    faults.READ_ONLY: "the disk or folder is read-only or not writable",
    faults.IO: "the disk reported an I/O error",
    faults.CANNOT_OPEN: "the store file cannot be opened for writing (read-only disk, missing "
                        "permission, or too many open files)",
    "held": "a file is held by another program",
}
BUSY_DE = ("Der Tresor wird gerade von einem anderen Lotse-Programm verwendet (zum Beispiel "
           "beim Erzeugen von Demodaten oder einer Sicherung). Es wurde nichts gespeichert; "
           "bitte versuchen Sie es erneut, wenn es fertig ist.")


# A rekey replaces the store file: no other process may have the vault open meanwhile.
OPEN_ELSEWHERE_DE = ("Der Tresor ist noch in einem anderen Lotse-Programm geöffnet. Bitte sperren "
                     "oder schließen Sie ihn dort und versuchen Sie es dann erneut. Der "
                     "Datenschlüssel wurde nicht erneuert; der Tresor ist unverändert.")


def storage_failure(kind: str, what: str) -> StorageFailure:
    return StorageFailure(_DE[kind], f"{_EN[kind]}; nothing was left half-written [{what}]")


def vault_busy() -> VaultBusy:
    return VaultBusy(BUSY_DE, "the vault is in use by another Lotse process; try again when it "
                              "has finished (or wait longer with --wait SECONDS)")


def vault_open_elsewhere() -> VaultBusy:
    return VaultBusy(OPEN_ELSEWHERE_DE, "the vault is open in another Lotse process; lock or "
                     "close it there first (nothing was changed)")


def _os_fault(exc: OSError) -> LotseError | None:
    if getattr(exc, "winerror", None) in _WINDOWS_HELD:
        kind = "held"
    elif exc.errno in _FULL_ERRNOS:
        kind = faults.FULL
    elif exc.errno in _READ_ONLY_ERRNOS:
        kind = faults.READ_ONLY
    elif exc.errno in _IO_ERRNOS:
        kind = faults.IO
    else:
        return None
    name = errno.errorcode.get(exc.errno or 0, "OSError")
    where = f": {exc.filename}" if exc.filename else ""
    return storage_failure(kind, f"{name}{where}")


def _one(exc: BaseException) -> LotseError | None:
    if isinstance(exc, BrokenPipeError):  # a reader that stopped reading, not a disk fault
        return None
    if isinstance(exc, OSError):
        return _os_fault(exc)
    kind = faults.sqlite_fault(exc)
    if kind == faults.BUSY:
        return vault_busy()
    if kind is not None:
        return storage_failure(kind, f"SQLite: {exc}")
    return None


def domain_error(exc: BaseException) -> LotseError | None:
    """The domain error ``exc`` stands for, looking through SQLAlchemy's wrapper and causes;
    None when it is none of these faults (a bug, or damage that ``lotse check`` reports)."""
    if isinstance(exc, LotseError):
        return exc
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen or len(seen) > 16:
            continue
        seen.add(id(current))
        found = _one(current)
        if found is not None:
            return found
        orig: Any = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, current.__cause__,
                 current.__context__]
    return None


def install(engine: Engine) -> None:
    """SQL errors of this engine arrive as domain errors, whichever code path ran the SQL."""
    from sqlalchemy import event

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> None:
        original = context.original_exception
        if isinstance(original, LotseError):
            return
        error = domain_error(original)
        if error is not None:
            raise error from original
