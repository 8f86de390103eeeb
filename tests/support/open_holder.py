"""A second Lotse process that has the vault open and writes when told to (as a desktop does).

usage: python -m tests.support.open_holder VAULT FAMILY_NAME
Opens the vault and prints "open"; after a line on stdin it renames the person of case 1 to
FAMILY_NAME, prints "saved", locks and ends. Passphrase in LOTSE_PASSPHRASE.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.services.cases.read import get_case
from app.services.cases.write import update_person
from app.vault.store import open_vault


def main() -> None:
    folder, name = Path(sys.argv[1]), sys.argv[2]
    with open_vault(folder, os.environ["LOTSE_PASSPHRASE"]) as vault:
        get_case(vault, 1)  # a pooled connection to the store file, as after any read
        print("open", flush=True)
        sys.stdin.readline()
        update_person(vault, 1, family_name=name)
        print("saved", flush=True)


if __name__ == "__main__":
    main()
