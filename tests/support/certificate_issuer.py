"""A second Lotse process that issues certificates on a vault when told to (the serial tests
start two of them on one vault folder, so both draw serials through the store's write lock).

usage: python -m tests.support.certificate_issuer VAULT CASE COUNT   (passphrase in
LOTSE_PASSPHRASE). Prints "ready" once the vault is open, waits for a line on stdin, issues
COUNT participation certificates for CASE and prints their serials as one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.services.certificates.records import IssueRequest
from app.services.certificates.write import issue_certificate
from app.vault.store import open_vault

VALUES = {"massnahme": "Integrationskurs B1", "traeger": "VHS Dortmund",
          "von": "01.03.2026", "bis": "30.09.2026"}


def main() -> None:
    folder, case, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with open_vault(folder, os.environ["LOTSE_PASSPHRASE"]) as vault:
        print("ready", flush=True)
        sys.stdin.readline()
        serials = [issue_certificate(vault, IssueRequest(case, "teilnahme", VALUES)).serial
                   for _ in range(count)]
        print(json.dumps(serials), flush=True)


if __name__ == "__main__":
    main()
