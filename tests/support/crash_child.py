"""Writer process for the crash tests: works until SIGKILLed, reports each commit on stdout.

usage: python -m tests.support.crash_child MODE VAULT [SHARE | FIRST_UPDATE]
MODE: insert | update | passwd | backup | rekey. Passphrase in LOTSE_PASSPHRASE; passwd rotates it
through LOTSE_NEW_PASSPHRASE and LOTSE_THIRD_PASSPHRASE (three, so that "the last reported one or
the one in flight" rules one out). Every line printed names one durably committed write, right
after its commit:
  insert: "case ID N" (case of "Emine N"), then "journal ID N" (its entry "Rückruf Jobcenter N")
  update: "indication N" (case 1), then "name N" (its person), N counting up from FIRST_UPDATE
  passwd: "passphrase I" (I = 0, 1, 2: the vault now opens with the I-th passphrase only)
  backup: "backup NAME"; rekey: "rekeyed N", then "case ID"
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
    a = os.environ["LOTSE_PASSPHRASE"]
    if mode == "passwd":
        rotation = [a, os.environ["LOTSE_NEW_PASSPHRASE"], os.environ["LOTSE_THIRD_PASSPHRASE"]]
        current = 0
        say("ready")
        while True:
            following = (current + 1) % len(rotation)
            change_passphrase(folder, rotation[current], rotation[following],
                              kdf=KdfParams.minimum())
            current = following
            say(f"passphrase {current}")
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
    n = int(sys.argv[3]) - 1 if mode == "update" else 0
    while True:
        n += 1
        if mode == "insert":
            cid = create_case(vault, NewCase(given_names=f"Emine {n}", family_name="Şahin",
                                             municipality="DO"))
            say(f"case {cid} {n}")
            add_journal_entry(vault, cid, NewJournalEntry(
                contact_kind="phone", text=f"Rückruf Jobcenter {n}",
                occurred_at=datetime.now(UTC)))
            say(f"journal {cid} {n}")
        elif mode == "update":
            update_case(vault, 1, indication=f"Mehrfachbedarf Stand {n}")
            say(f"indication {n}")
            update_person(vault, 1, family_name=f"Yılmaz{n}")
            say(f"name {n}")
        elif mode == "backup":
            result = backup(vault, Path(sys.argv[3]))
            say(f"backup {result.path.name}")


if __name__ == "__main__":
    main()
