"""A rekey in its own process that stops at chosen moments, for tests of what another process
may do meanwhile.

usage: python -m tests.support.rekey_child VAULT MARK [full-after-install]
MARK: a progress percentage of ``app.vault.rekey`` (70: copy written, 90: copy verified,
93: new key file wrapped, not yet written, 95: copy installed, vault not yet reopened). There it
prints "paused MARK" and waits for a line on stdin. ``full-after-install``: from 95 on, every
write to a file fails as on a full disk (RLIMIT_FSIZE). At the end it prints "renewed" and, if
the audit entry had to wait, "deferred <error class>". Passphrase in LOTSE_PASSPHRASE.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path

from app.vault.rekey import rekey


def main() -> None:
    folder, mark = Path(sys.argv[1]), int(sys.argv[2])
    full_after_install = sys.argv[3:] == ["full-after-install"]

    def progress(done: int, _total: int) -> None:
        if done == mark:
            print(f"paused {mark}", flush=True)
            sys.stdin.readline()
        if done == 95 and full_after_install:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails, we live on
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))

    change = rekey(folder, os.environ["LOTSE_PASSPHRASE"], progress=progress)
    if change.vault is not None:
        change.vault.lock()
    print("renewed", flush=True)
    if change.deferred is not None:
        print(f"deferred {type(change.deferred).__name__}", flush=True)


if __name__ == "__main__":
    main()
