"""A sync run in a process of its own, for the SIGKILL tests of the import pipeline.

usage: python -m tests.support.sync_child VAULT. Passphrase in LOTSE_PASSPHRASE. Prints "ready"
once the vault is open, then one "progress N" line before each bundle is judged, then "done".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.services.sync.write import run_sync
from app.vault.store import open_vault


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    vault = open_vault(Path(sys.argv[1]), os.environ["LOTSE_PASSPHRASE"])
    say("ready")
    run_sync(vault, progress=lambda done, total, _line: say(f"progress {done}"))
    vault.lock()
    say("done")


if __name__ == "__main__":
    main()
