"""Writer process for the crash tests: works until SIGKILLed, reports each commit on stdout.

usage: python -m tests.support.crash_child MODE VAULT [SHARE]
MODE: insert | update | passwd | backup | rekey. Passphrase in LOTSE_PASSPHRASE (passwd alternates
it with LOTSE_NEW_PASSPHRASE). Every line printed names something durably committed.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.backup import backup
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case, update_person
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.kdf import KdfParams
from app.vault.passwd import change_passphrase
from app.vault.rekey import rekey
from app.vault.store import open_vault


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    a, b = os.environ["LOTSE_PASSPHRASE"], os.environ.get("LOTSE_NEW_PASSPHRASE", "")
    if mode == "passwd":
        current, other = a, b
        say("ready")
        while True:
            change_passphrase(folder, current, other, kdf=KdfParams.minimum())
            current, other = other, current
            say(f"passphrase {'b' if current == b else 'a'}")
    if mode == "rekey":  # renew the key, then commit a case under it, over and over
        say("ready")
        n = 0
        while True:
            n += 1
            renewed = rekey(folder, a).vault  # the key file's own (test-minimum) Argon2id cost
            assert renewed is not None, "reopening after the rekey failed"
            say(f"rekeyed {n}")
            cid = create_case(renewed, NewCase(given_names=f"Emine {n}", family_name="Şahin",
                                               municipality="DO"))
            say(f"case {cid}")
            renewed.lock()
    vault = open_vault(folder, a)
    say("ready")
    n = 0
    while True:
        n += 1
        if mode == "insert":
            cid = create_case(vault, NewCase(given_names=f"Emine {n}", family_name="Şahin",
                                             municipality="DO"))
            add_journal_entry(vault, cid, NewJournalEntry(
                contact_kind="phone", text=f"Rückruf Jobcenter {n}",
                occurred_at=datetime.now(UTC)))
            say(f"case {cid}")
        elif mode == "update":
            update_case(vault, 1, indication=f"Mehrfachbedarf Stand {n}")
            update_person(vault, 1, family_name=f"Yılmaz{n}")
            say(f"updated {n}")
        elif mode == "backup":
            result = backup(vault, Path(sys.argv[3]))
            say(f"backup {result.path.name}")


if __name__ == "__main__":
    main()
