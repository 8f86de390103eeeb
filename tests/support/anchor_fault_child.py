"""A Lotse process whose audit anchor stops taking writes while the vault is open.

usage: python -m tests.support.anchor_fault_child VAULT
Opens the vault (passphrase in LOTSE_PASSPHRASE), prints "open" and waits for a line on stdin:
"mount" (the parent has made the anchor's medium read-only meanwhile) or "layer" (no mount
possible: this process makes every write to the anchor fail with EROFS, as such a medium does).
Then it saves two new cases the way the desktop and the CLI do, and prints one JSON line: for
each save the case id or the error a person would be shown, and the store's last audit entry.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, select

import app.vault.anchor as anchor_module
from app.faults import domain_error
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import open_vault
from db.models import AuditLog


def _anchor_medium_read_only() -> None:
    real = anchor_module.open_file

    def open_file(path: Path, mode: str) -> BinaryIO:
        if mode != "rb":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, mode)

    anchor_module.open_file = open_file  # type: ignore[assignment]


def _save(vault: Any, family_name: str) -> dict[str, object]:
    try:
        return {"id": create_case(vault, NewCase(given_names="Mariam", family_name=family_name,
                                                 municipality="DO"))}
    except Exception as exc:  # what the person would be told, as the CLI and desktop map it
        found = domain_error(exc)
        return {"error": type(found or exc).__name__,
                "exit": getattr(found, "exit_code", None)}


def main() -> None:
    folder = Path(sys.argv[1])
    with open_vault(folder, os.environ["LOTSE_PASSPHRASE"]) as vault:
        print("open", flush=True)
        if sys.stdin.readline().strip() == "layer":
            _anchor_medium_read_only()
        first = _save(vault, "Haidari")
        second = _save(vault, "Xhaferi")
        with vault.session() as s:
            last = s.execute(select(func.max(AuditLog.seq))).scalar_one()
    print(json.dumps({"first": first, "second": second, "last_seq": last}), flush=True)


if __name__ == "__main__":
    main()
