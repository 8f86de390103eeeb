"""Deriving and unwrapping leave no copy of the passphrase or the data key in the process, not
even in freed memory: the Argon2 library's own copy of the password is overwritten too."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from app.clock import FixedClock
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from tests.conftest import ROOT
from tests.support.memscan import scan


def test_unwrapping_on_a_worker_thread_leaves_no_copy_behind(tmp_path: Path,
                                                            clock: FixedClock) -> None:
    passphrase = f"Nebelhorn Leuchtturm {secrets.token_hex(12)}"
    folder = tmp_path / "vault"
    vault = create_vault(folder, passphrase, owner_name="T", municipality="DO",
                         kdf=KdfParams.minimum(), clock=clock)
    with vault.raw_key() as view:
        key = bytes(view)
    vault.lock()
    child = subprocess.Popen([sys.executable, "-m", "tests.support.kdf_child", str(folder)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(passphrase.encode() + b"\n")
        child.stdin.close()
        assert child.stdout.readline().strip() == b"ready"
        os.kill(child.pid, signal.SIGSTOP)
        hits, total = scan(child.pid, {"passphrase": passphrase.encode(), "data key": key,
                                       "data key (hex)": key.hex().encode(),
                                       "control": str(folder).encode()})
    finally:
        child.kill()
        child.wait()
    assert total > 10 << 20 and any(h.needle == "control" for h in hits)
    assert [str(h) for h in hits if h.needle != "control"] == []
