"""Unwraps a vault's data key on a worker thread, as the desktop does at unlock, then wipes what
it holds and waits to be read (tests/app/vault/test_kdf_memory.py).

usage: python -m tests.support.kdf_child VAULT
(the passphrase arrives on stdin, not in argv or the environment).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from app.vault.keyfile import KeyFile
from app.vault.memory import wipe, wipe_str
from app.vault.store import KEY_NAME


def main() -> None:
    keyfile = KeyFile.load(Path(sys.argv[1]) / KEY_NAME)
    raw = bytearray(512)
    del raw[os.readv(0, [raw]):]
    del raw[raw.index(b"\n"):]  # in the buffer: a strip() would leave one more string behind
    passphrase = raw.decode()
    wipe(raw)

    def unlock() -> None:
        wipe(keyfile.unwrap(passphrase))

    worker = threading.Thread(target=unlock)
    worker.start()
    worker.join()
    wipe_str(passphrase)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    time.sleep(120)


if __name__ == "__main__":
    main()
