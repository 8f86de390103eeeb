"""A second Lotse process in the middle of writing: ``lotse demo`` holding the write lock.

usage: python -m tests.support.lock_holder VAULT CASES
Runs the real demo generator; after its first batch (inside the demo's transaction) it prints
"holding" and waits for a line on stdin, then finishes and commits and prints "done".
Passphrase in LOTSE_PASSPHRASE.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.demo.generator import generate_demo
from app.vault.store import open_vault


def main() -> None:
    folder, cases = Path(sys.argv[1]), int(sys.argv[2])
    held = False

    def progress(_done: int, _total: int) -> None:
        nonlocal held
        if not held:
            held = True
            print("holding", flush=True)
            sys.stdin.readline()

    with open_vault(folder, os.environ["LOTSE_PASSPHRASE"]) as vault:
        generate_demo(vault, cases, seed=7, progress=progress)
    print("done", flush=True)


if __name__ == "__main__":
    main()
