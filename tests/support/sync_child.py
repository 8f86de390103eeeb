"""A sync run in a process of its own, for the SIGKILL tests of the import pipeline.

usage: python -m tests.support.sync_child VAULT [STOP]. Passphrase in LOTSE_PASSPHRASE. Prints
"ready" once the vault is open, one "progress N" line before each bundle is judged, and "done".
With STOP (a number), the child also prints "commit N" after each commit of the store and, at
the STOP-th, waits for its killer: so a kill lands exactly on a commit boundary, where a bundle
applied in two transactions would show half-applied.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.services.sync.write import run_sync
from app.vault.store import open_vault
from db.sync import LotseSession


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    vault = open_vault(Path(sys.argv[1]), os.environ["LOTSE_PASSPHRASE"])
    stop = int(sys.argv[2]) if len(sys.argv) > 2 else None
    commits = 0

    def after_commit(_session: Session) -> None:
        nonlocal commits
        commits += 1
        say(f"commit {commits}")
        if commits == stop:
            while True:  # hold still until the SIGKILL comes
                time.sleep(1)

    if stop is not None:
        event.listen(LotseSession, "after_commit", after_commit)
    say("ready")
    run_sync(vault, progress=lambda done, total, _line: say(f"progress {done}"))
    vault.lock()
    say("done")


if __name__ == "__main__":
    main()
